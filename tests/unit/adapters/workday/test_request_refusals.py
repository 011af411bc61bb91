"""How the Learning API's HTTP statuses without a SOAP fault are taken: what passes is retried, what every request
would get is raised, and what judges the request itself is a refusal of that item, sent once."""

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.workday.errors import SoapAuthRejected, SoapRequestFailed, SoapRequestRefused
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.talent.skills import WorkdaySkills
from domain.course_wrapper import AccountSettings, wrap
from domain.learning_content import Content, Named
from tests.unit.adapters.workday.scripted_service import NO_WAIT, ScriptedService, client_over, page, talent_over
from tests.unit.adapters.workday.soap import A_CONTENT, content_reply, sink_for, validation_fault
from tests.unit.adapters.workday.test_course_publisher import TOPICS

PASSING = {408, 429}
CREDENTIALS = {401, 403}
EVERY_REQUEST_FAILS = {404, 405, 407, 410, 411, 415, 421, 426}
"""The endpoint, the version or the way every request is sent is wrong: no item is to blame."""


def _answer(status: int) -> httpx.Response:
    return httpx.Response(status, text=f"<html><body>{status} from the front end</body></html>")


@given(st.integers(min_value=400, max_value=499).filter(lambda s: s not in CREDENTIALS))
def test_a_4xx_without_a_fault_is_retried_raised_or_refused_by_what_it_judges(status: int) -> None:
    sink, workday, sleeps = sink_for(_answer(status), content_reply())

    if status in EVERY_REQUEST_FAILS:
        with pytest.raises(SoapRequestFailed, match=str(status)):
            sink.put_content(A_CONTENT)
        assert len(workday.requests) == 1
        return
    result = sink.put_content(A_CONTENT)
    if status in PASSING:
        assert result.unwrap() == "c0ffee00000000000000000000000001"
        assert len(workday.requests) == 2
        return
    refused = result.failure()
    assert not refused.retryable
    assert f"HTTP {status}" in refused.message
    assert refused.item_id == A_CONTENT.id
    assert len(workday.requests) == 1
    assert sleeps == []


def test_a_413_says_the_request_is_too_large_for_the_tenant() -> None:
    sink, _, _ = sink_for(httpx.Response(413, text="Request Entity Too Large"))

    refused = sink.put_content(A_CONTENT).failure()

    assert "HTTP 413" in refused.message
    assert "larger than the tenant takes" in refused.message
    assert "Workday said: Request Entity Too Large" in refused.message


@pytest.mark.parametrize("status", sorted(CREDENTIALS))
def test_refused_credentials_still_raise_rather_than_refuse_the_item(status: int) -> None:
    sink, workday, _ = sink_for(_answer(status))

    with pytest.raises(SoapAuthRejected):
        sink.put_content(A_CONTENT)
    assert len(workday.requests) == 1


def test_a_4xx_with_a_validation_fault_is_judged_by_its_fault() -> None:
    answer = validation_fault(("Title is too long", None, "/bsvc:Title[1]"))
    answer.status_code = 400
    sink, workday, _ = sink_for(answer)

    refused = sink.put_content(A_CONTENT).failure()

    assert not refused.retryable
    assert refused.message == "Title is too long"
    assert refused.xpath == "/bsvc:Title[1]"
    assert len(workday.requests) == 1


def test_a_course_workday_refuses_as_sent_is_a_refusal_sent_once() -> None:
    service = ScriptedService()
    service.answer("Get_Learning_Topics", page("Learning_Topic", TOPICS, 1, 1))
    service.answer("Manage_Learning_Course", SoapRequestRefused("Workday refused the request as sent (HTTP 413)", 413))
    skills = WorkdaySkills(lambda: talent_over(service), retry=NO_WAIT)
    publisher = WorkdayCoursePublisher(client_over(service), skills, retry=NO_WAIT, sleep=lambda _: None)
    content = Content("Fire safety", "ext-1", "https://provider.example/fire", categories=(Named("Safety"),))

    refused = publisher.publish(wrap(content, AccountSettings()), None).failure()

    assert not refused.retryable
    assert "HTTP 413" in refused.message
    assert len(service.requests("Manage_Learning_Course")) == 1
