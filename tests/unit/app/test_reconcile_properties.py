"""``reconcile --fix`` over random histories of a tenant, played through the use cases on fakes: content upserts
(some moving a course's reference by its title, some changing it), completions the provider pushes and
withdraws, and learners launching courses that Workday then completes by itself.

Whatever the history, the fix never rescinds an enrollment the provider delivered a completion onto and did not
withdraw, never pushes a completion Workday already holds, and leaves nothing for a second run to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Success

from adapters.fakes import (
    FixedClock,
    InMemoryCompletionOutbox,
    InMemoryCoverImages,
    InMemoryEnrollmentRegistry,
    InMemorySyncLedger,
    InMemoryWorkdayLearning,
)
from app.use_cases.lms import DeleteCompletion, PushCompletion, UpsertContent
from app.use_cases.reconcile import ReconcileCompletions
from domain.completion_reconciliation import SentState
from domain.course_wrapper import AccountSettings
from domain.learning_completions import CompletionResult, Enrollment, LearningCompletion
from domain.learning_content import Content, Named

ACCOUNT = "acme"
T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
TITLES = ("Advanced Sales", "Negotiation", "Ethics")
REFERENCES = ("ADV-SALES-001", "ADV-SALES-002", "NEG-001", "ETH-001")
LEARNERS = ("1", "2", "3")


@dataclass(frozen=True)
class Upsert:
    title: int
    reference: int


@dataclass(frozen=True)
class Push:
    learner: str
    reference: int
    result: CompletionResult
    minute: int


@dataclass(frozen=True)
class Withdraw:
    learner: str
    reference: int


@dataclass(frozen=True)
class Launch:
    learner: str
    reference: int
    auto_completes: bool


Step = Upsert | Push | Withdraw | Launch

STEPS = st.lists(
    st.one_of(
        st.builds(Upsert, st.integers(0, len(TITLES) - 1), st.integers(0, len(REFERENCES) - 1)),
        st.builds(
            Push,
            st.sampled_from(LEARNERS),
            st.integers(0, len(REFERENCES) - 1),
            st.sampled_from(list(CompletionResult)),
            st.integers(0, 5),
        ),
        st.builds(Withdraw, st.sampled_from(LEARNERS), st.integers(0, len(REFERENCES) - 1)),
        st.builds(Launch, st.sampled_from(LEARNERS), st.integers(0, len(REFERENCES) - 1), st.booleans()),
    ),
    max_size=25,
)


@dataclass
class Tenant:
    """A tenant's Workday and the provider's record of what it sent, as the completion outbox keeps it."""

    workday: InMemoryWorkdayLearning = field(default_factory=lambda: InMemoryWorkdayLearning(topics=[Named("Sales")]))
    sent: InMemoryCompletionOutbox = field(default_factory=InMemoryCompletionOutbox)
    providers: set[str] = field(default_factory=set)
    """The enrollments the provider delivered onto and did not withdraw."""

    def __post_init__(self) -> None:
        self.registry = InMemoryEnrollmentRegistry(learners=LEARNERS, catalog=self.workday)
        self.upsert = UpsertContent(self.workday, self.workday, InMemoryCoverImages(), AccountSettings())
        self.push = PushCompletion(self.workday, self.registry)
        self.delete = DeleteCompletion(self.registry, self.sent, ACCOUNT, FixedClock(T0))

    def play(self, step: Step) -> None:
        reference = REFERENCES[getattr(step, "reference", 0)]
        match step:
            case Upsert(title=title):
                content = Content(TITLES[title], reference, "https://p.example/c", categories=(Named("Sales"),))
                self.upsert(content)  # a conflict is refused, and changes nothing
            case Push(learner=learner, result=result, minute=minute):
                completion = LearningCompletion(learner, reference, result, T0 + timedelta(minutes=minute))
                match self.push(completion):
                    case Success(enrollment):
                        self.sent.send(
                            ACCOUNT, completion, SentState.DELIVERED, enrollment.workday_id, enrollment.course_id
                        )
                        self.providers.add(enrollment.workday_id)
                    case _:
                        self.sent.send(ACCOUNT, completion, SentState.REFUSED, note="refused")
            case Withdraw(learner=learner):
                course = self.registry.course_id(reference)
                mine = [e for e in self.registry.enrollments(learner, course) if e.workday_id in self.providers]
                if course is not None and mine and isinstance(self.delete(learner, mine[0].workday_id), Success):
                    self.providers.discard(mine[0].workday_id)
            case Launch(learner=learner, auto_completes=auto_completes):
                if self.registry.course_id(reference) is None:
                    return
                launched = self.registry.launch(learner, reference)
                if auto_completes:
                    done = LearningCompletion(learner, reference, CompletionResult.PASS, T0)
                    self.registry.complete(done, launched.course_id, launched)

    def reconcile(self, *, all_courses: bool) -> ReconcileCompletions:
        return ReconcileCompletions(
            self.workday, self.registry, self.sent, self.push, ACCOUNT, InMemorySyncLedger(), FixedClock(T0)
        )


def completed(held: list[Enrollment]) -> set[tuple[str, str, CompletionResult | None]]:
    return {(e.learner_id, e.course_id, e.result) for e in held if e.completed_at is not None}


@settings(max_examples=150)
@given(STEPS, st.booleans())
def test_fix_never_rescinds_what_the_provider_delivered_nor_pushes_what_workday_holds(
    steps: list[Step], all_courses: bool
) -> None:
    tenant = Tenant()
    for step in steps:
        tenant.play(step)
    before = tenant.registry.enrollments(None, None)
    rescinded_before = set(tenant.registry.rescinded)

    result = tenant.reconcile(all_courses=all_courses)(all_courses=all_courses, fix=True)

    rescinded = set(tenant.registry.rescinded) - rescinded_before
    assert not rescinded & tenant.providers, "an enrollment the provider delivered onto was rescinded"
    held = completed(before)
    for fix in result.fixes:
        d = fix.discrepancy
        if d.pushes:
            assert d.completion is not None
            assert (d.learner_id, d.course_id, d.completion.result) not in held, "pushed what Workday held"
    again = tenant.reconcile(all_courses=all_courses)(all_courses=all_courses)
    assert again.reconciliation.to_fix == ()
