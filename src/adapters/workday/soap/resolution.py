"""A declaration matched against one WSDL of one service: for each declared name, the name the WSDL uses (the first
candidate it has) or why it has none; for each operation, its request element as the WSDL's input message names it
(``Put_Learning_Instructor`` takes ``Put_Learning_Instructors_Request``); for each reference, the first candidate ID
type that its ``*ReferenceEnumeration`` lists in ``xsd:appinfo`` (an enumeration that lists none takes any); and
for each feature, whether it works here: OK, degraded (optional names absent: what is left out) or unavailable
(required names absent).

A ``Resolution`` holds strings only, computed once per parsed WSDL (``schema_cache``) and shared by every tenant
on it. The request builders take their names from it; ``wlc workday check`` prints it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from adapters.workday.errors import ContractMismatch
from adapters.workday.soap.declaration import (
    Declaration,
    ElementName,
    Feature,
    IdTypeName,
    Name,
    Need,
    OperationName,
    Service,
    Side,
    uses,
)
from adapters.workday.soap.names import BSVC, ID, ID_TYPE_ATTRIBUTE
from domain.omissions import Omission


class Availability(StrEnum):
    OK = "OK"
    DEGRADED = "degraded"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A declared name in one WSDL: ``found`` is the name the WSDL uses, None when it has none of the candidates;
    then ``why`` says so, and ``cause`` is the absent ancestor (or operation) it is absent with, if any."""

    name: Name
    found: str | None
    why: str = ""
    cause: Name | None = None
    accepted: tuple[str, ...] = ()
    """For an ID type, every candidate the reference takes, in the declared order (``found`` first)."""
    position: int | None = None
    """For an element found, its place among its parent's children in the WSDL."""
    repeats: bool = False
    """For an element found, whether the WSDL lets it occur more than once (zeep reads it as a list)."""
    content: str | None = None
    """For an element found, what it holds as the WSDL types it: the Clark name of the XSD built-in type its simple
    type is or derives from, ``REFERENCE`` for a Workday reference, None for another complex type."""

    @property
    def present(self) -> bool:
        return self.found is not None


REFERENCE: Final = "reference"
"""The ``Resolved.content`` of an element of a Workday reference's type: ``ID`` children, each with a ``wd:type``."""


@dataclass(frozen=True, slots=True)
class ReplyField:
    """A declared element of an operation's reply as the WSDL has it, with the declared elements under it: what
    ``soap.replies`` reads from a reply without zeep (see ``Resolved`` for ``repeats`` and ``content``)."""

    name: str
    repeats: bool
    content: str | None
    children: tuple[ReplyField, ...] = ()


@dataclass(frozen=True, slots=True)
class Gap:
    """An absent name (``name``) and what its absence costs: ``label`` is the declared label of what cannot be
    sent or read (the nearest optional name above it, for something left out), ``why`` in the WSDL's terms.
    ``fails_items``: what the feature can do without is an operation (listing skills, for content upsert), so
    the items that need it fail rather than go without it."""

    name: Name
    label: str
    why: str
    fails_items: bool = False

    def omission(self) -> Omission:
        return Omission(self.label, self.why)

    def __str__(self) -> str:
        """What leaving it out costs, on one line: ``languages left out: why`` or ``items that need skills fail:
        why``."""
        return f"items that need {self.label} fail: {self.why}" if self.fails_items else str(self.omission())


@dataclass(frozen=True, slots=True)
class Messages:
    """What an operation's envelopes carry as the WSDL binds it: the local names of its request and response
    elements (its input and output messages' body elements) and its ``SOAPAction``."""

    request_element: str
    response_element: str | None
    soap_action: str


@dataclass(frozen=True, slots=True)
class FeatureStatus:
    """What one feature can do on a tenant: ``missing`` the required names absent, ``left_out`` the optional."""

    feature: Feature
    missing: tuple[Gap, ...] = ()
    left_out: tuple[Gap, ...] = ()

    @property
    def availability(self) -> Availability:
        if self.missing:
            return Availability.UNAVAILABLE
        return Availability.DEGRADED if self.left_out else Availability.OK

    def __add__(self, other: FeatureStatus) -> FeatureStatus:
        """The status of a feature that needs both WSDLs (Learning and Talent)."""
        if other.feature != self.feature:
            raise ValueError(f"cannot combine {self.feature} with {other.feature}")
        return FeatureStatus(self.feature, self.missing + other.missing, self.left_out + other.left_out)

    def describe(self) -> str:
        """``OK``, ``degraded: skills left out (why)``, or ``unavailable: why``, on one line."""
        if self.missing:
            return f"{Availability.UNAVAILABLE}: {self.why_unavailable()}"
        if self.left_out:
            return f"{Availability.DEGRADED}: " + "; ".join(dict.fromkeys(str(gap) for gap in self.left_out))
        return str(Availability.OK)

    def why_unavailable(self) -> str:
        """Every required name absent, in the WSDL's terms, each said once (a name sent and read back, such as an
        enrollment's completion date, is absent from the request and the reply alike)."""
        return "; ".join(dict.fromkeys(gap.why for gap in self.missing))


class Resolution:
    """The names of ``service``'s declared entries in one WSDL (``where`` says which, for messages: "the Learning
    WSDL v44.2"). Build it with ``resolve`` (from a zeep ``Document``) or ``as_declared``."""

    def __init__(
        self,
        declaration: Declaration,
        service: Service,
        version: str,
        where: str,
        resolved: Mapping[str, Resolved],
        messages: Mapping[str, Messages],
    ) -> None:
        self.declaration = declaration
        self.service = service
        self.version = version
        self.where = where
        self._resolved = dict(resolved)
        self._messages = dict(messages)
        self._in_order: dict[str, bool] = {}
        self._replies: dict[str, tuple[ReplyField, ...]] = {}
        self._statuses: dict[tuple[Feature, str | None], FeatureStatus] = {}
        self._children: dict[str, list[Name]] = defaultdict(list)
        for name in declaration.of_service(service):
            parent = _parent(name)
            if parent is not None:
                self._children[parent.key].append(name)

    @classmethod
    def as_declared(cls, declaration: Declaration, service: Service, version: str) -> Resolution:
        """Every name present under its first candidate: what the connector assumes without a WSDL to read."""
        names = declaration.of_service(service)
        resolved = {name.key: Resolved(name, name.candidates[0], accepted=name.candidates) for name in names}
        messages = {
            n.key: Messages(f"{n.candidates[0]}_Request", f"{n.candidates[0]}_Response", "")
            for n in names
            if isinstance(n, OperationName)
        }
        return cls(declaration, service, version, f"the {service} contract as declared", resolved, messages)

    def __iter__(self) -> Iterator[Resolved]:
        """Every declared name of the service, in the declaration's order."""
        return (self._resolved[name.key] for name in self.declaration.of_service(self.service))

    def resolved(self, name: Name) -> Resolved:
        try:
            return self._resolved[name.key]
        except KeyError:
            raise ValueError(f"{name.key} is not a declared {self.service} name") from None

    def found(self, name: Name) -> str | None:
        """The name the WSDL uses for ``name``; None when it has none of the candidates."""
        return self.resolved(name).found

    def name(self, name: Name) -> str:
        """The name the WSDL uses for ``name``. Raises ``ContractMismatch`` when it has none: ask ``omission``
        first of an optional name."""
        resolved = self.resolved(name)
        if resolved.found is None:
            raise ContractMismatch(
                f"{resolved.why} (wlc workday check says what works on this tenant)",
                service=self.service,
                version=self.version,
                missing=(name.path,),
            )
        return resolved.found

    def id_types(self, name: IdTypeName) -> tuple[str, ...]:
        """Every candidate ID type of ``name`` the reference takes, the preferred first; empty when none."""
        resolved = self.resolved(name)
        return resolved.accepted or ((resolved.found,) if resolved.found is not None else ())

    def request_element(self, operation: OperationName) -> str | None:
        """The local name of ``operation``'s request element, as the WSDL's input message names it."""
        messages = self._messages.get(operation.key)
        return messages.request_element if messages is not None else None

    def messages(self, operation: OperationName) -> Messages:
        """What ``operation``'s envelopes carry in this WSDL. Raises ``ContractMismatch`` when the WSDL has no such
        operation, or one without a request element."""
        messages = self._messages.get(operation.key)
        if messages is None:
            self.name(operation)  # raises, naming why the operation is absent
            raise ContractMismatch(
                f"{self.where} gives {self.name(operation)} no request element",
                service=self.service,
                version=self.version,
                missing=(operation.path,),
            )
        return messages

    def in_declared_order(self, operation: OperationName) -> bool:
        """Whether the WSDL's sequences hold ``operation``'s request elements in the order the declaration lists
        them, the order its request builder writes them: only then may an envelope be written without zeep, which
        writes them in the WSDL's order."""
        found = self._in_order.get(operation.key)
        if found is None:
            found = self._in_order[operation.key] = self._ordered(operation)
        return found

    def _ordered(self, operation: OperationName) -> bool:
        last: dict[str | None, int] = {}
        for name in self.declaration.of_service(self.service):
            if not isinstance(name, ElementName) or name.operation.key != operation.key:
                continue
            if name.side is not Side.REQUEST:
                continue
            position = self._resolved[name.key].position
            if position is None:
                continue
            parent = name.parent.key if name.parent is not None else None
            if position < last.get(parent, -1):
                return False
            last[parent] = position
        return True

    def reply(self, operation: OperationName) -> tuple[ReplyField, ...]:
        """The declared elements of ``operation``'s reply that the WSDL has, as trees under the response element
        (an element absent from the WSDL is left out, with everything under it: zeep reads no such element
        either)."""
        found = self._replies.get(operation.key)
        if found is None:
            found = self._replies[operation.key] = self._reply_fields(operation.key)
        return found

    def _reply_fields(self, parent: str) -> tuple[ReplyField, ...]:
        fields: list[ReplyField] = []
        for name in self._children.get(parent, ()):
            if not isinstance(name, ElementName) or name.side is not Side.REPLY or name.attribute:
                continue
            resolved = self._resolved[name.key]
            if resolved.found is not None:
                children = self._reply_fields(name.key)
                fields.append(ReplyField(resolved.found, resolved.repeats, resolved.content, children))
        return tuple(fields)

    def omission(self, name: Name, feature: Feature) -> Omission | None:
        """None when ``name`` can be sent for ``feature`` (it, and every name under it that it needs, is present);
        else what leaving it out costs, to report with the item."""
        gap = next(self._gaps_under(name, feature), None)
        return None if gap is None else Omission(name.label, gap.why)

    def status(self, feature: Feature, operation: OperationName | None = None) -> FeatureStatus:
        """What ``feature`` can do with this WSDL; with ``operation``, of that operation's names only."""
        key = (feature, operation.key if operation is not None else None)
        found = self._statuses.get(key)
        if found is None:
            found = self._status(feature, operation)
            self._statuses[key] = found
        return found

    def require(
        self, feature: Feature, operation: OperationName | None = None, *, doing: str | None = None
    ) -> FeatureStatus:
        """``status``, or ``ContractMismatch`` naming every required name absent when the feature is unavailable:
        ask it before building a request, so that nothing is sent that the tenant's WSDL cannot describe. The
        message names ``doing`` (``reading enrollments``) where the feature alone would not say what failed."""
        status = self.status(feature, operation)
        if status.missing:
            raise ContractMismatch(
                f"{doing or feature} is unavailable on this tenant: {status.why_unavailable()} "
                "(wlc workday check says what works on this tenant)",
                service=self.service,
                version=self.version,
                feature=feature,
                missing=tuple(gap.name.path for gap in status.missing),
            )
        return status

    def _status(self, feature: Feature, operation: OperationName | None) -> FeatureStatus:
        missing: list[Gap] = []
        left_out: dict[str, Gap] = {}
        for name in self.declaration.of_service(self.service):
            need = uses(name, feature)
            resolved = self._resolved[name.key]
            if need is None or resolved.present or resolved.cause is not None:
                continue
            if operation is not None and _operation(name).key != operation.key:
                continue
            if need is Need.REQUIRED:
                missing.append(Gap(name, name.label, resolved.why))
            else:
                holder = _optional_holder(name, feature)
                fails_items = isinstance(holder, OperationName)
                left_out.setdefault(holder.key, Gap(name, holder.label, resolved.why, fails_items))
        return FeatureStatus(feature, tuple(missing), tuple(left_out.values()))

    def _gaps_under(self, name: Name, feature: Feature) -> Iterator[Gap]:
        resolved = self._resolved[name.key]
        if not resolved.present:
            yield Gap(name, name.label, resolved.why)
            return
        for child in self._children.get(name.key, ()):
            if child.need is Need.REQUIRED and uses(child, feature) is not None:
                yield from self._gaps_under(child, feature)


def resolve(
    declaration: Declaration,
    service: Service,
    version: str,
    where: str,
    document: Any,
    enumerations: Mapping[str, frozenset[str]],
) -> Resolution:
    """``declaration``'s ``service`` names in the zeep ``document`` (parsed from the WSDL ``where`` describes),
    with the ID type ``enumerations`` read from its ``xsd:appinfo`` (by the simple type's Clark name)."""
    walker = _Walker(service, where, document, enumerations)
    resolved = {name.key: walker.resolve(name) for name in declaration.of_service(service)}
    return Resolution(declaration, service, version, where, resolved, walker.messages)


def binding_name(service: Service) -> str:
    """The binding the connector binds to: ``{urn:com.workday/bsvc/Learning}LearningBinding`` (UNSOURCED: by
    analogy with Staffing's [HR26]); a WSDL without it but with a single binding is bound to that one."""
    return f"{{{BSVC}/{service}}}{service}Binding"


def find_binding(document: Any, service: Service) -> Any | None:
    """The zeep binding ``binding_name`` names, or the document's only binding; None when neither is there."""
    bindings = document.bindings
    if binding_name(service) in bindings:
        return bindings[binding_name(service)]
    return next(iter(bindings.values())) if len(bindings) == 1 else None


class _Walker:
    """Finds declared names in a zeep document, remembering the zeep object of each name found."""

    def __init__(self, service: Service, where: str, document: Any, enumerations: Mapping[str, frozenset[str]]) -> None:
        self._where = where
        self._binding = find_binding(document, service)
        self._binding_name = binding_name(service)
        self._enumerations = enumerations
        self._objects: dict[str, Any] = {}
        self._resolved: dict[str, Resolved] = {}
        self.messages: dict[str, Messages] = {}

    def resolve(self, name: Name) -> Resolved:
        found = self._operation(name) if isinstance(name, OperationName) else self._below(name)
        self._resolved[name.key] = found
        return found

    def _operation(self, name: OperationName) -> Resolved:
        if self._binding is None:
            return Resolved(name, None, f"{self._where} has no binding {self._binding_name}")
        operations = self._binding.all()
        found = next((c for c in name.candidates if c in operations), None)
        if found is None:
            return Resolved(name, None, f"{self._where} has no operation {_either(name.candidates)}")
        operation = operations[found]
        self._objects[name.key] = operation
        request = getattr(operation.input, "body", None)
        response = getattr(operation.output, "body", None)
        if request is not None:
            self.messages[name.key] = Messages(
                _local(request.qname),
                _local(response.qname) if response is not None else None,
                str(operation.soapaction or ""),
            )
        return Resolved(name, found)

    def _below(self, name: ElementName | IdTypeName) -> Resolved:
        parent = _parent(name)
        assert parent is not None
        above = self._resolved[parent.key]
        if not above.present:
            return Resolved(name, None, above.why, above.cause or parent)
        if isinstance(name, IdTypeName):
            return self._id_type(name)
        return self._element(name)

    def _element(self, name: ElementName) -> Resolved:
        container, where = self._container(name)
        if container is None:
            return Resolved(name, None, f"{self._where} has no {name.side} element for {name.operation.path}")
        found_in = _attributes(container) if name.attribute else _children(container)
        found = next((c for c in name.candidates if c in found_in), None)
        if found is None:
            what = f"attribute {_either(name.candidates)}" if name.attribute else _either(name.candidates)
            return Resolved(name, None, f"{self._where} has no {what} in {where}")
        element = self._objects[name.key] = found_in[found]
        if name.attribute:
            return Resolved(name, found)
        return Resolved(
            name,
            found,
            position=list(found_in).index(found),
            repeats=_repeats(element),
            content=_content(element),
        )

    def _container(self, name: ElementName) -> tuple[Any, str]:
        if name.parent is not None:
            parent = self._resolved[name.parent.key]
            return self._objects.get(name.parent.key), str(parent.found)
        operation = self._objects[name.operation.key]
        message = operation.input if name.side is Side.REQUEST else operation.output
        body = getattr(message, "body", None)
        return body, _local(body.qname) if body is not None else ""

    def _id_type(self, name: IdTypeName) -> Resolved:
        reference = self._resolved[name.reference.key].found
        id_element = _children(self._objects[name.reference.key]).get(ID)
        attribute = _attributes(id_element).get(ID_TYPE_ATTRIBUTE) if id_element is not None else None
        if attribute is None:
            return Resolved(name, None, f"{self._where} gives {reference} no ID with a type")
        qname = getattr(attribute.type, "qname", None)
        listed = self._enumerations.get(qname.text) if qname is not None else None
        if not listed:  # the schema lists no ID types: it takes any
            return Resolved(name, name.candidates[0], accepted=name.candidates)
        accepted = tuple(c for c in name.candidates if c in listed)
        if not accepted:
            return Resolved(
                name,
                None,
                f"{self._where} lists {', '.join(sorted(listed))} as the ID types of {reference}, "
                f"not {_either(name.candidates)}",
            )
        return Resolved(name, accepted[0], accepted=accepted)


def _parent(name: Name) -> Name | None:
    if isinstance(name, OperationName):
        return None
    if isinstance(name, IdTypeName):
        return name.reference
    return name.parent if name.parent is not None else name.operation


def _operation(name: Name) -> OperationName:
    return name if isinstance(name, OperationName) else name.operation


def _optional_holder(name: Name, feature: Feature) -> Name:
    """The nearest name at or above ``name`` that ``feature`` can do without: what is left out with it."""
    step: Name | None = name
    while step is not None:
        own = step.need(feature) if isinstance(step, OperationName) else step.need
        if own is Need.OPTIONAL:
            return step
        step = _parent(step)
    return name


def _repeats(element: Any) -> bool:
    most = getattr(element, "max_occurs", 1)
    return most == "unbounded" or (isinstance(most, int) and most > 1)


def _content(element: Any) -> str | None:
    """``Resolved.content`` of a zeep element."""
    kind = getattr(element, "type", None)
    builtin = next((c for c in type(kind).__mro__ if c.__module__ == _BUILTINS and hasattr(c, "_default_qname")), None)
    if builtin is not None:
        return str(builtin._default_qname)  # zeep's only record of a built-in type's name
    id_element = _children(element).get(ID)
    if id_element is not None and ID_TYPE_ATTRIBUTE in _attributes(id_element):
        return REFERENCE
    return None


_BUILTINS: Final = "zeep.xsd.types.builtins"


def _children(element: Any) -> dict[str, Any]:
    try:
        return dict(element.type.elements)
    except (AttributeError, TypeError):  # a simple type has no elements
        return {}


def _attributes(element: Any) -> dict[str, Any]:
    try:
        return dict(element.type.attributes)
    except (AttributeError, TypeError):
        return {}


def _local(qname: Any) -> str:
    return str(getattr(qname, "localname", qname))


def _either(candidates: tuple[str, ...]) -> str:
    return " or ".join(candidates)


class RequestNames:
    """One request's view of a ``Resolution`` for ``feature``: the names to send, and what is left out of this
    request because the tenant's WSDL cannot take it (``left_out``, to report with the item)."""

    def __init__(self, names: Resolution, feature: Feature) -> None:
        self.names = names
        self.feature = feature
        self.left_out: list[Omission] = []

    def __getitem__(self, name: Name) -> str:
        """The name to send for ``name``. Raises ``ContractMismatch`` when the WSDL has none."""
        return self.names.name(name)

    def takes(self, name: Name) -> bool:
        """Whether ``name`` can be sent; when it cannot, what leaving it out costs is noted in ``left_out``. Ask
        only for what the item has to send."""
        omission = self.names.omission(name, self.feature)
        if omission is not None and omission not in self.left_out:
            self.left_out.append(omission)
        return omission is None

    def id_types(self, name: IdTypeName) -> tuple[str, ...]:
        return self.names.id_types(name)
