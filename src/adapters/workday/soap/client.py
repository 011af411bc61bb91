"""A Workday SOAP web service through zeep: its WSDL loaded with hardened XML settings, and a small typed layer
over the bound service that turns Workday's answers into plain dicts or typed errors."""

from __future__ import annotations

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
from adapters.workday.errors import SoapRequestFailed, WsdlUnavailable, excerpt
from adapters.workday.rate_limiter import RateLimitedTransport, TenantRateLimiter
from adapters.workday.soap.faults import error_for_fault
from adapters.workday.soap.names import WID, Request, ids_of
from adapters.workday.soap.transport import SOAP_TIMEOUT, HttpxSoapTransport
from adapters.workday.soap.wsse import IsuUsernameToken

HARDENED_SETTINGS = zeep.Settings(
    strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True, xml_huge_tree=False
)
"""No DTDs, no entities, no fetches a WSDL or reply asks for, no huge trees."""


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


def connect(
    endpoint_url: str,
    auth: LearningAuth,
    *,
    service: str,
    binding: str,
    wsdl: str | Path | None = None,
    limiter: TenantRateLimiter | None = None,
    timeout: httpx.Timeout = SOAP_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> tuple[Any, httpx.Client]:
    """zeep's service proxy for ``binding`` at ``endpoint_url``, described by ``wsdl`` (a URL or a local file;
    by default the endpoint's own ``?wsdl``), and the HTTP client it sends with. Every HTTP request, the
    WSDL's included, takes a slot of ``limiter``: share one limiter among a tenant's clients, of every service.
    ``transport`` replaces the network (tests pass an ``httpx.MockTransport``). Raises ``WsdlUnavailable``."""
    inner = transport if transport is not None else httpx.HTTPTransport(verify=tls_context())
    http = httpx.Client(
        transport=RateLimitedTransport(inner, limiter) if limiter is not None else inner,
        auth=WorkdayBearerAuth(auth.tokens) if isinstance(auth, OAuthCredentials) else None,
        timeout=timeout,
        follow_redirects=False,
    )
    wsse = IsuUsernameToken(auth) if isinstance(auth, IsuCredentials) else None
    try:
        client = load_wsdl(wsdl or wsdl_url(endpoint_url), HttpxSoapTransport(http, timeout), wsse, service=service)
        if binding not in client.wsdl.bindings:
            raise WsdlUnavailable(f"the {service} WSDL has no binding {binding}")
    except WsdlUnavailable:
        http.close()
        raise
    return client.create_service(binding, endpoint_url), http


class SoapClient:
    """The operations of one tenant's endpoint of a Workday web service, by ``call``. Each call is one HTTP
    request; retrying is the caller's choice.

    A call returns Workday's reply or raises: ``WorkdayValidationFault``, ``WorkdayProcessingFault``,
    ``WorkdayFault``, ``WorkdayUnavailable``, ``SoapRequestFailed``, or a ``WorkdayAuthError`` (refused
    credentials, or a token that cannot be had).
    """

    def __init__(self, service: Any, version: str, http: httpx.Client | None = None) -> None:
        self._service = service
        self.version = version
        self._http = http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def call(self, operation: str, request: Request) -> dict[str, Any]:
        """Any operation of the binding: Workday's reply as plain dicts and lists (zeep's ``serialize_object``),
        or the errors the Put operations raise."""
        try:
            reply = getattr(self._service, operation)(**request)
        except zeep.exceptions.Fault as fault:
            raise error_for_fault(fault.message, fault.code, fault.detail) from None
        except zeep.exceptions.ValidationError as error:
            raise SoapRequestFailed(
                f"{operation} does not fit the tenant's WSDL ({excerpt(str(error))}): run wlc workday check-wsdl"
            ) from None
        except (zeep.exceptions.TransportError, zeep.exceptions.XMLSyntaxError) as error:
            raise SoapRequestFailed(f"{operation}: Workday's answer is not a SOAP reply ({error.message})") from None
        except (zeep.exceptions.DTDForbidden, zeep.exceptions.EntitiesForbidden):
            raise SoapRequestFailed(f"{operation}: Workday's answer declares a DTD or entities; refused") from None
        data = serialize_object(reply, dict)  # type: ignore[no-untyped-call]
        return data if isinstance(data, dict) else {}


def reference_id(reply: dict[str, Any], reference_name: str, id_type: str) -> str | None:
    """The WID of the reference ``reference_name`` in ``reply``, or failing that its ``id_type`` ID."""
    by_type = ids_of(reply.get(reference_name))
    return by_type.get(WID) or by_type.get(id_type)
