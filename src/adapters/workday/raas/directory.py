"""The customer's worker report, read from Workday Report-as-a-Service (RaaS)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final

import httpx
from returns.result import Success

from adapters.workday.errors import RaasReportError, WorkdayAuthError
from adapters.workday.raas.columns import ColumnCheck, ReportColumns
from adapters.workday.raas.json_rows import json_rows
from adapters.workday.raas.rows import RawRow
from adapters.workday.raas.schema import schema_aliases
from adapters.workday.raas.status import status_error
from adapters.workday.raas.url import ReportFormat, described, request_url, schema_url
from adapters.workday.raas.xml_rows import xml_rows
from adapters.workday.rate_limiter import RequestBudget
from domain.ports.worker_directory import WorkerDirectory
from domain.workers import ReportEntry, parse_worker

REPORT_TIMEOUT: Final = httpx.Timeout(connect=30.0, read=900.0, write=30.0, pool=30.0)
"""RaaS runs the whole report before sending its first byte, which can take minutes; hence the read timeout."""

_ERROR_BODY_BYTES = 4096
_ACCEPT = {
    ReportFormat.JSON: "application/json",
    ReportFormat.WORKDAY_XML: "application/xml, text/xml",
    ReportFormat.SIMPLE_XML: "application/xml, text/xml",
}
_PARSERS: Mapping[ReportFormat, Callable[[Iterable[bytes]], Iterator[RawRow]]] = {
    ReportFormat.JSON: json_rows,
    ReportFormat.WORKDAY_XML: xml_rows,
    ReportFormat.SIMPLE_XML: xml_rows,
}


class RaasWorkerDirectory(WorkerDirectory):
    """The worker report at a RaaS URL, streamed and parsed row by row (see ``WorkerDirectory``).

    ``report_url`` is the report's web service URL, with any prompt parameters; its ``format`` parameter is
    set from ``report_format``. ``columns`` maps canonical field names to the report's XML aliases where they
    differ from the defaults; ``columns_setting`` names where they are configured, for the message of a report
    whose columns do not match (``RaasColumnsMismatch``, decided from its first rows: see ``ColumnCheck``).
    Every failure to read the report raises ``RaasReportError``. Each request (the report, its XSD) first takes
    a slot of ``budget``, the tenant's: a report counts as one request, when it starts.
    """

    def __init__(
        self,
        client: httpx.Client,
        report_url: str,
        *,
        auth: httpx.Auth,
        report_format: ReportFormat = ReportFormat.JSON,
        columns: Mapping[str, str] | None = None,
        columns_setting: str = "raas.columns",
        timeout: httpx.Timeout = REPORT_TIMEOUT,
        budget: RequestBudget | None = None,
    ) -> None:
        self._client = client
        self._budget = budget
        self._report_url = report_url
        self._url = request_url(report_url, report_format)
        self._auth = auth
        self._format = report_format
        self._columns = ReportColumns(columns)
        self._columns_setting = columns_setting
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"{type(self).__name__}({described(self._url)!r}, format={self._format.value!r})"

    @property
    def columns(self) -> ReportColumns:
        return self._columns

    def entries(self) -> Iterator[ReportEntry]:
        rows_read = 0
        body_started = False
        check = ColumnCheck(self._columns, self._columns_setting)
        try:
            self._take_slot()
            with self._client.stream(
                "GET", self._url, auth=self._auth, timeout=self._timeout, headers={"Accept": _ACCEPT[self._format]}
            ) as response:
                self._check_status(response)
                body_started = True
                for row in _PARSERS[self._format](response.iter_bytes()):
                    rows_read += 1
                    check.see(row)
                    yield self._entry(rows_read, row)
                check.finish()
        except WorkdayAuthError as error:
            raise RaasReportError(f"report {described(self._url)}: cannot authenticate: {error}") from error
        except httpx.RequestError as error:
            raise self._transport_error(error, rows_read, body_started=body_started) from error

    def fetch_schema(self) -> frozenset[str]:
        """The column aliases the report declares in its XSD (``?xsds``), groups written ``X_group.Y``."""
        url = schema_url(self._report_url)
        try:
            self._take_slot()
            response = self._client.get(url, auth=self._auth, timeout=self._timeout)
        except WorkdayAuthError as error:
            raise RaasReportError(f"report {described(url)}: cannot authenticate: {error}") from error
        except httpx.RequestError as error:
            raise self._transport_error(error, 0) from error
        if response.status_code != httpx.codes.OK:
            raise status_error(response.status_code, described(url), response.text, response.headers.get("location"))
        return schema_aliases(response.content)

    def missing_columns(self) -> list[str]:
        """The configured aliases the report's XSD does not declare, e.g. ``["termination_date"]``; empty when
        the report has every column the connector reads."""
        declared = self.fetch_schema()
        return [alias for alias in self._columns.aliases.values() if alias not in declared]

    def _take_slot(self) -> None:
        if self._budget is not None:
            self._budget.acquire()

    def _entry(self, row_number: int, row: RawRow) -> ReportEntry:
        result = parse_worker(row_number, self._columns.fields(row))
        return result.unwrap() if isinstance(result, Success) else result.failure()

    def _check_status(self, response: httpx.Response) -> None:
        if response.status_code == httpx.codes.OK:
            return
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_BYTES:
                break
        raise status_error(
            response.status_code,
            described(self._url),
            body[:_ERROR_BODY_BYTES].decode("utf-8", errors="replace"),
            response.headers.get("location"),
        )

    def _transport_error(
        self, error: httpx.RequestError, rows_read: int, *, body_started: bool = False
    ) -> RaasReportError:
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        if rows_read or (body_started and not isinstance(error, httpx.TimeoutException)):
            # The body had begun: whatever rows the parser still held back, the report ended early.
            return RaasReportError(f"the report was cut short after {rows_read} rows ({what})")
        if isinstance(error, httpx.ReadTimeout):
            return RaasReportError(
                f"report {described(self._url)}: Workday did not answer within {self._timeout.read} s: "
                "the report may be too large; split it with prompts or raise the read timeout"
            )
        return RaasReportError(f"report {described(self._url)}: Workday could not be reached ({what})")
