"""The envelopes the connector sends for a content upsert with categories and skills, captured on the wire
against the sandbox: topics and skills are referenced by WID, the skills are read from the Talent service, and
no WID is ever sent under another ID type's name."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lxml import etree
from pydantic import SecretStr

from adapters.fakes import InMemoryCoverImages
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.client import build_learning_client
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.talent.client import build_talent_client
from adapters.workday.talent.skills import WorkdaySkills
from app.use_cases.lms import UpsertContent
from domain.course_wrapper import AccountSettings
from domain.learning_content import Content, Named
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

WD = "urn:com.workday/bsvc"
NS = {"wd": WD, "env": "http://schemas.xmlsoap.org/soap/envelope/"}


class Capturing(httpx.HTTPTransport):
    """The real network, with every request's URL and body kept."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((str(request.url), request.read()))
        return super().handle_request(request)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=5, soap_rate_limit=None)) as server:
        yield server


def posted(wire: Capturing, service: str, operation: str) -> list[etree._Element]:
    bodies = [body for url, body in wire.sent if f"/{service}/" in url and body]
    found = [etree.fromstring(body).find(f"env:Body/wd:{operation}_Request", NS) for body in bodies]
    return [element for element in found if element is not None]


def test_topics_and_skills_go_by_wid_and_skills_come_from_the_talent_service(sandbox: SandboxServer) -> None:
    config = sandbox.config
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    wire = Capturing()
    learning = build_learning_client(sandbox.learning_url(), auth, transport=wire)
    skills = WorkdaySkills(lambda: build_talent_client(sandbox.talent_url(), auth, transport=wire))
    upsert = UpsertContent(
        SoapLearningCatalog(learning),
        WorkdayCoursePublisher(learning, skills),
        InMemoryCoverImages(),
        AccountSettings(),
    )
    content = Content(
        title="Advanced Sales Techniques",
        external_reference="ADV-SALES-001",
        content_url="https://provider.example.com/courses/adv-sales-001",
        categories=(Named("Sales"), Named("Technology", "cat-technology")),
        skills=(Named("Sales Techniques", "skill-001"), Named("Customer Engagement")),
    )

    upsert(content).unwrap()

    assert len(posted(wire, "Talent", "Get_Skills")) == 1
    (manage,) = posted(wire, "Learning", "Manage_Learning_Course")
    data = manage.find("wd:Manage_Learning_Course_Data/wd:Put_Learning_Digital_Course_Request/"
                       "wd:Learning_Digital_Course_Data", NS)  # fmt: skip
    assert data is not None
    topics = [(i.get(f"{{{WD}}}type"), i.text) for i in data.iterfind("wd:Topic_Reference/wd:ID", NS)]
    skill_ids = [(i.get(f"{{{WD}}}type"), i.text) for i in data.iterfind("wd:Skill_Reference/wd:ID", NS)]
    courses = sandbox.learning
    assert topics == [("WID", courses.topic("TOPIC_SALES").wid), ("WID", courses.topic("TOPIC_TECHNOLOGY").wid)]
    assert skill_ids == [
        ("WID", courses.skill("SKILL_SALES_TECHNIQUES").wid),
        ("WID", courses.skill("SKILL_CUSTOMER_ENGAGEMENT").wid),
    ]
    wids = {wid for _, wid in topics + skill_ids}
    for _, body in wire.sent:
        for element in etree.fromstring(body).iter(f"{{{WD}}}ID") if body else ():
            if element.text in wids:
                assert element.get(f"{{{WD}}}type") == "WID", "a WID under another type's name"
    assert not posted(wire, "Learning", "Get_Skill_Items")
    learning.close()
