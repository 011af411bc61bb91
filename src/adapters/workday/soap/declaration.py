"""How the connector declares the Workday names it uses, for any SOAP service: each operation, element (or
attribute) and reference ID type, with the candidate names a tenant's WSDL may use for it (the sourced one first),
whether the features that use it need it or can do without it, and the public evidence for it.

A declaration says nothing of any tenant: ``resolution`` matches it against one WSDL. The declarations themselves
are ``learning.contract`` and ``talent.contract``; ``adapters.workday.contract`` holds them together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Service(StrEnum):
    """A Workday web service, named as in its endpoint ``…/ccx/service/{tenant}/{service}/{version}``."""

    LEARNING = "Learning"
    TALENT = "Talent"


class Verdict(StrEnum):
    """What public sources say of a name (``workday-learning-evidence.md`` section 3)."""

    CONFIRMED = "CONFIRMED"
    """A named public source shows it."""
    CONTRADICTED = "CONTRADICTED"
    """A public source shows otherwise; the candidates start with what the source shows."""
    UNSOURCED = "UNSOURCED"
    """No public source either way."""
    INFERRED = "INFERRED"
    """No public source; derived by analogy with a sourced name."""


class Feature(StrEnum):
    """What the connector does for an operator, each needing some of Workday's names."""

    TRANSCRIPTS = "transcripts"
    CONTENT_UPSERT = "content upsert"
    COMPLETION_PUSH = "completion push"
    COMPLETION_DELETE = "completion delete"
    RECONCILE = "reconcile"
    CATEGORIES = "categories"
    SKILLS = "skills"


class Need(StrEnum):
    REQUIRED = "required"
    """Without it the feature cannot work: each item that needs it fails with a named error."""
    OPTIONAL = "optional"
    """Without it the feature works and leaves something out, saying so for each item concerned."""


class Side(StrEnum):
    REQUEST = "request"
    """Sent: a child (or deeper) of the operation's request element."""
    REPLY = "reply"
    """Read: a child (or deeper) of the operation's response element."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """The verdict on a name and the source tags behind it (section 1 of the evidence file)."""

    verdict: Verdict
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class OperationName:
    """An operation of ``service``. It is needed (``Need.REQUIRED``) by ``features`` and used when it is there by
    ``optional_for``: listing skills is required for the skills view, and content upsert needs it only for items
    that name skills."""

    key: str
    service: Service
    candidates: tuple[str, ...]
    features: tuple[Feature, ...]
    evidence: Evidence
    label: str
    optional_for: tuple[Feature, ...] = ()

    def __post_init__(self) -> None:
        _check_candidates(self.key, self.candidates)

    def need(self, feature: Feature) -> Need | None:
        if feature in self.features:
            return Need.REQUIRED
        return Need.OPTIONAL if feature in self.optional_for else None

    @property
    def path(self) -> str:
        return self.candidates[0]


@dataclass(frozen=True, slots=True)
class ElementName:
    """An element (or, with ``attribute``, an attribute) of ``operation``'s request or reply, under ``parent``
    (None: a child of the request or response element itself). ``label`` names what it carries in the connector's
    words (``languages``); an omission of it is reported under that label. ``features`` narrows the operation's
    features to those that use this name (None: all of the parent's). A name its parent needs is needed as much
    as its parent: a required element under an optional one is optional."""

    key: str
    operation: OperationName
    parent: ElementName | None
    candidates: tuple[str, ...]
    need: Need
    evidence: Evidence
    label: str
    side: Side = Side.REQUEST
    attribute: bool = False
    features: tuple[Feature, ...] | None = None

    def __post_init__(self) -> None:
        _check_candidates(self.key, self.candidates)
        if self.parent is not None and (self.parent.operation != self.operation or self.parent.side != self.side):
            raise ValueError(f"{self.key}: its parent {self.parent.key} is in another operation or side")
        if self.parent is not None and self.parent.attribute:
            raise ValueError(f"{self.key}: an attribute ({self.parent.key}) has no children")

    @property
    def service(self) -> Service:
        return self.operation.service

    def uses(self, feature: Feature) -> Need | None:
        """How much ``feature`` needs this name: None when it does not use it."""
        inherited = self.parent.uses(feature) if self.parent is not None else self.operation.need(feature)
        if inherited is None or (self.features is not None and feature not in self.features):
            return None
        return Need.OPTIONAL if Need.OPTIONAL in (inherited, self.need) else Need.REQUIRED

    @property
    def path(self) -> str:
        """``Operation request/A/B/@c`` with each step's first candidate."""
        steps = [f"{'@' if e.attribute else ''}{e.candidates[0]}" for e in self.lineage()]
        return f"{self.operation.path} {self.side.value}/" + "/".join(steps)

    def lineage(self) -> tuple[ElementName, ...]:
        """This element's ancestors from the top, then itself."""
        chain: list[ElementName] = []
        step: ElementName | None = self
        while step is not None:
            chain.append(step)
            step = step.parent
        return tuple(reversed(chain))


@dataclass(frozen=True, slots=True)
class IdTypeName:
    """The ``wd:type`` of the ``ID`` the connector sends (or reads) in the reference ``reference``: the first
    candidate that the reference's ID type enumeration lists. A reference whose type lists none in the WSDL takes
    any: its first candidate is sent."""

    key: str
    reference: ElementName
    candidates: tuple[str, ...]
    need: Need
    evidence: Evidence
    label: str
    features: tuple[Feature, ...] | None = None

    def __post_init__(self) -> None:
        _check_candidates(self.key, self.candidates)

    @property
    def operation(self) -> OperationName:
        return self.reference.operation

    @property
    def service(self) -> Service:
        return self.reference.service

    def uses(self, feature: Feature) -> Need | None:
        inherited = self.reference.uses(feature)
        if inherited is None or (self.features is not None and feature not in self.features):
            return None
        return Need.OPTIONAL if Need.OPTIONAL in (inherited, self.need) else Need.REQUIRED

    @property
    def path(self) -> str:
        return f"{self.reference.path}/ID/@type"


Name = OperationName | ElementName | IdTypeName


@dataclass(frozen=True, slots=True)
class Declaration:
    """Every name the connector uses, in the order a reader meets them. Keys are unique."""

    names: tuple[Name, ...]

    def __post_init__(self) -> None:
        by_key: dict[str, Name] = {}
        for name in self.names:
            if name.key in by_key:
                raise ValueError(f"two declarations share the key {name.key!r}")
            by_key[name.key] = name
        for name in self.names:
            for needed in _depends_on(name):
                if by_key.get(needed.key) is not needed:
                    raise ValueError(f"{name.key} depends on {needed.key}, which is not declared")

    def __iter__(self) -> Iterator[Name]:
        return iter(self.names)

    def __add__(self, other: Declaration) -> Declaration:
        return Declaration((*self.names, *other.names))

    def by_key(self, key: str) -> Name:
        found = next((name for name in self.names if name.key == key), None)
        if found is None:
            raise KeyError(key)
        return found

    def of_service(self, service: Service) -> tuple[Name, ...]:
        return tuple(name for name in self.names if name.service == service)

    def used_by(self, feature: Feature) -> tuple[Name, ...]:
        return tuple(name for name in self.names if uses(name, feature) is not None)


def uses(name: Name, feature: Feature) -> Need | None:
    """How much ``feature`` needs ``name``: None when it does not use it."""
    return name.need(feature) if isinstance(name, OperationName) else name.uses(feature)


def features_of(name: Name) -> tuple[Feature, ...]:
    return tuple(feature for feature in Feature if uses(name, feature) is not None)


def _depends_on(name: Name) -> tuple[Name, ...]:
    if isinstance(name, OperationName):
        return ()
    if isinstance(name, IdTypeName):
        return (name.reference,)
    return (name.operation,) if name.parent is None else (name.parent,)


def _check_candidates(key: str, candidates: tuple[str, ...]) -> None:
    if not candidates or len(set(candidates)) != len(candidates):
        raise ValueError(f"{key}: candidates must be one or more distinct names, not {candidates!r}")
