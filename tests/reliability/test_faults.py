"""Faults: the sandbox fails a fifth of all calls at random (500, 503, 429 with Retry-After), and on top of that
the Learning endpoint answers some requests with a Processing_Fault or drops the connection. A membership sync
and a transcript sync, run again while a run leaves retryable failures (as an operator or a scheduler would),
end with the sandbox holding exactly the expected state: nothing lost, nothing sent twice, and nothing that
Workday refused as invalid sent again. The retry waits are recorded, not slept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.use_cases.membership import MembershipSyncResult
from app.use_cases.transcripts import TranscriptSyncResult
from domain.errors import PortUnavailable
from domain.membership_plan import Invite
from domain.runs import RunOutcome
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.population import worker_by_employee_id
from sandbox.server import SandboxServer
from tests.reliability.harness import InvalidPuts, RecordedSleeps, closing, sandbox_container

MAX_PASSES = 8
"""Each pass fails a whole run with a chance of about one in five (the report, the WSDL or the first token
request failing), and leaves an item undelivered with a chance of 0.3**6: eight passes all failing is
vanishingly rare."""


def fault_storm(faults: Faults) -> None:
    faults.error_rate = 0.2
    faults.error_statuses = (500, 503, 429)
    faults.retry_after_seconds = 2
    faults.processing_fault_rate = 0.05
    faults.reset_connection_rate = 0.05


def test_a_transcript_sync_under_a_fault_storm_ends_exact(tmp_path: Path) -> None:
    config = SandboxConfig(workers=800, seed=31, completions=1200, soap_rate_limit=None, seed_lumiq=False)
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    sleeps = RecordedSleeps()
    with SandboxServer(config) as sandbox, InvalidPuts().watching() as puts:
        fault_storm(sandbox.faults)
        passes: list[str] = []
        for _ in range(MAX_PASSES):
            result = _transcript_pass(sandbox, ledger, sleeps)
            passes.append(_describe(result))
            if isinstance(result, TranscriptSyncResult) and result.outcome is RunOutcome.SUCCEEDED:
                break
        sandbox.faults.clear()

        latest = sandbox.completions.latest().values()
        known = {
            c.id
            for c in latest
            if c.status == "passed"
            and not c.revoked
            and c.member.employee_id is not None
            and worker_by_employee_id(sandbox.config, c.member.employee_id) is not None
        }
        unknown_learner = {
            c.id
            for c in latest
            if c.status == "passed"
            and not c.revoked
            and c.member.employee_id is not None
            and worker_by_employee_id(sandbox.config, c.member.employee_id) is None
        }
        store = sandbox.workday_learning
        record_puts = store.put_counts("record")
        content_puts = store.put_counts("content")
        print(
            f"\ntranscripts under faults: {len(latest)} completions, {len(known)} records expected, "
            f"{len(unknown_learner)} of unknown learners; passes: {passes}; "
            f"{sandbox.counts.total('workday')} Workday and {sandbox.counts.total('lumiq')} LumiQ requests; "
            f"{len(sleeps.waits)} retry waits ({sleeps.total:.0f} s recorded, none slept); "
            f"stored {len(record_puts)} records (max puts {max(record_puts.values(), default=0)}), "
            f"{len(content_puts)} contents (max puts {max(content_puts.values(), default=0)}); "
            f"refused as invalid: {sum(puts.refused.values())} puts of {len(puts.refused)} items"
        )

        assert passes[-1].startswith("succeeded"), passes
        assert set(record_puts) == known, "a record lost or one too many"
        assert all(n == 1 for n in record_puts.values()), "a record put twice"
        assert all(n == 1 for n in content_puts.values()), "a content put twice"
        assert {r.content_id for r in store.records()} <= set(content_puts)
        assert unknown_learner, "the feed should hold completions of learners Workday does not know"
        assert set(puts.refused) == unknown_learner
        assert all(puts.refused[item] == 1 for item in unknown_learner), "an invalid record was sent again"
        assert all(puts.processed[item] == 1 for item in known), "a record was processed twice"
        assert sleeps.waits, "the storm should have caused retries"
        assert 2.0 in sleeps.waits, "Retry-After was not honoured"

        with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
            again = container.plan_transcripts()()
        assert again.plan.is_empty


def _transcript_pass(sandbox: SandboxServer, ledger: str, sleeps: RecordedSleeps) -> TranscriptSyncResult | str:
    """One ``wlc transcripts sync``; a run that could not start (the WSDL or a token could not be had) is a
    string saying why."""
    try:
        with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
            return container.sync_transcripts()()
    except PortUnavailable as problem:
        return f"could not start: {problem}"


def test_a_membership_sync_under_a_fault_storm_ends_exact(tmp_path: Path) -> None:
    config = SandboxConfig(workers=4000, seed=37, completions=0)
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    sleeps = RecordedSleeps()
    with SandboxServer(config) as sandbox:
        before = {m.id: m for m in sandbox.lumiq.members()}
        with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
            expected = container.plan_membership()()
        assert not expected.blocked
        holders = {m.employee_id for m in before.values() if m.employee_id is not None}
        new_members = [a for a in expected.invites if isinstance(a, Invite) and a.worker.employee_id not in holders]

        fault_storm(sandbox.faults)
        passes: list[str] = []
        for _ in range(MAX_PASSES):
            with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
                result = container.sync_membership()()
            passes.append(_describe(result))
            if result.outcome is RunOutcome.SUCCEEDED:
                break
        sandbox.faults.clear()

        after = {m.id: m for m in sandbox.lumiq.members()}
        by_employee = Counter(m.employee_id for m in after.values() if m.employee_id is not None)
        with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
            final = container.plan_membership()()
        print(
            f"\nmembership under faults: {expected.report_rows} report rows, {len(before)} members; plan: "
            f"{len(expected.invites)} invites ({len(new_members)} new), {len(expected.updates)} updates, "
            f"{len(expected.removals)} removals, {len(expected.rejected)} rejected rows; passes: {passes}; "
            f"{sandbox.counts.total('workday')} Workday and {sandbox.counts.total('lumiq')} LumiQ requests; "
            f"{len(sleeps.waits)} retry waits ({sleeps.total:.0f} s recorded, none slept); "
            f"{len(after)} members after"
        )

        assert passes[-1].startswith("succeeded"), passes
        assert final.is_empty, f"left undone: {final.actions[:5]}"
        assert len(final.rejected) == len(expected.rejected)
        assert len(after) == len(before) + len(new_members), "a member invited twice, or lost"
        assert max(by_employee.values()) == 1, "two members for one employee"
        for invite in expected.invites:
            (member,) = [m for m in after.values() if m.employee_id == invite.worker.employee_id]
            assert member.has_seat
            assert (member.first_name, member.last_name) == (invite.worker.first_name, invite.worker.last_name)
        for removal in expected.removals:
            assert not after[removal.member.id].has_seat
        for update in expected.updates:
            member = after[update.member.id]
            for change in update.changes:
                assert getattr(member, change.field) == change.after
        touched = {u.member.id for u in expected.updates} | {r.member.id for r in expected.removals}
        untouched = {i for i in before if i not in touched} - {
            m.id for m in after.values() if m.employee_id in {i.worker.employee_id for i in expected.invites}
        }
        assert all(after[i] == before[i] for i in untouched), "a member the plan did not name was changed"


def _describe(result: MembershipSyncResult | TranscriptSyncResult | str) -> str:
    if isinstance(result, str):
        return result
    counts = result.run.counts
    failed = counts.get("failed", 0)
    return (
        f"{result.outcome.value} ({failed} failed)"
        if result.run.message == ""
        else (f"{result.outcome.value}: {result.run.message[:120]}")
    )
