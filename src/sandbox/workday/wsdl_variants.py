"""The WSDL variants the sandbox can serve: tenants whose Workday differs from the sourced contract (an element
missing, an ID type or element named otherwise, a request element named otherwise, an operation missing), chosen
when the sandbox starts (``SandboxConfig.wsdl_variant``, ``wlc sandbox serve --wsdl-variant``). The connector must
adapt to each from the tenant's WSDL alone; the contract and end-to-end tests run against every one.

A variant is a list of changes per service, applied once at start to the WSDL the sandbox serves and validates
against (``soap.served_wsdl``), so the sandbox refuses what that tenant's Workday would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LEARNING = "Learning"
TALENT = "Talent"
SERVICES = (LEARNING, TALENT)
"""The SOAP services the sandbox serves, each from its WSDL in ``sandbox.workday.{service}.wsdl``."""


@dataclass(frozen=True, slots=True)
class RemoveElement:
    """The tenant's ``type_name`` has no child ``element``: a request that sends it is refused, and answers
    leave it out."""

    type_name: str
    element: str


@dataclass(frozen=True, slots=True)
class RenameElement:
    """The tenant names ``element`` ``to`` wherever the schema declares it (not as a request element)."""

    element: str
    to: str


@dataclass(frozen=True, slots=True)
class RenameIdType:
    """The tenant lists the ID type ``id_type`` as ``to`` in every enumeration: a reference typed ``id_type`` is
    refused, one typed ``to`` is taken, and answers carry ``to``."""

    id_type: str
    to: str


@dataclass(frozen=True, slots=True)
class RenameRequestElement:
    """``operation``'s input message names the request element ``to``, not ``{operation}_Request`` (as
    ``Put_Learning_Instructor`` takes ``Put_Learning_Instructors_Request``)."""

    operation: str
    to: str


@dataclass(frozen=True, slots=True)
class RemoveOperation:
    """The tenant's service has no ``operation``."""

    operation: str


Change = RemoveElement | RenameElement | RenameIdType | RenameRequestElement | RemoveOperation


@dataclass(frozen=True, slots=True)
class WsdlVariant:
    """``changes`` by service (``Learning``, ``Talent``); ``description`` says what the connector should do."""

    name: str
    description: str
    changes: Mapping[str, tuple[Change, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", MappingProxyType(dict(self.changes)))

    def of(self, service: str) -> tuple[Change, ...]:
        return self.changes.get(service, ())


SOURCED = WsdlVariant("sourced", "the sourced contract: every feature works")
VARIANTS: Mapping[str, WsdlVariant] = MappingProxyType(
    {
        variant.name: variant
        for variant in (
            SOURCED,
            WsdlVariant(
                "no-optional-course-elements",
                "courses take no languages and no enrollment-required flag: upserts succeed, each saying what was "
                "left out",
                {
                    LEARNING: (
                        RemoveElement("Learning_Course_DataType", "Language_Reference"),
                        RemoveElement("Learning_Course_DataType", "Requires_Enrollment"),
                    )
                },
            ),
            WsdlVariant(
                "other-element-names",
                "languages and the enrollment-required flag under the names HR and the UI use: upserts succeed whole",
                {
                    LEARNING: (
                        RenameElement("Language_Reference", "User_Language_Reference"),
                        RenameElement("Requires_Enrollment", "Enrollment_Required"),
                    )
                },
            ),
            WsdlVariant(
                "other-id-types",
                "imported content and grades referenced by ID types without the _ID suffix: transcripts and "
                "completions succeed",
                {
                    LEARNING: (
                        RenameIdType("Learning_Imported_Content_ID", "Learning_Imported_Content"),
                        RenameIdType("Learning_Grade_ID", "Learning_Grade"),
                    )
                },
            ),
            WsdlVariant(
                "unknown-id-type",
                "imported content referenced by an ID type the connector does not know: records fail, each "
                "naming it; content and courses succeed",
                {LEARNING: (RenameIdType("Learning_Imported_Content_ID", "Imported_Learning_Content_Key"),)},
            ),
            WsdlVariant(
                "plural-request-elements",
                "the imported-learning Puts take plural request elements: transcripts succeed",
                {
                    LEARNING: (
                        RenameRequestElement("Put_Learning_Imported_Content", "Put_Learning_Imported_Contents_Request"),
                        RenameRequestElement("Put_Learning_Imported_Record", "Put_Learning_Imported_Records_Request"),
                    )
                },
            ),
            WsdlVariant(
                "no-learner-criterion",
                "enrollments cannot be asked for by learner: completion pushes succeed, reading the course's "
                "enrollments",
                {LEARNING: (RemoveElement("Learning_Enrollment_Request_CriteriaType", "Learner_Reference"),)},
            ),
            WsdlVariant(
                "required-names-missing",
                "no Put_Learning_Imported_Record and no enrollment completion date: records and completion pushes "
                "fail, each naming what is missing; content and courses succeed",
                {
                    LEARNING: (
                        RemoveOperation("Put_Learning_Imported_Record"),
                        RemoveElement("Learning_Enrollment_DataType", "Learning_Enrollment_Completion_Date"),
                    )
                },
            ),
            WsdlVariant(
                "no-talent-skills",
                "the Talent service has no Get_Skills: upserts naming skills fail, each naming it; others succeed",
                {TALENT: (RemoveOperation("Get_Skills"),)},
            ),
        )
    }
)
"""Every variant, by name."""


def variant_named(name: str) -> WsdlVariant:
    """Raises ``ValueError`` naming the variants for an unknown ``name``."""
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(f"wsdl_variant: {name!r} is not one of {', '.join(VARIANTS)}") from None
