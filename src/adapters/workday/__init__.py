"""The Workday adapters: the worker report over RaaS, and the OAuth2 and ISU authentication it uses."""

from adapters.workday.errors import (
    ClientRejected,
    RaasReportError,
    RefreshTokenRejected,
    TokenEndpointError,
    WorkdayAuthError,
    WorkdayError,
)
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

__all__ = [
    "REPORT_TIMEOUT",
    "ClientAuthStyle",
    "ClientRejected",
    "RaasReportError",
    "RaasWorkerDirectory",
    "RefreshTokenProvider",
    "RefreshTokenRejected",
    "ReportColumns",
    "ReportFormat",
    "TokenEndpointError",
    "WorkdayAuthError",
    "WorkdayBearerAuth",
    "WorkdayError",
    "isu_basic_auth",
    "workday_token_url",
]
