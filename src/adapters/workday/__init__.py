"""The Workday adapters: the worker report over RaaS, the transcript sink, course publisher,
learning catalog and enrollment registry over the Learning API (SOAP, and REST for the catalog), and
the OAuth2 and ISU authentication they use."""

# The public names load on first use (PEP 562): the RaaS reader must not pay for zeep, which only the Learning
# (SOAP) modules need, every time the CLI starts. ``check_wsdl`` is not among them: it is also its module's name,
# which wins once the module is imported; import it from ``adapters.workday.check_wsdl``.
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ClientAuthStyle": "adapters.workday.oauth",
    "ClientRejected": "adapters.workday.errors",
    "DEFAULT_RATE": "adapters.workday.rate_limiter",
    "IsuCredentials": "adapters.workday.learning_auth",
    "LearningAuth": "adapters.workday.learning_auth",
    "LearningClient": "adapters.workday.learning_client",
    "OAuthCredentials": "adapters.workday.learning_auth",
    "Problem": "adapters.workday.check_wsdl",
    "ProblemKind": "adapters.workday.check_wsdl",
    "REPORT_TIMEOUT": "adapters.workday.raas",
    "RaasReportError": "adapters.workday.errors",
    "RaasWorkerDirectory": "adapters.workday.raas",
    "RateLimiter": "adapters.workday.rate_limiter",
    "RefreshTokenProvider": "adapters.workday.oauth",
    "RefreshTokenRejected": "adapters.workday.errors",
    "ReportColumns": "adapters.workday.raas_columns",
    "ReportFormat": "adapters.workday.raas_url",
    "RestAuthRejected": "adapters.workday.errors",
    "RestLearningCatalog": "adapters.workday.rest_catalog",
    "RestRequestFailed": "adapters.workday.errors",
    "RetryPolicy": "adapters.workday.soap_retries",
    "SOAP_TIMEOUT": "adapters.workday.learning_http",
    "SoapAuthRejected": "adapters.workday.errors",
    "SoapLearningCatalog": "adapters.workday.soap_catalog",
    "SoapRequestFailed": "adapters.workday.errors",
    "SoapRequestRefused": "adapters.workday.errors",
    "TokenEndpointError": "adapters.workday.errors",
    "ValidationError": "adapters.workday.errors",
    "WorkdayAuthError": "adapters.workday.errors",
    "WorkdayBearerAuth": "adapters.workday.oauth",
    "WorkdayCoursePublisher": "adapters.workday.course_publisher",
    "WorkdayEnrollmentRegistry": "adapters.workday.enrollment_registry",
    "WorkdayError": "adapters.workday.errors",
    "WorkdayFault": "adapters.workday.errors",
    "WorkdayGaveUp": "adapters.workday.errors",
    "WorkdayProcessingFault": "adapters.workday.errors",
    "WorkdaySoapError": "adapters.workday.errors",
    "WorkdayTranscriptSink": "adapters.workday.transcript_sink",
    "WorkdayUnavailable": "adapters.workday.errors",
    "WorkdayValidationFault": "adapters.workday.errors",
    "WsdlUnavailable": "adapters.workday.errors",
    "build_learning_client": "adapters.workday.learning_client",
    "isu_basic_auth": "adapters.workday.oauth",
    "learning_api_url": "adapters.workday.rest_catalog",
    "learning_endpoint": "adapters.workday.learning_client",
    "learning_version": "adapters.workday.learning_client",
    "learning_wsdl_url": "adapters.workday.learning_client",
    "workday_token_url": "adapters.workday.oauth",
}

if TYPE_CHECKING:
    from adapters.workday.check_wsdl import Problem, ProblemKind
    from adapters.workday.course_publisher import WorkdayCoursePublisher
    from adapters.workday.enrollment_registry import WorkdayEnrollmentRegistry
    from adapters.workday.errors import (
        ClientRejected,
        RaasReportError,
        RefreshTokenRejected,
        RestAuthRejected,
        RestRequestFailed,
        SoapAuthRejected,
        SoapRequestFailed,
        SoapRequestRefused,
        TokenEndpointError,
        ValidationError,
        WorkdayAuthError,
        WorkdayError,
        WorkdayFault,
        WorkdayGaveUp,
        WorkdayProcessingFault,
        WorkdaySoapError,
        WorkdayUnavailable,
        WorkdayValidationFault,
        WsdlUnavailable,
    )
    from adapters.workday.learning_auth import IsuCredentials, LearningAuth, OAuthCredentials
    from adapters.workday.learning_client import (
        LearningClient,
        build_learning_client,
        learning_endpoint,
        learning_version,
        learning_wsdl_url,
    )
    from adapters.workday.learning_http import SOAP_TIMEOUT
    from adapters.workday.oauth import (
        ClientAuthStyle,
        RefreshTokenProvider,
        WorkdayBearerAuth,
        isu_basic_auth,
        workday_token_url,
    )
    from adapters.workday.raas import REPORT_TIMEOUT, RaasWorkerDirectory
    from adapters.workday.raas_columns import ReportColumns
    from adapters.workday.raas_url import ReportFormat
    from adapters.workday.rate_limiter import DEFAULT_RATE, RateLimiter
    from adapters.workday.rest_catalog import RestLearningCatalog, learning_api_url
    from adapters.workday.soap_catalog import SoapLearningCatalog
    from adapters.workday.soap_retries import RetryPolicy
    from adapters.workday.transcript_sink import WorkdayTranscriptSink


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "DEFAULT_RATE",
    "REPORT_TIMEOUT",
    "SOAP_TIMEOUT",
    "ClientAuthStyle",
    "ClientRejected",
    "IsuCredentials",
    "LearningAuth",
    "LearningClient",
    "OAuthCredentials",
    "Problem",
    "ProblemKind",
    "RaasReportError",
    "RaasWorkerDirectory",
    "RateLimiter",
    "RefreshTokenProvider",
    "RefreshTokenRejected",
    "ReportColumns",
    "ReportFormat",
    "RestAuthRejected",
    "RestLearningCatalog",
    "RestRequestFailed",
    "RetryPolicy",
    "SoapAuthRejected",
    "SoapLearningCatalog",
    "SoapRequestFailed",
    "SoapRequestRefused",
    "TokenEndpointError",
    "ValidationError",
    "WorkdayAuthError",
    "WorkdayBearerAuth",
    "WorkdayCoursePublisher",
    "WorkdayEnrollmentRegistry",
    "WorkdayError",
    "WorkdayFault",
    "WorkdayGaveUp",
    "WorkdayProcessingFault",
    "WorkdaySoapError",
    "WorkdayTranscriptSink",
    "WorkdayUnavailable",
    "WorkdayValidationFault",
    "WsdlUnavailable",
    "build_learning_client",
    "isu_basic_auth",
    "learning_api_url",
    "learning_endpoint",
    "learning_version",
    "learning_wsdl_url",
    "workday_token_url",
]
