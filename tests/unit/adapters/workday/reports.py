"""Test helpers: RaaS report bodies in each format, served through ``httpx.MockTransport``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from xml.sax.saxutils import escape, quoteattr

import httpx

from adapters.workday.raas.directory import RaasWorkerDirectory
from adapters.workday.raas.url import ReportFormat
from domain.workers import ReportEntry

REPORT_URL = "https://wd2-impl-services1.workday.com/ccx/service/customreport2/acme/isu_owner/Workers_for_LumiQ"
WID_1 = "0123456789abcdef0123456789abcdef"
WID_2 = "fedcba9876543210fedcba9876543210"


def chunked(body: bytes, size: int) -> list[bytes]:
    """``body`` cut into pieces of ``size`` bytes."""
    return [body[start : start + size] for start in range(0, len(body), size)]


def json_body(rows: Iterable[Mapping[str, object]]) -> bytes:
    return json.dumps({"Report_Entry": list(rows)}).encode()


def reference(descriptor: str, **ids: str) -> str:
    """A Workday XML business-object reference, to use as a column value in ``workday_xml_body``."""
    id_elements = "".join(f'<wd:ID wd:type="{kind}">{escape(value)}</wd:ID>' for kind, value in ids.items())
    return f"<wd:Descriptor_ref wd:Descriptor={quoteattr(descriptor)}>{id_elements}</wd:Descriptor_ref>"


def workday_xml_body(rows: Iterable[Mapping[str, object]], report_name: str = "Workers_for_LumiQ") -> bytes:
    """Rows in Workday XML. A value made by ``reference`` becomes a reference column, a list of mappings a
    repeated group, anything else text."""
    entries = "".join(f"<wd:Report_Entry>{_xml_columns(row)}</wd:Report_Entry>" for row in rows)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<wd:Report_Data xmlns:wd="urn:com.workday.report/{report_name}">{entries}</wd:Report_Data>'
    ).encode()


def simple_xml_body(rows: Iterable[Mapping[str, str]]) -> bytes:
    entries = "".join(
        "<Report_Entry>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in row.items()) + "</Report_Entry>"
        for row in rows
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Report_Data>{entries}</Report_Data>'.encode()


def _xml_columns(row: Mapping[str, object]) -> str:
    parts = []
    for alias, value in row.items():
        if isinstance(value, list):
            parts += [f"<wd:{alias}>{_xml_columns(instance)}</wd:{alias}>" for instance in value]
        elif isinstance(value, str) and value.startswith("<wd:Descriptor_ref"):
            parts.append(value.replace("Descriptor_ref", alias))
        else:
            parts.append(f"<wd:{alias}>{escape(str(value))}</wd:{alias}>")
    return "".join(parts)


def serving(body: bytes | Iterable[bytes], status: int = 200, seen: list[httpx.Request] | None = None) -> httpx.Client:
    """A client whose every request is answered with ``body``, streamed in the pieces given."""

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        content = body if isinstance(body, bytes) else iter(list(body))
        return httpx.Response(status, content=content)

    return httpx.Client(transport=httpx.MockTransport(handler))


def handled_by(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def directory(
    client: httpx.Client,
    report_format: ReportFormat = ReportFormat.JSON,
    columns: Mapping[str, str] | None = None,
    url: str = REPORT_URL,
) -> RaasWorkerDirectory:
    return RaasWorkerDirectory(client, url, auth=httpx.Auth(), report_format=report_format, columns=columns)


def read(
    body: bytes | Iterable[bytes],
    report_format: ReportFormat = ReportFormat.JSON,
    columns: Mapping[str, str] | None = None,
) -> list[ReportEntry]:
    return list(directory(serving(body), report_format, columns).entries())


def failing_after(pieces: Iterable[bytes], error: Exception) -> Iterator[bytes]:
    """The pieces, then ``error``, as a connection dropped mid-body does."""
    yield from pieces
    raise error
