"""How the connector proves itself to Workday: ``tokens`` (the OAuth2 refresh-token grant and where rotated
refresh tokens are kept), the ``httpx`` auth flows that put a token or an ISU's password on a request, and
``credentials`` (an ISU or an API client for integrations). Nothing here imports zeep."""

from adapters.workday.auth.credentials import IsuCredentials, LearningAuth, OAuthCredentials
from adapters.workday.auth.flows import WorkdayBearerAuth, isu_basic_auth
from adapters.workday.auth.tokens import ClientAuthStyle, RefreshTokenKeeper, RefreshTokenProvider, workday_token_url

__all__ = [
    "ClientAuthStyle",
    "IsuCredentials",
    "LearningAuth",
    "OAuthCredentials",
    "RefreshTokenKeeper",
    "RefreshTokenProvider",
    "WorkdayBearerAuth",
    "isu_basic_auth",
    "workday_token_url",
]
