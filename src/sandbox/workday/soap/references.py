"""Workday's reference objects (``*_Reference`` holding ``ID`` elements with a ``wd:type``): reading one from a
request and resolving it to what it names, and writing one into a response."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from lxml import etree

from sandbox.workday.soap.envelopes import child, wd, workday_xpath
from sandbox.workday.soap.faults import ValidationError, invalid_id

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Resolved(Generic[_T]):
    """What a reference named (None when it named nothing valid) and the problems found."""

    value: _T | None
    errors: tuple[ValidationError, ...] = ()


def reference_ids(reference: etree._Element) -> list[tuple[str, str]]:
    """The ``(type, value)`` of each ``ID`` of ``reference``, in order."""
    return [(element.get(wd("type"), ""), (element.text or "").strip()) for element in reference.iterfind(wd("ID"))]


def resolve(
    reference: etree._Element,
    object_name: str,
    id_types: Collection[str],
    lookup: Callable[[str, str], _T | None],
    key: Callable[[_T], object] = id,
) -> Resolved[_T]:
    """Resolves every ID of ``reference``: each must have a type of ``id_types`` and name an instance, and all
    must name the same one (compared by ``key``)."""
    xpath = workday_xpath(reference)
    ids = reference_ids(reference)
    if not ids:
        # Inferred: Workday's wording for a reference with no ID.
        return Resolved(None, (ValidationError(f"The reference to a {object_name} holds no ID", xpath),))
    errors: list[ValidationError] = []
    found: list[_T] = []
    for id_type, value in ids:
        if id_type not in id_types:
            # Inferred: Workday lists the ID types in xsd:appinfo only, so the service (not the schema) refuses them.
            message = f"Invalid ID type. '{id_type}' is not a valid ID type for {object_name}"
            errors.append(ValidationError(message, xpath))
            continue
        item = lookup(id_type, value)
        if item is None:
            errors.append(invalid_id(value, id_type, xpath))
        else:
            found.append(item)
    if not errors and len({key(item) for item in found}) > 1:
        # Inferred: the wording when the IDs of one reference name different instances.
        errors.append(ValidationError(f"The IDs of the reference name different instances of {object_name}", xpath))
    return Resolved(None if errors else found[0], tuple(errors))


def add_reference(parent: etree._Element, name: str, ids: Sequence[tuple[str, str]]) -> etree._Element:
    """Appends ``wd:name`` holding ``<wd:ID wd:type="...">...</wd:ID>`` for each of ``ids``, WID first as
    Workday writes them."""
    reference = child(parent, name)
    for id_type, value in ids:
        child(reference, "ID", value).set(wd("type"), id_type)
    return reference
