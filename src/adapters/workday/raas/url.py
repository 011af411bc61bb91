"""The URL a RaaS report is fetched from: the customer's report URL, prompts kept, format set."""

from __future__ import annotations

from enum import StrEnum

import httpx


class ReportFormat(StrEnum):
    """The body formats the adapter reads."""

    JSON = "json"
    WORKDAY_XML = "workday_xml"
    SIMPLE_XML = "simple_xml"


# Workday XML is what RaaS answers when no format is asked for.
_FORMAT_PARAM = {ReportFormat.JSON: "json", ReportFormat.WORKDAY_XML: None, ReportFormat.SIMPLE_XML: "simplexml"}


def request_url(url: str, report_format: ReportFormat) -> httpx.URL:
    """``url`` (``https://{host}/ccx/service/customreport2/{tenant}/{owner}/{report}``, possibly with prompt
    parameters) asking for ``report_format``. Prompts are kept byte for byte (``Worker!WID=a!b``,
    ``Start_Date=2024-01-01-08:00``); any ``format`` parameter, wherever it is, is replaced."""
    parsed = httpx.URL(url)
    if parsed.scheme not in {"https", "http"} or not parsed.host:
        raise ValueError(f"{url!r} is not an http(s) URL")
    params = [part for part in parsed.query.split(b"&") if part and part.split(b"=", 1)[0].lower() != b"format"]
    value = _FORMAT_PARAM[report_format]
    if value is not None:
        params.append(b"format=" + value.encode())
    return parsed.copy_with(query=b"&".join(params) or None)


def schema_url(url: str) -> httpx.URL:
    """The URL of the report's XSD (``?xsds``), which lists its column aliases."""
    return httpx.URL(url).copy_with(query=b"xsds")


def described(url: httpx.URL) -> str:
    """``url`` for an error message: no user info, no query."""
    return str(url.copy_with(userinfo=b"", query=None))
