"""Workday's Talent web service (SOAP), as far as the connector uses it: the tenant's skill items
(``Get_Skills``), which a digital course references by WID."""

from adapters.workday.talent.client import TalentClient, build_talent_client, talent_endpoint
from adapters.workday.talent.skills import WorkdaySkills

__all__ = ["TalentClient", "WorkdaySkills", "build_talent_client", "talent_endpoint"]
