"""The Workday adapters: the worker report over RaaS, the transcript sink over the Learning API (SOAP), and
the OAuth2 and ISU authentication they use."""

from adapters.workday.check_wsdl import Problem, ProblemKind, check_wsdl
from adapters.workday.errors import (
    ClientRejected,
    RaasReportError,
    RefreshTokenRejected,
    SoapAuthRejected,
    SoapRequestFailed,
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
from adapters.workday.soap_retries import RetryPolicy
from adapters.workday.transcript_sink import WorkdayTranscriptSink

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
    "RetryPolicy",
    "SoapAuthRejected",
    "SoapRequestFailed",
    "TokenEndpointError",
    "ValidationError",
    "WorkdayAuthError",
    "WorkdayBearerAuth",
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
    "check_wsdl",
    "isu_basic_auth",
    "learning_endpoint",
    "learning_version",
    "learning_wsdl_url",
    "workday_token_url",
]
