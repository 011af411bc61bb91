"""The names the connector uses of Workday's Talent web service: ``Get_Skills`` and the skill items it lists
(evidence file section 2.7). ``Get_Skills``, its ``Response_Data``, ``Skill_Reference`` with the ID types WID
and ``Skill_ID``, and ``Skill_Data`` with the attributes ``Name`` and ``Inactive`` are sourced [W-GS32, HR26,
HRnew]; the item element ``Skill`` inside ``Response_Data`` is UNSOURCED (the public page stops above it)."""

from __future__ import annotations

from typing import Final

TALENT_NS: Final = "urn:com.workday/bsvc/Talent"
"""The Talent WSDL's target namespace."""
TALENT_BINDING: Final = f"{{{TALENT_NS}}}TalentBinding"
"""UNSOURCED: by analogy with Staffing's ``StaffingBinding`` [HR26]."""

GET_SKILLS: Final = "Get_Skills"
SKILL: Final = "Skill"
SKILL_REFERENCE: Final = "Skill_Reference"
SKILL_DATA: Final = "Skill_Data"
NAME: Final = "Name"
"""An attribute of ``Skill_Data``, as of HR's ``Skill_Item_Data``."""
INACTIVE: Final = "Inactive"
SKILL_ID_TYPE: Final = "Skill_ID"
