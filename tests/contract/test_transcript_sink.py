"""The TranscriptSink contract (see its docstring), run against the in-memory fake and the Workday adapter talking
to the sandbox's Learning web service (SOAP) over loopback HTTP, with the ISU's UsernameToken and with OAuth.
A real tenant is not written to by a contract suite, so it has no parameter here."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from pydantic import SecretStr
from returns.result import Failure, Success

from adapters.fakes import InMemoryTranscriptSink
from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials, OAuthCredentials
from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.learning.client import build_learning_client
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
from adapters.workday.rate_limiter import TenantRateLimiter
from domain.ports.transcript_sink import TranscriptSink
from domain.transcripts import ImportedContent, ImportedRecord
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer

POPULATION = SandboxConfig(workers=20, seed=3, soap_rate_limit=100)
LEARNER = worker_at(POPULATION, 0).employee_id
UNKNOWN_LEARNER = "no-such-employee"


@dataclass
class SinkUnderTest:
    sink: TranscriptSink
    content_ids: Callable[[], list[str]]
    record_ids: Callable[[], list[str]]
    sent: Callable[[], int]
    """Requests the implementation has received."""


@pytest.fixture(scope="module")
def learning_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(POPULATION) as server:
        yield server


TENANT_LIMITER = TenantRateLimiter(50.0)
"""One limiter for the sandbox tenant, shared by every client the suite builds, as the app shares one per tenant:
the sandbox answers 429 above its own limit, which clients with limiters of their own would together pass."""


def _workday_sink(
    sandbox: SandboxServer, auth: IsuCredentials | OAuthCredentials
) -> Generator[SinkUnderTest, None, None]:
    client = build_learning_client(sandbox.learning_url(), auth, limiter=TENANT_LIMITER)
    store = sandbox.workday_learning
    path = f"/ccx/service/{sandbox.config.tenant}/Learning/v44.2"

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"nothing in this suite should be retried, but the sink would wait {seconds}s")

    sink = WorkdayTranscriptSink(client, retry=RetryPolicy(attempts=2), sleep=no_sleep)
    yield SinkUnderTest(
        sink,
        content_ids=lambda: [c.id for c in store.contents()],
        record_ids=lambda: [r.id for r in store.records()],
        sent=lambda: sandbox.counts.by_path("POST", path),
    )
    client.close()


@pytest.fixture(params=["fake", "sandbox-isu", "sandbox-oauth"])
def under_test(request: pytest.FixtureRequest) -> Iterator[SinkUnderTest]:
    if request.param == "fake":
        fake = InMemoryTranscriptSink(learners=[LEARNER])
        yield SinkUnderTest(fake, lambda: list(fake.contents), lambda: list(fake.records), lambda: fake.puts)
        return
    sandbox: SandboxServer = request.getfixturevalue("learning_sandbox")
    config = sandbox.config
    if request.param == "sandbox-isu":
        auth: IsuCredentials | OAuthCredentials = IsuCredentials(
            config.isu_username, config.tenant, SecretStr(config.isu_password)
        )
        yield from _workday_sink(sandbox, auth)
        return
    with httpx.Client() as token_client:
        tokens = RefreshTokenProvider(
            token_client,
            sandbox.token_url,
            config.client_id,
            SecretStr(config.client_secret),
            SecretStr(config.refresh_token),
        )
        yield from _workday_sink(sandbox, OAuthCredentials(tokens))


_counter = iter(range(1, 1_000_000))


def a_content(**changes: object) -> ImportedContent:
    n = next(_counter)
    content = ImportedContent(1, f"contract-course-{n}", f"Course {n}", f"About course {n}. Credits: 1.")
    return dataclasses.replace(content, **changes)  # type: ignore[arg-type]


def a_record(content: ImportedContent, **changes: object) -> ImportedRecord:
    n = next(_counter)
    record = ImportedRecord(1, f"contract-completion-{n}", LEARNER, content.id, date(2026, 5, 1))
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def test_content_put_returns_a_reference_and_is_held(under_test: SinkUnderTest) -> None:
    content = a_content()

    result = under_test.sink.put_content(content)

    assert isinstance(result, Success)
    assert result.unwrap()
    assert content.id in under_test.content_ids()


def test_putting_the_same_content_twice_leaves_one(under_test: SinkUnderTest) -> None:
    content = a_content()

    first = under_test.sink.put_content(content)
    second = under_test.sink.put_content(dataclasses.replace(content, title="A new title"))

    assert isinstance(first, Success)
    assert isinstance(second, Success)
    assert under_test.content_ids().count(content.id) == 1


def test_a_record_for_held_content_returns_a_reference_and_an_upsert_leaves_one(under_test: SinkUnderTest) -> None:
    content = a_content()
    under_test.sink.put_content(content)
    record = a_record(content)

    first = under_test.sink.put_record(record)
    again = under_test.sink.put_record(dataclasses.replace(record, inactive=True))

    assert isinstance(first, Success)
    assert first.unwrap()
    assert isinstance(again, Success)
    assert under_test.record_ids().count(record.id) == 1


def test_a_record_for_an_unknown_learner_is_refused_with_the_xpath_and_not_retried(
    under_test: SinkUnderTest,
) -> None:
    content = a_content()
    under_test.sink.put_content(content)
    record = a_record(content, learner_employee_id=UNKNOWN_LEARNER)
    sent_before = under_test.sent()

    result = under_test.sink.put_record(record)

    assert isinstance(result, Failure)
    refused = result.failure()
    assert refused.item_id == record.id
    assert not refused.retryable
    assert UNKNOWN_LEARNER in refused.message
    assert refused.xpath is not None
    assert "Learner_Reference" in refused.xpath
    assert record.id not in under_test.record_ids()
    assert under_test.sent() - sent_before == 1


def test_a_record_for_content_workday_lacks_is_refused(under_test: SinkUnderTest) -> None:
    record = a_record(a_content(id="contract-course-never-sent"))

    result = under_test.sink.put_record(record)

    assert isinstance(result, Failure)
    refused = result.failure()
    assert not refused.retryable
    assert "contract-course-never-sent" in refused.message
    assert refused.xpath is not None
    assert "Learning_Imported_Content_Reference" in refused.xpath


def test_over_oauth_a_revoked_access_token_is_refreshed_once_and_the_put_goes_through() -> None:
    """Workday answers a bearer token it no longer accepts on its SOAP endpoint with an authentication fault
    (HTTP 500), not a 401: the adapter must still refresh the token rather than fail every later request."""
    with SandboxServer(POPULATION) as sandbox, httpx.Client() as token_client:
        config = sandbox.config
        tokens = RefreshTokenProvider(
            token_client,
            sandbox.token_url,
            config.client_id,
            SecretStr(config.client_secret),
            SecretStr(config.refresh_token),
        )
        sinks = _workday_sink(sandbox, OAuthCredentials(tokens))
        under_test = next(sinks)
        first = under_test.sink.put_content(a_content())
        sandbox.revoke_tokens()

        second = under_test.sink.put_content(a_content())
        sinks.close()

        assert isinstance(first, Success)
        assert isinstance(second, Success), second
        assert sandbox.state.tokens.grants == 2
