"""Each service's WSDL parsed once per process for each (origin, service, version) and shared by every tenant on it:
the zeep ``Document`` (by far the largest thing a SOAP client holds), the ID type enumerations of its
``xsd:appinfo`` and the ``Resolution`` of the connector's declaration against it. A tenant's client keeps only its
own HTTP client, credentials and rate limiter, and binds the shared document to its endpoint.

Workday serves one WSDL per service and version, the same for every tenant of a host: the address it carries is
not used (the connector binds to the tenant's endpoint). A WSDL configured as a file or URL is keyed by that
location instead of the host. The shared document holds no tenant's transport: the tenant that loads it lends its
transport for the load alone.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import zeep.exceptions
from lxml import etree
from zeep.wsdl import Document

from adapters.workday.errors import WsdlUnavailable, excerpt
from adapters.workday.soap.declaration import Declaration, Service
from adapters.workday.soap.names import BSVC
from adapters.workday.soap.resolution import Resolution, binding_name, find_binding, resolve
from adapters.workday.soap.settings import HARDENED_SETTINGS

_XSD = "http://www.w3.org/2001/XMLSchema"
_ENUMERATION_NAMESPACES = (_XSD, BSVC)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


@dataclass(frozen=True, slots=True)
class SchemaKey:
    """Which WSDL: ``origin`` is the scheme and host of the tenant's endpoint (``https://wd2-impl-services1.
    workday.com``), or the location of a WSDL the tenant configured."""

    service: Service
    version: str
    origin: str

    @classmethod
    def of_endpoint(cls, service: Service, version: str, endpoint_url: str) -> SchemaKey:
        parts = urlsplit(endpoint_url)
        return cls(service, version, f"{parts.scheme}://{parts.netloc}".lower())


class ParsedWsdl:
    """One service's WSDL, parsed: ``document`` (zeep's), ``enumerations`` (each ``*ReferenceEnumeration`` simple
    type's ID types, by Clark name) and ``where`` (its description in messages: "the Learning WSDL v44.2")."""

    def __init__(self, key: SchemaKey, document: Document, enumerations: dict[str, frozenset[str]], where: str) -> None:
        self.key = key
        self.document = document
        self.enumerations = enumerations
        self.where = where
        self._resolutions: dict[Declaration, Resolution] = {}
        self._lock = threading.Lock()

    def binding(self) -> str:
        """The key of the binding to bind to, in ``document.bindings``. Raises ``WsdlUnavailable``."""
        found = find_binding(self.document, self.key.service)
        if found is None:
            raise WsdlUnavailable(f"{self.where} has no binding {binding_name(self.key.service)}")
        return next(key for key, binding in self.document.bindings.items() if binding is found)

    def resolution(self, declaration: Declaration) -> Resolution:
        """``declaration``'s names of this service in this WSDL, resolved once and shared."""
        with self._lock:
            found = self._resolutions.get(declaration)
            if found is None:
                found = resolve(
                    declaration, self.key.service, self.key.version, self.where, self.document, self.enumerations
                )
                self._resolutions[declaration] = found
            return found


class SchemaCache:
    """Parsed WSDLs by ``SchemaKey``. Thread-safe: concurrent tenants on one key wait for one load."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parsed: dict[SchemaKey, ParsedWsdl] = {}
        self._loading: dict[SchemaKey, threading.Lock] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._parsed)

    def forget(self) -> None:
        """Drops every parsed WSDL: the next client of each key loads it again. For a process that knows the WSDL
        behind a key has changed (a sandbox started again on a port with another WSDL, in tests)."""
        with self._lock:
            self._parsed.clear()

    def parsed(self, key: SchemaKey, load: Callable[[str], bytes], location: str, where: str) -> ParsedWsdl:
        """The WSDL of ``key``, parsed on first use from ``load(location)``, which also loads anything it imports
        (relative to ``location``) while it is parsed. Raises ``WsdlUnavailable`` (and keeps nothing) when it
        cannot be loaded or parsed."""
        with self._lock:
            found = self._parsed.get(key)
            if found is not None:
                return found
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            with self._lock:
                found = self._parsed.get(key)
            if found is not None:
                return found
            parsed = _parse(key, load, location, where)
            with self._lock:
                self._parsed[key] = parsed
                self._loading.pop(key, None)
            return parsed


SCHEMAS = SchemaCache()
"""The process's parsed WSDLs."""


class _LentLoader:
    """The transport a shared document is parsed with: it loads through the loading tenant's ``load`` while the
    document is parsed, and nothing after (zeep keeps its transport; this one keeps no tenant's)."""

    def __init__(self, load: Callable[[str], bytes]) -> None:
        self._load: Callable[[str], bytes] | None = load

    def load(self, url: str) -> bytes:
        if self._load is None:
            raise WsdlUnavailable(f"{url} was asked for after its WSDL was parsed")
        return self._load(url)

    def release(self) -> None:
        self._load = None


def _parse(key: SchemaKey, load: Callable[[str], bytes], location: str, where: str) -> ParsedWsdl:
    lent = _LentLoader(load)
    try:
        content = load(location)
        document = Document(io.BytesIO(content), lent, base=location, settings=HARDENED_SETTINGS)  # type: ignore[arg-type]
        root = etree.fromstring(content, _SAFE_PARSER)
    except (zeep.exceptions.Error, etree.XMLSyntaxError) as error:
        raise WsdlUnavailable(f"{where} could not be loaded: {type(error).__name__}: {excerpt(str(error))}") from None
    finally:
        lent.release()
    return ParsedWsdl(key, document, enumerations(root), where)


def enumerations(root: etree._Element) -> dict[str, frozenset[str]]:
    """The ID types each simple type lists, as ``xsd:enumeration`` facets or, as Workday writes them, as
    ``wd:enumeration`` in ``xsd:appinfo``; keyed by the type's Clark name."""
    found: dict[str, frozenset[str]] = {}
    for schema in root.iter(f"{{{_XSD}}}schema"):
        namespace = schema.get("targetNamespace", "")
        for simple_type in schema.iterfind(f"{{{_XSD}}}simpleType[@name]"):
            values = {
                str(e.get("value"))
                for e in simple_type.iter(etree.Element)
                if etree.QName(e).localname == "enumeration"
                and etree.QName(e).namespace in _ENUMERATION_NAMESPACES
                and e.get("value") is not None
            }
            if values:
                found[etree.QName(namespace, str(simple_type.get("name"))).text] = frozenset(values)
    return found
