"""A Workday SOAP web service through zeep: its WSDL loaded with hardened XML settings, and a small typed layer
over the bound service that turns Workday's answers into plain dicts or typed errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import zeep
import zeep.exceptions
from lxml import etree
from zeep.helpers import serialize_object

from adapters.tls import tls_context
from adapters.workday.auth.credentials import IsuCredentials, LearningAuth, OAuthCredentials
from adapters.workday.auth.flows import WorkdayBearerAuth
from adapters.workday.errors import ContractMismatch, SoapRequestFailed, WsdlUnavailable, excerpt
from adapters.workday.rate_limiter import RateLimitedTransport, RequestBudget
from adapters.workday.soap.declaration import Declaration, OperationName, Service
from adapters.workday.soap.envelope import ids, read_reply, write_request
from adapters.workday.soap.faults import error_for_fault
from adapters.workday.soap.names import WID, Request, ids_of
from adapters.workday.soap.replies import read_fields, readable
from adapters.workday.soap.resolution import Resolution
from adapters.workday.soap.schema_cache import SCHEMAS, SchemaCache, SchemaKey
from adapters.workday.soap.settings import HARDENED_SETTINGS
from adapters.workday.soap.transport import SOAP_TIMEOUT, HttpxSoapTransport
from adapters.workday.soap.wsse import IsuUsernameToken


def load_wsdl(
    source: str | Path | IO[bytes],
    transport: HttpxSoapTransport,
    wsse: Any = None,
    *,
    name: str | None = None,
    service: str = "Learning",
) -> Any:
    """A zeep client for the WSDL of ``service`` at ``source``: a URL, a file, or its bytes (``name`` says where
    they came from, for messages). Raises ``WsdlUnavailable``."""
    location = str(source) if isinstance(source, Path) else source
    try:
        return zeep.Client(  # type: ignore[no-untyped-call]
            location, transport=transport, wsse=wsse, settings=HARDENED_SETTINGS
        )
    except (zeep.exceptions.Error, etree.XMLSyntaxError) as error:
        where = name or (location if isinstance(location, str) else "document")
        raise WsdlUnavailable(
            f"the {service} WSDL {where} could not be loaded: {type(error).__name__}: {excerpt(str(error))}"
        ) from None


def service_endpoint(base_url: str, tenant: str, service: str, version: str) -> str:
    """A tenant's endpoint of a web service: ``{base}/ccx/service/{tenant}/{Service}/{version}`` [S1, S4, S10]."""
    return f"{base_url.rstrip('/')}/ccx/service/{tenant}/{service}/{version}"


def wsdl_url(endpoint_url: str) -> str:
    """Where the tenant serves an endpoint's WSDL [S12b, S16]."""
    return f"{endpoint_url}?wsdl"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a tenant's envelopes written without zeep (``soap.envelope``) go: the endpoint's URL, the transport
    every SOAP request of the tenant goes through, zeep's included, and the ISU whose WS-Security header they
    carry (None with OAuth, whose token the HTTP client adds)."""

    url: str
    transport: HttpxSoapTransport
    credentials: IsuCredentials | None


@dataclass(frozen=True, slots=True)
class Connection:
    """A tenant's endpoint of a service: zeep's service proxy bound to it, the HTTP client it sends with, the
    resolution of the connector's names against the service's WSDL (shared by every tenant on that WSDL), and the
    endpoint for the envelopes the adapter writes itself."""

    proxy: Any
    http: httpx.Client
    names: Resolution
    endpoint: Endpoint


def connect(
    endpoint_url: str,
    auth: LearningAuth,
    *,
    service: Service,
    version: str,
    declaration: Declaration,
    wsdl: str | Path | None = None,
    limiter: RequestBudget | None = None,
    timeout: httpx.Timeout = SOAP_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    schemas: SchemaCache = SCHEMAS,
) -> Connection:
    """The tenant's endpoint ``endpoint_url`` of ``service``, described by ``wsdl`` (a URL or a local file; by
    default the endpoint's own ``?wsdl``). The WSDL is loaded once per host and version (or per configured
    ``wsdl``) into ``schemas`` and shared with every tenant on it: only the first tenant's client fetches it, and
    each keeps only its own HTTP client, credentials and zeep client. Every HTTP request, that fetch included,
    takes a slot of ``limiter``: share one limiter among a tenant's clients, of every service. ``transport``
    replaces the network (tests pass an ``httpx.MockTransport``). Raises ``WsdlUnavailable``."""
    inner = transport if transport is not None else httpx.HTTPTransport(verify=tls_context())
    sending = RateLimitedTransport(inner, limiter) if limiter is not None else inner
    bearer = WorkdayBearerAuth(auth.tokens) if isinstance(auth, OAuthCredentials) else None
    http = httpx.Client(transport=sending, auth=bearer, timeout=timeout, follow_redirects=False)
    soap_transport = HttpxSoapTransport(http, sending, bearer, timeout)
    if wsdl is None:
        key = SchemaKey.of_endpoint(service, version, endpoint_url)
        location, where = wsdl_url(endpoint_url), f"the {service} WSDL {version}"
    else:
        location, where = str(wsdl), f"the {service} WSDL {wsdl} ({version})"
        key = SchemaKey(service, version, location)
    try:
        parsed = schemas.parsed(key, soap_transport.load, location, where)
        binding = parsed.binding()
    except WsdlUnavailable:
        http.close()
        raise
    wsse = IsuUsernameToken(auth) if isinstance(auth, IsuCredentials) else None
    client = zeep.Client(parsed.document, transport=soap_transport, wsse=wsse, settings=HARDENED_SETTINGS)  # type: ignore[no-untyped-call]
    proxy = client.create_service(binding, endpoint_url)  # type: ignore[no-untyped-call]
    credentials = auth if isinstance(auth, IsuCredentials) else None
    endpoint = Endpoint(endpoint_url, soap_transport, credentials)
    return Connection(proxy, http, parsed.resolution(declaration), endpoint)


class SoapClient:
    """The operations of one tenant's endpoint of a Workday web service, by ``call``. Each call is one HTTP
    request; retrying is the caller's choice. ``names`` is the resolution of the connector's declaration
    against the tenant's WSDL (shared by every tenant on that WSDL): the request builders take their names from it.

    A call returns Workday's reply or raises: ``WorkdayValidationFault``, ``WorkdayProcessingFault``,
    ``WorkdayFault``, ``WorkdayUnavailable``, ``SoapRequestFailed``, ``ContractMismatch`` (before anything is
    sent), or a ``WorkdayAuthError`` (refused credentials, or a token that cannot be had).
    """

    def __init__(
        self,
        service: Any,
        version: str,
        http: httpx.Client | None = None,
        *,
        names: Resolution,
        endpoint: Endpoint | None = None,
    ) -> None:
        self._service = service
        self.version = version
        self._http = http
        self.names = names
        self._endpoint = endpoint

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def call(self, operation: OperationName | str, request: Request) -> dict[str, Any]:
        """Any operation of the binding, declared (its name as the tenant's WSDL has it) or by the WSDL's name:
        Workday's reply as plain dicts and lists (zeep's ``serialize_object``), or the errors the Put operations
        raise. zeep's refusals of a request that does not fit the WSDL (an operation it lacks, a keyword it does
        not take, a type it does not know) are ``ContractMismatch``, raised before anything is sent."""
        name = self.names.name(operation) if isinstance(operation, OperationName) else operation
        try:
            bound = getattr(self._service, name)
        except AttributeError as error:
            raise self._mismatch(name, error) from None
        try:
            reply = bound(**request)
        except zeep.exceptions.Fault as fault:
            raise error_for_fault(fault.message, fault.code, fault.detail) from None
        except (TypeError, zeep.exceptions.LookupError) as error:
            # zeep checks a request against the WSDL as it builds the envelope; our transport raises only the
            # adapter's own errors, so these come from a request the tenant's WSDL does not describe.
            raise self._mismatch(name, error) from None
        except zeep.exceptions.ValidationError as error:
            raise SoapRequestFailed(
                f"{name} does not fit the tenant's WSDL ({excerpt(str(error))}): run wlc workday check"
            ) from None
        except (zeep.exceptions.TransportError, zeep.exceptions.XMLSyntaxError) as error:
            raise SoapRequestFailed(f"{name}: Workday's answer is not a SOAP reply ({error.message})") from None
        except (zeep.exceptions.DTDForbidden, zeep.exceptions.EntitiesForbidden):
            raise SoapRequestFailed(f"{name}: Workday's answer declares a DTD or entities; refused") from None
        data = serialize_object(reply, dict)  # type: ignore[no-untyped-call]
        return data if isinstance(data, dict) else {}

    def reference(self, operation: OperationName, request: Request, reference_name: str, id_type: str) -> str | None:
        """The WID of the reference ``reference_name`` in the reply to ``operation``, or failing that its
        ``id_type`` ID; None when the reply names neither. The envelope is written and the reply read by
        ``soap.envelope``, without zeep's object layer, unless the tenant's WSDL orders the request's elements
        otherwise than the connector declares them (zeep writes them in its order) or the client is over a
        stand-in service (no ``endpoint``): then through ``call``. Raises as ``call`` does."""
        if self._endpoint is None or not self.names.in_declared_order(operation):
            return reference_id(self.call(operation, request), reference_name, id_type)
        by_type = ids(self._exchange(self._endpoint, operation, request), reference_name)
        return by_type.get(WID) or by_type.get(id_type)

    def read(self, operation: OperationName, request: Request) -> dict[str, Any]:
        """Workday's reply to ``operation`` as ``call`` gives it, for the reply's elements the connector declares
        (``Resolution.reply``; what is not declared is not read): for the Gets read over and over. The envelope is
        written and the reply read by ``soap.envelope`` and ``soap.replies``, without zeep's object layer, unless
        the tenant's WSDL orders the request's elements otherwise than the connector declares them, types a
        declared reply element in a way ``soap.replies`` does not read, or the client is over a stand-in service:
        then through ``call``. Raises as ``call`` does."""
        fields = self.names.reply(operation)
        if self._endpoint is None or not self.names.in_declared_order(operation) or not readable(fields):
            return self.call(operation, request)
        reply = self._exchange(self._endpoint, operation, request)
        return read_fields(reply, fields) if reply is not None else {}

    def _exchange(self, endpoint: Endpoint, operation: OperationName, request: Request) -> etree._Element | None:
        """The response element of Workday's answer to ``request``, written and read with lxml."""
        messages = self.names.messages(operation)
        name = self.names.name(operation)
        try:
            content, headers = write_request(messages, request, endpoint.credentials)
        except TypeError as error:
            raise self._mismatch(name, error) from None
        response = endpoint.transport.post(endpoint.url, content, headers)
        return read_reply(name, messages, response.content)

    def _mismatch(self, operation: str, error: Exception) -> ContractMismatch:
        detail = excerpt(str(getattr(error, "message", None) or error))
        return ContractMismatch(
            f"{operation} does not fit {self.names.where} ({type(error).__name__}: {detail}): "
            "wlc workday check says what works on this tenant",
            service=self.names.service,
            version=self.version,
            missing=(operation,),
        )


def reference_id(reply: dict[str, Any], reference_name: str, id_type: str) -> str | None:
    """The WID of the reference ``reference_name`` in ``reply``, or failing that its ``id_type`` ID."""
    by_type = ids_of(reply.get(reference_name))
    return by_type.get(WID) or by_type.get(id_type)
