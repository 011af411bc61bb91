"""``GET /ccx/service/customreport2/{tenant}/{owner}/{report}``: the worker report as Report-as-a-Service.

``format=json|simplexml|csv`` picks the format, no ``format`` is Workday XML, and ``?xsds`` returns the XSD.
The ISU authenticates with Basic (``user`` or ``user@tenant``) or with a Bearer token from the token endpoint.
Bodies are streamed a chunk of rows at a time and never held whole: RaaS has no paging.
"""

from __future__ import annotations

import binascii
import hmac
from base64 import b64decode
from collections.abc import Iterator
from itertools import islice

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from sandbox.population import ReportRow, report_rows
from sandbox.state import SandboxState
from sandbox.workday.raas.formats import ReportLayout, ReportWriter, ServedReportFormat, report_writer
from sandbox.workday.raas.schema import report_xsd


class TransferCut(Exception):
    """Raised inside a report body to drop the connection mid-transfer (the truncation fault)."""


async def report(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    config = state.config
    if not _authenticated(request, state):
        # Inferred: the body of Workday's 401 on RaaS is not documented; only the status is.
        return PlainTextResponse("Unauthorized", 401, {"WWW-Authenticate": f'Basic realm="{config.tenant}"'})
    params = request.path_params
    if params["tenant"] != config.tenant:
        return PlainTextResponse("Not Found", 404)  # Inferred: an unknown tenant is not found.
    if (params["owner"], params["report"]) != (config.report_owner, config.report_name):
        # Inferred: Workday answers a wrong report URL with a 500 processing error (seen on ?xsds by peers).
        return PlainTextResponse("Processing error occurred. The report or its owner was not found.", 500)
    layout = ReportLayout(config.report_name, config.columns, config.xml_references)
    if "xsds" in request.query_params:
        return Response(report_xsd(layout), media_type="text/xml; charset=utf-8")
    fmt = _format(request.query_params.get("format"))
    if fmt is None:
        # Inferred: the status for an unknown format.
        return PlainTextResponse("Unsupported format", 400)
    faults = config.faults
    rows: Iterator[ReportRow] = report_rows(config)
    if faults.report_rows_override is not None:
        rows = islice(rows, faults.report_rows_override)
    if faults.report_edits:
        rows = _edited(rows, dict(faults.report_edits))
    writer = report_writer(fmt, layout)
    body = _body(writer, rows, config.rows_per_chunk, faults.truncate_report_after, cut=not faults.truncate_cleanly)
    return StreamingResponse(body, media_type=writer.media_type)


def _body(
    writer: ReportWriter, rows: Iterator[ReportRow], rows_per_chunk: int, truncate_after: int | None, *, cut: bool
) -> Iterator[bytes]:
    chunk = [writer.head()]
    for number, row in enumerate(rows):
        entry = writer.entry(row, number == 0)
        if truncate_after is not None and number >= truncate_after:
            chunk.append(entry[: len(entry) // 2])  # a broken transfer stops anywhere, even mid-entry
            yield "".join(chunk).encode()
            if cut:
                raise TransferCut
            return
        chunk.append(entry)
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk).encode()
            chunk = []
    chunk.append(writer.tail())
    yield "".join(chunk).encode()


def _edited(rows: Iterator[ReportRow], edits: dict[int, dict[str, str | None]]) -> Iterator[ReportRow]:
    for index, row in enumerate(rows):
        yield row | edits[index] if index in edits else row


def _format(value: str | None) -> ServedReportFormat | None:
    if value is None:
        return ServedReportFormat.WORKDAY_XML
    try:
        fmt = ServedReportFormat(value.lower())
    except ValueError:
        return None
    return None if fmt is ServedReportFormat.WORKDAY_XML else fmt  # Workday XML is asked for by no format at all


def _authenticated(request: Request, state: SandboxState) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return state.tokens.accepts(credentials.strip())
    if scheme.lower() != "basic":
        return False
    try:
        username, _, password = b64decode(credentials, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    config = state.config
    # The ISU's name is written with or without "@tenant" by peers; both are accepted.
    known_user = username in (config.isu_username, f"{config.isu_username}@{config.tenant}")
    return known_user & hmac.compare_digest(password, config.isu_password)
