"""The alert rules (``domain.alerts``) and their evaluation over time (``EvaluateAlerts`` on the in-memory log and
channels): one alert per incident, one recovery notice when it clears, nothing new from the same status twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.fakes import FixedClock
from adapters.fakes.alert_channel import RecordingAlertChannel
from adapters.fakes.incident_log import InMemoryIncidentLog
from app.use_cases.alerts import EvaluateAlerts
from domain.alerts import AlertPolicy, Condition, NoticeKind, decide_alerts, incidents_of
from domain.runs import RunKind, RunOutcome
from domain.tenant_status import DeliveryStatus, KindStatus, RunMark, TenantStatus, TokenStatus

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = AlertPolicy({RunKind.MEMBERSHIP: timedelta(hours=26)}, timedelta(minutes=60))
TENANTS = ("acme", "globex")


@dataclass(frozen=True)
class Health:
    """The conditions of one tenant at one moment, from which its status is built."""

    failing: frozenset[RunKind] = frozenset()
    blocked: bool = False
    outbox_minutes: int | None = None
    token_refused: bool = False
    membership_success_hours_ago: int = 1
    paused: bool = False


def status_of(tenant: str, health: Health, now: datetime) -> TenantStatus:
    runs = []
    for n, kind in enumerate(RunKind):
        success = RunMark(10 + n, now - timedelta(hours=health.membership_success_hours_ago), RunOutcome.SUCCEEDED)
        failure = RunMark(20 + n, now, RunOutcome.FAILED, "Workday answered 503") if kind in health.failing else None
        runs.append(KindStatus(kind, success, failure, scheduled=True, paused=health.paused))
    return TenantStatus(
        tenant,
        now,
        health.paused,
        tuple(runs),
        DeliveryStatus(
            depth=0 if health.outbox_minutes is None else 3,
            oldest_pending=None if health.outbox_minutes is None else now - timedelta(minutes=health.outbox_minutes),
        ),
        TokenStatus(now - timedelta(hours=2), now, "expired") if health.token_refused else TokenStatus(now),
        RunMark(7, now, RunOutcome.BLOCKED, "blocked by the removal guard") if health.blocked else None,
    )


def test_each_condition_is_one_incident_with_its_own_key() -> None:
    health = Health(frozenset({RunKind.TRANSCRIPTS}), True, 90, False, membership_success_hours_ago=30)

    found = incidents_of(status_of("acme", health, T0), POLICY)

    assert sorted(i.key for i in found) == [
        "acme/outbox-old",
        "acme/plan-blocked",
        "acme/run-failed/transcripts",
        "acme/stale/membership",
    ]
    blocked = next(i for i in found if i.condition is Condition.PLAN_BLOCKED)
    assert "wlc membership approve 7" in blocked.summary


def test_a_refused_refresh_token_is_one_incident_not_one_more_per_failing_run() -> None:
    health = Health(frozenset({RunKind.TRANSCRIPTS, RunKind.MEMBERSHIP}), token_refused=True)

    found = incidents_of(status_of("acme", health, T0), POLICY)

    assert [i.key for i in found] == ["acme/token-refused"]


def test_the_run_a_refused_token_failed_is_no_incident_of_its_own_once_a_token_is_granted_again() -> None:
    refused = TokenStatus(T0 - timedelta(hours=3), T0 - timedelta(hours=2), "invalid_grant")
    granted_again = TokenStatus(T0, refused.last_refusal, refused.refusal)  # a run under way after the fix
    failed_while_refused = status_of("acme", Health(frozenset({RunKind.TRANSCRIPTS})), T0 - timedelta(hours=1))
    failed_after_the_grant = status_of("acme", Health(frozenset({RunKind.TRANSCRIPTS})), T0 + timedelta(minutes=5))

    assert incidents_of(replace(failed_while_refused, as_of=T0, token=granted_again), POLICY) == []
    (after,) = incidents_of(replace(failed_after_the_grant, token=granted_again), POLICY)
    assert after.key == "acme/run-failed/transcripts"


def test_a_paused_tenant_is_neither_stale_nor_has_an_old_outbox() -> None:
    health = Health(outbox_minutes=600, membership_success_hours_ago=300, paused=True)

    assert incidents_of(status_of("acme", health, T0), POLICY) == []


def test_thresholds_not_reached_or_not_set_open_nothing() -> None:
    health = Health(outbox_minutes=59, membership_success_hours_ago=25)

    assert incidents_of(status_of("acme", health, T0), POLICY) == []
    assert incidents_of(status_of("acme", Health(outbox_minutes=600), T0), AlertPolicy()) == []


def test_an_incident_of_a_tenant_not_evaluated_is_left_alone_unless_the_tenant_is_gone() -> None:
    (open_incident,) = incidents_of(status_of("globex", Health(token_refused=True), T0), POLICY)
    acme = [status_of("acme", Health(), T0)]

    assert decide_alerts([open_incident], acme, lambda _: POLICY).cleared == ()
    assert decide_alerts([open_incident], acme, lambda _: POLICY, watched={"acme"}).cleared == (open_incident.key,)


healths = st.builds(
    Health,
    failing=st.frozensets(st.sampled_from(list(RunKind)), max_size=2),
    blocked=st.booleans(),
    outbox_minutes=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    token_refused=st.booleans(),
    membership_success_hours_ago=st.integers(min_value=1, max_value=40),
    paused=st.booleans(),
)
histories = st.lists(st.fixed_dictionaries({tenant: healths for tenant in TENANTS}), min_size=1, max_size=8)


@dataclass
class Rig:
    """``EvaluateAlerts`` over a status that moves as the test says, on an in-memory log and channels."""

    clock: FixedClock = field(default_factory=lambda: FixedClock(T0))
    log: InMemoryIncidentLog = field(default_factory=InMemoryIncidentLog)
    webhook: RecordingAlertChannel = field(default_factory=lambda: RecordingAlertChannel("webhook"))
    email: RecordingAlertChannel = field(default_factory=lambda: RecordingAlertChannel("email"))
    now_health: dict[str, Health] = field(default_factory=dict)

    def statuses(self, tenants: Collection[str] | None) -> list[TenantStatus]:
        return [
            status_of(t, h, self.clock.now()) for t, h in self.now_health.items() if tenants is None or t in tenants
        ]

    def evaluate(self) -> None:
        channels = [self.webhook, self.email]
        EvaluateAlerts(self.statuses, self.log, lambda _: POLICY, lambda _: channels, self.clock)()

    def shown(self) -> set[str]:
        return {i.key for t, h in self.now_health.items() for i in incidents_of(status_of(t, h, T0), POLICY)}


def sent(channel: RecordingAlertChannel, kind: NoticeKind) -> Counter[str]:
    return Counter(n.incident.key for n in channel.sent if n.kind is kind)


@settings(max_examples=80)
@given(histories)
def test_each_incident_gets_one_alert_while_it_lasts_and_one_recovery_when_it_clears(
    history: list[dict[str, Health]],
) -> None:
    rig = Rig()
    episodes: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    before: set[str] = set()
    for step in history:
        rig.now_health = step
        rig.clock.advance(timedelta(minutes=10))
        rig.evaluate()
        now = rig.shown()
        episodes.update(now - before)
        ended.update(before - now)
        before = now

        assert {h.incident.key for h in rig.log.held()} == now, "every incident shown is open, and only those"
    for channel in (rig.webhook, rig.email):
        assert sent(channel, NoticeKind.ALERT) == episodes
        assert sent(channel, NoticeKind.RECOVERY) == ended


@settings(max_examples=50)
@given(histories)
def test_evaluating_the_same_status_again_sends_nothing_new(history: list[dict[str, Health]]) -> None:
    rig = Rig()
    for step in history:
        rig.now_health = step
        rig.evaluate()
        held, alerts = rig.log.held(), len(rig.webhook.sent)

        rig.evaluate()

        assert rig.log.held() == held
        assert len(rig.webhook.sent) == alerts


@settings(max_examples=50)
@given(histories, st.lists(st.booleans(), min_size=8, max_size=8))
def test_a_channel_that_fails_is_owed_its_notices_and_no_channel_hears_of_an_incident_twice_in_a_row(
    history: list[dict[str, Health]], email_down: list[bool]
) -> None:
    rig = Rig()
    for step, down in zip(history, email_down, strict=False):
        rig.now_health = step
        rig.email.failing = down
        rig.clock.advance(timedelta(minutes=10))
        rig.evaluate()

        for channel in (rig.webhook, rig.email):
            for key in {n.incident.key for n in channel.sent}:
                kinds = [n.kind for n in channel.sent if n.incident.key == key]
                alternating = [NoticeKind.ALERT, NoticeKind.RECOVERY] * len(kinds)
                assert kinds == alternating[: len(kinds)], f"{channel.name}: {key}: {kinds}"
    rig.email.failing = False
    rig.evaluate()
    owed = {h.incident.key for h in rig.log.held() if h.is_open}
    assert owed <= set(sent(rig.email, NoticeKind.ALERT)), "an open incident's alert reaches the email in the end"
    assert all(not h.cleared_at for h in rig.log.held()), "every recovery owed was sent"
