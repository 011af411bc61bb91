from returns.result import Success

from adapters.fakes import InMemoryCoverImages, InMemoryWorkdayLearning
from app.use_cases.lms import UpsertContent
from domain.course_wrapper import AccountSettings
from domain.learning_content import Content, Named


def test_a_skill_given_by_a_known_id_and_a_wrong_name_is_published_under_workdays_name() -> None:
    workday = InMemoryWorkdayLearning(
        topics=[Named("Sales", "TOPIC_SALES")], skills=[Named("Negotiation", "SKILL_NEG")]
    )
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    content = Content(
        title="Closing Deals",
        external_reference="CLOSE-1",
        content_url="https://provider.example.com/close-1",
        categories=(Named("sales"),),
        skills=(Named("0", "SKILL_NEG"),),
    )
    assert isinstance(upsert(content), Success)
    stored = workday.stored("CLOSE-1")
    assert stored is not None
    assert (stored.topics, stored.skills) == (("Sales",), ("Negotiation",))


def test_what_the_tenant_cannot_take_is_left_out_and_the_outcome_says_so() -> None:
    workday = InMemoryWorkdayLearning(topics=[Named("Sales", "TOPIC_SALES")], lacks=["languages"])
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    content = Content(
        title="Closing Deals",
        external_reference="CLOSE-1",
        content_url="https://provider.example.com/close-1",
        categories=(Named("Sales"),),
        languages=("en_GB",),
    )

    outcome = upsert(content).unwrap()

    assert [o.field for o in outcome.left_out] == ["languages"]
    stored = workday.stored("CLOSE-1")
    assert stored is not None
    assert stored.languages == ()


def test_an_item_without_what_the_tenant_lacks_leaves_nothing_out() -> None:
    workday = InMemoryWorkdayLearning(topics=[Named("Sales", "TOPIC_SALES")], lacks=["languages", "skills"])
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    content = Content(
        title="Closing Deals",
        external_reference="CLOSE-1",
        content_url="https://provider.example.com/close-1",
        categories=(Named("Sales"),),
    )

    assert upsert(content).unwrap().left_out == ()
