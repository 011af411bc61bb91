"""The WorkerDirectory contract (see its docstring), run against the in-memory fake, the RaaS adapter reading
the sandbox's report in each of Workday's formats over loopback HTTP, and a real tenant when configured."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr
from returns.result import Success

from adapters.fakes import InMemoryWorkerDirectory
from adapters.workday.auth.flows import WorkdayBearerAuth, isu_basic_auth
from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.raas.directory import RaasWorkerDirectory
from adapters.workday.raas.url import ReportFormat
from domain.errors import ReportUnavailable
from domain.workers import MalformedRow, ReportEntry, Worker, parse_worker
from sandbox.population import report_rows
from sandbox.server import SandboxServer
from tests.contract.harness import DirectoryUnderTest, tenant_container
from tests.factories import a_worker


def sandbox_entries(sandbox: SandboxServer) -> list[ReportEntry]:
    """What the sandbox's report holds, parsed from its population without HTTP."""
    entries: list[ReportEntry] = []
    for number, row in enumerate(report_rows(sandbox.config), start=1):
        result = parse_worker(number, dict(row))
        entries.append(result.unwrap() if isinstance(result, Success) else result.failure())
    return entries


@pytest.fixture(params=["fake", "sandbox-json", "sandbox-workday-xml", "sandbox-simple-xml", "sandbox-isu", "tenant"])
def under_test(request: pytest.FixtureRequest) -> Iterator[DirectoryUnderTest]:
    kind: str = request.param
    if kind == "fake":
        entries: list[ReportEntry] = [a_worker(n) for n in range(1, 30)]
        entries.insert(5, MalformedRow(6, "last_name", "is missing", None, "E99"))
        fake = InMemoryWorkerDirectory(entries)

        def cut_fake(after: int) -> None:
            fake.fail_after = after

        yield DirectoryUnderTest(fake, entries, cut_fake)
        return
    if kind == "tenant":
        container = tenant_container()
        yield DirectoryUnderTest(container.worker_directory(), None, None)
        container.shutdown_resources()
        return

    sandbox: SandboxServer = request.getfixturevalue("sandbox")
    config = sandbox.config
    fmt = {"sandbox-workday-xml": ReportFormat.WORKDAY_XML, "sandbox-simple-xml": ReportFormat.SIMPLE_XML}.get(
        kind, ReportFormat.JSON
    )
    with httpx.Client() as client:
        if kind == "sandbox-isu":
            auth: httpx.Auth = isu_basic_auth(config.isu_username, SecretStr(config.isu_password))
        else:
            tokens = RefreshTokenProvider(
                client,
                sandbox.token_url,
                config.client_id,
                SecretStr(config.client_secret),
                SecretStr(config.refresh_token),
            )
            auth = WorkdayBearerAuth(tokens)
        directory = RaasWorkerDirectory(client, sandbox.raas_url(), auth=auth, report_format=fmt)

        def cut_sandbox(after: int) -> None:
            sandbox.faults.truncate_report_after = after

        try:
            yield DirectoryUnderTest(directory, sandbox_entries(sandbox), cut_sandbox)
        finally:
            sandbox.faults.truncate_report_after = None


def test_yields_one_entry_per_row_in_report_order(under_test: DirectoryUnderTest) -> None:
    entries = list(under_test.directory.entries())
    assert all(isinstance(e, Worker | MalformedRow) for e in entries)
    for position, entry in enumerate(entries, start=1):
        if isinstance(entry, MalformedRow):
            assert entry.row_number == position
    if under_test.expected is not None:
        assert entries == under_test.expected


def test_a_malformed_row_names_its_field_and_the_rows_after_it_still_come(under_test: DirectoryUnderTest) -> None:
    entries = list(under_test.directory.entries())
    malformed = [e for e in entries if isinstance(e, MalformedRow)]
    if under_test.expected is None and not malformed:
        pytest.skip("this report has no malformed row")
    assert malformed
    assert all(m.field and m.reason for m in malformed)
    assert isinstance(entries[-1], Worker | MalformedRow)
    assert entries.index(malformed[0]) < len(entries) - 1


def test_each_read_reads_the_report_afresh(under_test: DirectoryUnderTest) -> None:
    assert list(under_test.directory.entries()) == list(under_test.directory.entries())


def test_a_report_cut_short_raises_report_unavailable_and_says_so(under_test: DirectoryUnderTest) -> None:
    if under_test.cut_short is None:
        pytest.skip("a real tenant cannot be made to cut its report short")
    under_test.cut_short(10)
    with pytest.raises(ReportUnavailable, match="cut short"):
        list(under_test.directory.entries())
