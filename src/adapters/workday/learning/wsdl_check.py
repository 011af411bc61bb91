"""Comparing a tenant's Learning WSDL with what the connector sends and reads: every operation, element (by its
path from the request element), attribute and ID type of ``learning.names`` that the tenant's schema lacks.

ID types are read from each ``*ReferenceEnumeration`` simple type, whether it lists them as ``xsd:enumeration``
facets or, as Workday's WSDLs do, as ``wd:enumeration`` in ``xsd:appinfo``. A simple type that lists none
accepts any ID type as far as the schema says, so it yields no problem.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
import zeep.exceptions
from zeep.loader import parse_xml

from adapters.tls import tls_context
from adapters.workday.learning.imported_requests import fullest_requests
from adapters.workday.learning.names import LEARNING_BINDING, RESPONSE_REFERENCES
from adapters.workday.soap.client import load_wsdl
from adapters.workday.soap.names import (
    ID,
    ID_TYPE_ATTRIBUTE,
    VERSION_ATTRIBUTE,
    WID,
    request_element,
    response_element,
)
from adapters.workday.soap.schema_cache import enumerations
from adapters.workday.soap.settings import HARDENED_SETTINGS
from adapters.workday.soap.transport import SOAP_TIMEOUT, HttpxSoapTransport


class ProblemKind(StrEnum):
    BINDING = "binding"
    OPERATION = "operation"
    ELEMENT = "element"
    ATTRIBUTE = "attribute"
    ID_TYPE = "id type"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the connector uses that the tenant's WSDL lacks. ``path`` runs from the request or response
    element, ``/`` between elements and ``@`` before an attribute; for an ID type, ``value`` is the ID type."""

    kind: ProblemKind
    path: str
    value: str | None = None

    def __str__(self) -> str:
        if self.kind is ProblemKind.ID_TYPE:
            return f"ID type {self.value!r} is not one of the ID types of {self.path}"
        return f"{self.kind.value} {self.path} is missing"


def check_wsdl(wsdl_source: str | Path, *, http: httpx.Client | None = None) -> list[Problem]:
    """The problems of the WSDL at ``wsdl_source`` (a URL, such as the tenant's ``…/Learning/vNN.N?wsdl``, or
    a file), empty when it has everything the connector uses. ``http`` fetches a URL (pass one with the
    tenant's authentication if its WSDL needs it). Raises ``WsdlUnavailable`` when it cannot be loaded."""
    own_http = http is None
    client_http = http if http is not None else httpx.Client(timeout=SOAP_TIMEOUT, verify=tls_context())
    try:
        transport = HttpxSoapTransport(client_http)
        content = transport.load(str(wsdl_source))
        client = load_wsdl(io.BytesIO(content), transport, name=str(wsdl_source))
        root = parse_xml(content, transport, settings=HARDENED_SETTINGS)  # type: ignore[arg-type]  # takes bytes too
    finally:
        if own_http:
            client_http.close()
    return list(_Checker(client, enumerations(root)).problems())


class _Checker:
    def __init__(self, client: Any, enumerations: Mapping[str, frozenset[str]]) -> None:
        self._client = client
        self._enumerations = enumerations

    def problems(self) -> Iterator[Problem]:
        operations = self._operations()
        if operations is None:
            yield Problem(ProblemKind.BINDING, LEARNING_BINDING)
        for operation, request in fullest_requests("v0").items():
            if operations is not None and operation not in operations:
                yield Problem(ProblemKind.OPERATION, operation)
            yield from self._check_request(operation, request)
            yield from self._check_response(operation)

    def _operations(self) -> set[str] | None:
        bindings = self._client.wsdl.bindings
        if LEARNING_BINDING not in bindings:
            return None
        return set(bindings[LEARNING_BINDING].all())

    def _element(self, qname: str) -> Any:
        try:
            return self._client.get_element(qname)
        except zeep.exceptions.LookupError:
            return None

    def _check_request(self, operation: str, request: Mapping[str, object]) -> Iterator[Problem]:
        name = f"{operation}_Request"
        element = self._element(request_element(operation))
        if element is None:
            yield Problem(ProblemKind.ELEMENT, name)
            return
        yield from self._check_content(element.type, request, name)

    def _check_content(self, xsd_type: Any, content: Mapping[str, object], path: str) -> Iterator[Problem]:
        children = dict(xsd_type.elements)
        attributes = dict(xsd_type.attributes)
        for key, value in content.items():
            if key == VERSION_ATTRIBUTE:
                if key not in attributes:
                    yield Problem(ProblemKind.ATTRIBUTE, f"{path}@{key}")
                continue
            if key not in children:
                yield Problem(ProblemKind.ELEMENT, f"{path}/{key}")
                continue
            child_path = f"{path}/{key}"
            if isinstance(value, dict):
                yield from self._check_content(children[key].type, value, child_path)
            elif isinstance(value, list):
                for entry in value:
                    yield from self._check_id(children[key].type, entry, child_path)

    def _check_id(self, id_type: Any, entry: object, path: str) -> Iterator[Problem]:
        if not isinstance(entry, dict):
            return
        attributes = dict(id_type.attributes)
        if ID_TYPE_ATTRIBUTE not in attributes:
            yield Problem(ProblemKind.ATTRIBUTE, f"{path}@{ID_TYPE_ATTRIBUTE}")
            return
        yield from self._check_id_type(attributes[ID_TYPE_ATTRIBUTE], str(entry.get(ID_TYPE_ATTRIBUTE)), path)

    def _check_id_type(self, attribute: Any, value: str, path: str) -> Iterator[Problem]:
        qname = getattr(attribute.type, "qname", None)
        allowed = self._enumerations.get(qname.text) if qname is not None else None
        if allowed is not None and value not in allowed:
            yield Problem(ProblemKind.ID_TYPE, f"{path}@{ID_TYPE_ATTRIBUTE}", value)

    def _check_response(self, operation: str) -> Iterator[Problem]:
        name = f"{operation}_Response"
        element = self._element(response_element(operation))
        if element is None:
            yield Problem(ProblemKind.ELEMENT, name)
            return
        reference_name, id_type = RESPONSE_REFERENCES[operation]
        references = dict(element.type.elements)
        if reference_name not in references:
            yield Problem(ProblemKind.ELEMENT, f"{name}/{reference_name}")
            return
        ids = dict(references[reference_name].type.elements)
        if ID not in ids:
            yield Problem(ProblemKind.ELEMENT, f"{name}/{reference_name}/{ID}")
            return
        for value in (WID, id_type):
            yield from self._check_id(ids[ID].type, {ID_TYPE_ATTRIBUTE: value}, f"{name}/{reference_name}/{ID}")
