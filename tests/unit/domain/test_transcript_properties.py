from datetime import UTC
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from domain.transcripts import ProviderCompletion, Settled, TranscriptPlan, plan_transcripts
from tests.transcript_factories import feeds

ZONES = st.sampled_from([ZoneInfo(z) for z in ("America/Los_Angeles", "America/Toronto", "Asia/Tokyo", "UTC")])


def settle(settled: Settled, plan: TranscriptPlan) -> Settled:
    contents = dict(settled.contents) | {c.id: c.payload_hash for c in plan.contents}
    records = dict(settled.records) | {r.id: r.payload_hash for r in plan.records}
    return Settled(contents, records)


@given(feeds, ZONES)
def test_spreadsheet_keys_run_from_one_to_n(feed: list[ProviderCompletion], zone: ZoneInfo) -> None:
    plan = plan_transcripts(feed, Settled({}, {}), zone)
    assert [c.spreadsheet_key for c in plan.contents] == list(range(1, len(plan.contents) + 1))
    assert [r.spreadsheet_key for r in plan.records] == list(range(1, len(plan.records) + 1))


@given(feeds, ZONES)
def test_the_completion_date_is_within_a_day_of_the_utc_date_and_is_the_tenants_date(
    feed: list[ProviderCompletion], zone: ZoneInfo
) -> None:
    plan = plan_transcripts(feed, Settled({}, {}), zone)
    latest = {c.completion_id: c for c in feed}
    for record in plan.records:
        moment = latest[record.id].completed_at
        assert abs((record.completion_date - moment.astimezone(UTC).date()).days) <= 1
        assert record.completion_date == moment.astimezone(zone).date()


@given(feeds, ZONES)
def test_every_record_has_its_content_sent_or_already_settled(feed: list[ProviderCompletion], zone: ZoneInfo) -> None:
    plan = plan_transcripts(feed, Settled({}, {}), zone)
    assert {r.content_id for r in plan.records} <= {c.id for c in plan.contents}


@given(feeds, ZONES)
def test_failed_completions_are_never_sent(feed: list[ProviderCompletion], zone: ZoneInfo) -> None:
    plan = plan_transcripts(feed, Settled({}, {}), zone)
    latest = {c.completion_id: c for c in feed}
    assert all(latest[r.id].passed for r in plan.records)


@given(feeds, feeds, ZONES)
def test_every_passed_completion_ends_up_delivered_exactly_once_over_successive_runs(
    first_feed: list[ProviderCompletion], later_changes: list[ProviderCompletion], zone: ZoneInfo
) -> None:
    """Runs over a growing feed, each settling what it planned: each payload is sent once, and at the end
    Workday holds exactly the passed completions of known learners (revoked ones inactive)."""
    settled = Settled({}, {})
    sent: list[tuple[str, str]] = []
    for feed in (first_feed, first_feed + later_changes, first_feed + later_changes):
        plan = plan_transcripts(feed, settled, zone)
        sent.extend((r.id, r.payload_hash) for r in plan.records)
        settled = settle(settled, plan)
    assert len(sent) == len(set(sent))
    latest = {c.completion_id: c for c in first_feed + later_changes}
    should_hold = {
        c.completion_id
        for c in latest.values()
        if c.passed and c.learner_employee_id is not None and (not c.revoked or c.completion_id in settled.records)
    }
    assert set(settled.records) >= should_hold
    assert plan_transcripts(first_feed + later_changes, settled, zone).is_empty
