"""The sandbox's Talent web service: ``Get_Skills`` through zeep and the served Talent WSDL, as the connector's
client calls it, and the skill items a course may reference."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from sandbox import SandboxServer
from sandbox.config import SandboxConfig
from sandbox.workday.learning.courses import SEEDED_SKILLS


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=5, soap_rate_limit=None)) as server:
        yield server


def talent(server: SandboxServer) -> object:
    config = server.config
    client = Client(  # type: ignore[no-untyped-call]
        server.talent_url() + "?wsdl",
        wsse=UsernameToken(f"{config.isu_username}@{config.tenant}", config.isu_password),  # type: ignore[no-untyped-call]
        settings=Settings(strict=True),
        transport=Transport(timeout=10, operation_timeout=10),  # type: ignore[no-untyped-call]
    )
    return client.service


def test_get_skills_lists_the_tenants_skill_items_page_by_page_with_wid_and_skill_id(sandbox: SandboxServer) -> None:
    first = talent(sandbox).Get_Skills(Response_Filter={"Page": 1, "Count": 3})  # type: ignore[attr-defined]
    last = talent(sandbox).Get_Skills(Response_Filter={"Page": 4, "Count": 3})  # type: ignore[attr-defined]

    assert [s.Skill_Data.Name for s in first.Response_Data.Skill] == [name for _, name in SEEDED_SKILLS[:3]]
    assert (first.Response_Results.Total_Results, first.Response_Results.Total_Pages) == (len(SEEDED_SKILLS), 4)
    assert [s.Skill_Data.Name for s in last.Response_Data.Skill] == [SEEDED_SKILLS[-1][1]]
    reference = first.Response_Data.Skill[0].Skill_Reference
    assert {i.type: i._value_1 for i in reference.ID} == {
        "WID": sandbox.learning.skill(SEEDED_SKILLS[0][0]).wid,
        "Skill_ID": SEEDED_SKILLS[0][0],
    }


def test_get_skills_by_reference_names_each_skill_and_refuses_one_the_tenant_lacks(sandbox: SandboxServer) -> None:
    wid = sandbox.learning.skill("SKILL_NEGOTIATION").wid
    named = talent(sandbox).Get_Skills(  # type: ignore[attr-defined]
        Request_References={"Skill_Reference": [{"ID": [{"type": "WID", "_value_1": wid}]}]}
    )

    assert [s.Skill_Data.Name for s in named.Response_Data.Skill] == ["Negotiation"]
    with pytest.raises(Fault, match="'SKILL_JUGGLING' is not a valid ID value for type = 'Skill_ID'"):
        talent(sandbox).Get_Skills(  # type: ignore[attr-defined]
            Request_References={"Skill_Reference": [{"ID": [{"type": "Skill_ID", "_value_1": "SKILL_JUGGLING"}]}]}
        )


def test_the_learning_service_lists_no_skills_and_the_talent_service_has_only_get_skills(
    sandbox: SandboxServer,
) -> None:
    learning = httpx.get(sandbox.learning_url() + "?wsdl").text
    served = httpx.get(sandbox.talent_url() + "?wsdl").text

    assert "Get_Skill" not in learning.split("-->", 1)[1]
    assert '<wsdl:operation name="Get_Skills">' in served
    assert served.count("<wsdl:operation name=") == 2  # in the port type and in the binding
