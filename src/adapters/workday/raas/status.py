"""What an HTTP error from RaaS means, in words an operator can act on."""

from __future__ import annotations

from adapters.workday.errors import RaasReportError, excerpt

_SHARING = "verify the report URL and that the report is shared with the integration user"


def status_error(status: int, report: str, body: str, location: str | None = None) -> RaasReportError:
    """The error for an HTTP ``status`` answer to the report at ``report``; ``body`` is quoted, truncated."""
    detail = f" Workday said: {excerpt(body)}" if body.strip() else ""
    if status == 401:
        advice = (
            "Workday refused the credentials: check the integration user's password, or the OAuth client "
            "and its refresh token"
        )
    elif status in {403, 500}:
        advice = f"Workday could not run the report for this user: {_SHARING}"
    elif status == 404:
        advice = "there is no report at this URL: verify the host, tenant, report owner and report name"
    elif status == 406:
        advice = (
            "the report is over Workday's 2 GB limit: split it with prompts (for example by date range or "
            "organization) into several smaller reports"
        )
    elif status in {429, 503}:
        advice = "Workday is busy or throttling: try again later"
    elif 300 <= status < 400:
        advice = f"Workday redirected the request to {location or 'another URL'}: use the report's web service URL"
    else:
        advice = f"Workday answered an unexpected status: {_SHARING}"
    return RaasReportError(f"report {report}: HTTP {status}: {advice}.{detail}", status_code=status)
