"""Reading LumiQ's completion feed: ``LumiqCompletionSource.pages``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr

from adapters.lumiq import LUMIQ_RETRY, LumiqCompletionSource, LumiqFeedUnavailable, LumiqInvalidCompletion
from domain.deliveries import CompletionPage
from domain.errors import SourceUnavailable
from domain.ports.completion_source import CompletionSource
from domain.transcripts import ProviderCompletion
from tests.unit.adapters.lumiq.completions import feed_page, source_for, wire_completion, with_episode
from tests.unit.adapters.lumiq.scripted import API_KEY, ScriptedLumiq, refusal

NO_JITTER = replace(LUMIQ_RETRY, jitter=0)


def test_is_a_completion_source() -> None:
    source, _ = source_for(ScriptedLumiq())

    assert isinstance(source, CompletionSource)


def test_maps_a_completion_to_the_domain() -> None:
    source, _ = source_for(ScriptedLumiq(feed_page([wire_completion(1)], cursor="c1")))

    (page,) = source.pages(None)

    assert page.completions == (
        ProviderCompletion(
            completion_id="cmp_00000001",
            learner_employee_id="21001",
            course_id="ep_1042",
            title="Revenue Recognition Under IFRS 15",
            description="How and when to recognise revenue from contracts with customers.",
            field_of_study="Accounting",
            credits=Decimal("1.5"),
            completed_at=datetime(2026, 11, 20, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
            passed=True,
            revoked=False,
        ),
    )
    assert (page.cursor, page.has_more) == ("c1", False)


def test_keeps_the_learners_offset_on_the_completion_time() -> None:
    source, _ = source_for(ScriptedLumiq(feed_page([wire_completion(1)])))

    (page,) = source.pages(None)

    assert page.completions[0].completed_at.utcoffset() == timedelta(hours=-5)


def test_a_failed_completion_is_not_passed_and_a_revoked_one_is_revoked() -> None:
    lumiq = ScriptedLumiq(feed_page([wire_completion(1, status="failed"), wire_completion(2, revoked=True)]))
    source, _ = source_for(lumiq)

    (page,) = source.pages(None)

    assert [(c.passed, c.revoked) for c in page.completions] == [(False, False), (True, True)]


def test_a_member_without_a_workday_identity_has_no_employee_id() -> None:
    member = {"id": "mem_hand_invited", "employee_id": None, "workday_wid": None}
    source, _ = source_for(ScriptedLumiq(feed_page([wire_completion(1, member=member)])))

    (page,) = source.pages(None)

    assert page.completions[0].learner_employee_id is None


def test_an_episode_without_description_or_field_of_study_reads_them_as_blank() -> None:
    source, _ = source_for(ScriptedLumiq(feed_page([with_episode(1, description=None, field_of_study=None)])))

    (page,) = source.pages(None)

    assert (page.completions[0].description, page.completions[0].field_of_study) == ("", "")


def test_credits_given_as_a_json_number_are_read_exactly() -> None:
    source, _ = source_for(ScriptedLumiq(feed_page([with_episode(1, credits=0.1)])))

    (page,) = source.pages(None)

    assert page.completions[0].credits == Decimal("0.1")


def test_reads_from_the_beginning_page_by_page_with_the_returned_cursor() -> None:
    lumiq = ScriptedLumiq(
        feed_page([wire_completion(1), wire_completion(2)], cursor="c2", has_more=True),
        feed_page([wire_completion(3)], cursor="c3", has_more=True),
        feed_page([], cursor="c3_end"),
    )
    source, _ = source_for(lumiq, page_size=2)

    pages = list(source.pages(None))

    assert [[c.completion_id for c in p.completions] for p in pages] == [
        ["cmp_00000001", "cmp_00000002"],
        ["cmp_00000003"],
        [],
    ]
    assert [(p.cursor, p.has_more) for p in pages] == [("c2", True), ("c3", True), ("c3_end", False)]
    assert [dict(r.url.params) for r in lumiq.requests] == [
        {"limit": "2"},
        {"limit": "2", "after": "c2"},
        {"limit": "2", "after": "c3"},
    ]
    assert {r.url.path for r in lumiq.requests} == {"/lumiq/v1/completions"}


def test_resumes_after_a_saved_cursor() -> None:
    lumiq = ScriptedLumiq(feed_page([wire_completion(7)], cursor="c8"))
    source, _ = source_for(lumiq)

    (page,) = source.pages("c7")

    assert dict(lumiq.requests[0].url.params) == {"limit": "500", "after": "c7"}
    assert page.cursor == "c8"


def test_an_empty_feed_still_yields_a_last_page_with_a_cursor_to_keep() -> None:
    source, _ = source_for(ScriptedLumiq(feed_page([], cursor="c0")))

    assert [(p.completions, p.cursor, p.has_more) for p in source.pages(None)] == [((), "c0", False)]


def test_yields_a_page_before_asking_for_the_next() -> None:
    lumiq = ScriptedLumiq(feed_page([wire_completion(1)], cursor="c1", has_more=True), feed_page([], cursor="c1"))
    source, _ = source_for(lumiq)

    pages = source.pages(None)
    next(pages)

    assert len(lumiq.requests) == 1


def test_sends_the_key_as_a_bearer_token() -> None:
    lumiq = ScriptedLumiq(feed_page([]))
    source, _ = source_for(lumiq)

    list(source.pages(None))

    assert lumiq.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    "problem",
    [
        refusal(429, "rate_limited", "slow down", retry_after="3"),
        refusal(503, "unavailable", "maintenance", retry_after="3"),
        httpx.Response(500, json={"error": {"code": "internal", "message": "boom"}}),
        httpx.ReadTimeout("slow"),
        httpx.ConnectError("refused"),
    ],
)
def test_retries_rate_limits_server_errors_and_timeouts(problem: httpx.Response | Exception) -> None:
    lumiq = ScriptedLumiq(problem, feed_page([wire_completion(1)]))
    source, sleeps = source_for(lumiq, retry=NO_JITTER)

    (page,) = source.pages(None)

    assert len(page.completions) == 1
    assert len(lumiq.requests) == 2
    assert sleeps in ([3.0], [0.5])


def test_honours_retry_after() -> None:
    lumiq = ScriptedLumiq(refusal(429, "rate_limited", "slow down", retry_after="7"), feed_page([]))
    source, sleeps = source_for(lumiq, retry=NO_JITTER)

    list(source.pages(None))

    assert sleeps == [7.0]


def test_gives_up_as_source_unavailable_when_retries_run_out() -> None:
    lumiq = ScriptedLumiq(*[refusal(503, "unavailable", "maintenance") for _ in range(3)])
    source, sleeps = source_for(lumiq, retry=replace(LUMIQ_RETRY, attempts=3, jitter=0))

    with pytest.raises(SourceUnavailable, match="did not answer after 3 attempts: 503 unavailable"):
        list(source.pages(None))
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (refusal(401, "unauthorized", "unknown API key"), "unknown API key \\(401 unauthorized\\)"),
        (refusal(422, "invalid", "not a cursor we issued", field="after"), "after: not a cursor we issued"),
        (httpx.Response(404, text="<html>nope</html>"), "refused with 404 Not Found"),
    ],
)
def test_a_refusal_is_not_retried_and_raises_feed_unavailable(answer: httpx.Response, expected: str) -> None:
    lumiq = ScriptedLumiq(answer)
    source, sleeps = source_for(lumiq)

    with pytest.raises(LumiqFeedUnavailable, match=expected):
        list(source.pages("c_bad"))
    assert (len(lumiq.requests), sleeps) == (1, [])


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"data": [], "has_more": False}, "cursor"),
        ({"data": "nope", "cursor": "c", "has_more": False}, "data"),
        ([], "body"),
    ],
)
def test_a_page_that_is_not_the_documented_shape_raises_feed_unavailable(body: object, where: str) -> None:
    source, _ = source_for(ScriptedLumiq(httpx.Response(200, json=body)))

    with pytest.raises(LumiqFeedUnavailable, match=f"not the documented shape: {where}"):
        list(source.pages(None))


def test_a_body_that_is_not_json_raises_feed_unavailable() -> None:
    source, _ = source_for(ScriptedLumiq(httpx.Response(200, text="<html>maintenance</html>")))

    with pytest.raises(LumiqFeedUnavailable, match="not the documented shape"):
        list(source.pages(None))


@pytest.mark.parametrize(
    ("completion", "field"),
    [
        (wire_completion(9, completed_at="2026-11-20T23:30:00"), "completed_at"),
        (wire_completion(9, completed_at="last tuesday"), "completed_at"),
        (with_episode(9, id="  "), "episode.id"),
        (with_episode(9, title=""), "episode.title"),
        (with_episode(9, credits="-1"), "episode.credits"),
        (with_episode(9, credits="1.5 hours"), "episode.credits"),
        (with_episode(9, credits="NaN"), "episode.credits"),
        (wire_completion(9, status="in_progress"), "status"),
        (wire_completion(9, episode=None), "episode"),
        ({k: v for k, v in wire_completion(9).items() if k != "revoked"}, "revoked"),
    ],
)
def test_an_invalid_completion_raises_naming_its_id_and_field(completion: dict[str, object], field: str) -> None:
    source, _ = source_for(ScriptedLumiq(feed_page([wire_completion(1), completion])))

    with pytest.raises(LumiqInvalidCompletion) as raised:
        list(source.pages(None))

    assert (raised.value.completion_id, raised.value.field) == ("cmp_00000009", field)
    assert isinstance(raised.value, SourceUnavailable)
    assert str(raised.value).startswith(f"LumiQ sent completion cmp_00000009 with an invalid {field}: ")


def test_a_completion_that_is_not_an_object_makes_the_page_unreadable() -> None:
    source, _ = source_for(ScriptedLumiq(feed_page(["cmp_1"])))  # type: ignore[list-item]

    with pytest.raises(LumiqFeedUnavailable, match=r"not the documented shape: data\.0"):
        list(source.pages(None))


def test_the_page_holding_an_invalid_completion_is_never_yielded_so_its_cursor_is_never_kept() -> None:
    lumiq = ScriptedLumiq(
        feed_page([wire_completion(1)], cursor="c1", has_more=True),
        feed_page([wire_completion(2), with_episode(3, id="")], cursor="c3", has_more=True),
    )
    source, _ = source_for(lumiq)
    yielded: list[CompletionPage] = []

    with pytest.raises(LumiqInvalidCompletion, match="cmp_00000003"):
        yielded.extend(source.pages(None))

    assert [p.cursor for p in yielded] == ["c1"]


def test_a_cursor_that_does_not_move_while_more_is_promised_raises_rather_than_loop() -> None:
    lumiq = ScriptedLumiq(
        feed_page([], cursor="c1", has_more=True),
        feed_page([], cursor="c1", has_more=True),
    )
    source, _ = source_for(lumiq)

    with pytest.raises(LumiqFeedUnavailable, match="cursor 'c1' again"):
        list(source.pages(None))


@pytest.mark.parametrize("page_size", [0, 1001])
def test_a_page_size_outside_what_lumiq_serves_is_refused(page_size: int) -> None:
    with pytest.raises(ValueError, match="page_size"):
        source_for(ScriptedLumiq(), page_size=page_size)


def test_the_key_is_in_no_repr_and_no_error_even_when_lumiq_echoes_it() -> None:
    lumiq = ScriptedLumiq(
        refusal(503, "unavailable", f"down for {API_KEY}"),
        refusal(401, "unauthorized", f"unknown API key {API_KEY}"),
    )
    source, _ = source_for(lumiq, retry=NO_JITTER)

    with pytest.raises(LumiqFeedUnavailable) as raised:
        list(source.pages(None))

    assert API_KEY not in repr(source)
    assert "127.0.0.1:8765/lumiq" in repr(source)
    assert API_KEY not in str(raised.value) + repr(raised.value)
    assert "unknown API key **********" in str(raised.value)


def test_can_be_built_without_retry_policy_or_sleep() -> None:
    client = httpx.Client(base_url="http://127.0.0.1:1/lumiq")

    assert "page_size=500" in repr(LumiqCompletionSource(client, SecretStr(API_KEY)))
