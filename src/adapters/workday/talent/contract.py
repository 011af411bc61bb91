"""Every Talent operation and element the connector reads, declared as ``learning.contract`` declares Learning's:
the tenant's skills, listed by ``Get_Skills`` (evidence 2.7) and referenced on a course by WID."""

from __future__ import annotations

from adapters.workday.soap.common_names import paging_names, version_name
from adapters.workday.soap.declaration import (
    Declaration,
    ElementName,
    Evidence,
    Feature,
    Need,
    OperationName,
    Service,
    Side,
    Verdict,
)
from adapters.workday.talent import names

GET_SKILLS = OperationName(
    "skills.get_skills",
    Service.TALENT,
    (names.GET_SKILLS,),
    (Feature.SKILLS,),
    Evidence(Verdict.CONFIRMED, ("W-GS32",)),
    "skills",
    # Content upsert lists skills only for an item that names some: without Get_Skills such an item fails.
    optional_for=(Feature.CONTENT_UPSERT,),
)
SKILLS_VERSION = version_name(GET_SKILLS, "skills")
SKILLS_PAGING = paging_names(GET_SKILLS, "skills")
SKILL = ElementName(
    "skills.skill",
    GET_SKILLS,
    SKILLS_PAGING.data,
    (names.SKILL,),
    Need.REQUIRED,
    Evidence(Verdict.UNSOURCED, ("W-GS32",), "the public page stops above it; named as every Get names its items"),
    "skills",
    Side.REPLY,
)
SKILL_REFERENCE = ElementName(
    "skills.skill.reference",
    GET_SKILLS,
    SKILL,
    (names.SKILL_REFERENCE,),
    Need.REQUIRED,
    Evidence(Verdict.CONFIRMED, ("HR26", "HRnew")),
    "the skill's WID",
    Side.REPLY,
)
SKILL_DATA = ElementName(
    "skills.skill.data",
    GET_SKILLS,
    SKILL,
    (names.SKILL_DATA,),
    Need.REQUIRED,
    Evidence(Verdict.CONFIRMED, ("HR26", "HRnew")),
    "skills",
    Side.REPLY,
)
SKILL_NAME = ElementName(
    "skills.skill.name",
    GET_SKILLS,
    SKILL_DATA,
    (names.NAME,),
    Need.REQUIRED,
    Evidence(Verdict.CONFIRMED, ("HR26", "HRnew"), "an attribute of Skill_Item_Data"),
    "the skill's name",
    Side.REPLY,
    attribute=True,
)

SKILL_INACTIVE = ElementName(
    "skills.skill.inactive",
    GET_SKILLS,
    SKILL_DATA,
    (names.INACTIVE,),
    Need.OPTIONAL,
    Evidence(Verdict.CONFIRMED, ("HR26", "HRnew"), "an attribute of Skill_Item_Data"),
    "inactive skills (every skill is then taken as active)",
    Side.REPLY,
    attribute=True,
)

TALENT = Declaration(
    (GET_SKILLS, SKILLS_VERSION, *SKILLS_PAGING.names, SKILL, SKILL_REFERENCE, SKILL_DATA, SKILL_NAME, SKILL_INACTIVE)
)
"""The Talent service's names."""
