"""The Learning API client: zeep bound to ``LearningBinding`` at the tenant's endpoint, loaded with hardened
XML settings, behind a small typed layer that turns Workday's answers into references or typed errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

import httpx
import zeep
import zeep.exceptions
from lxml import etree
from zeep.helpers import serialize_object

from adapters.tls import tls_context
from adapters.workday.auth.credentials import IsuCredentials, IsuUsernameToken, LearningAuth, OAuthCredentials
from adapters.workday.auth.tokens import WorkdayBearerAuth
from adapters.workday.errors import SoapRequestFailed, WsdlUnavailable, excerpt
from adapters.workday.learning.names import (
    LEARNING_BINDING,
    PUT_CONTENT,
    PUT_RECORD,
    RESPONSE_REFERENCES,
    WID,
    Request,
    ids_of,
)
from adapters.workday.rate_limiter import RateLimiter
from adapters.workday.soap.faults import error_for_fault
from adapters.workday.soap.transport import SOAP_TIMEOUT, HttpxSoapTransport, RateLimitedTransport

HARDENED_SETTINGS = zeep.Settings(
    strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True, xml_huge_tree=False
)
"""No DTDs, no entities, no fetches a WSDL or reply asks for, no huge trees."""

_VERSION_IN_URL = re.compile(r"/Learning/(v\d+(?:\.\d+)*)/?$")


def learning_endpoint(base_url: str, tenant: str, version: str) -> str:
    """The tenant's Learning endpoint: ``{base}/ccx/service/{tenant}/Learning/{version}`` [S1, S4, S10]."""
    return f"{base_url.rstrip('/')}/ccx/service/{tenant}/Learning/{version}"


def learning_wsdl_url(endpoint_url: str) -> str:
    """Where the tenant serves the endpoint's WSDL [S12b, S16]."""
    return f"{endpoint_url}?wsdl"


def learning_version(endpoint_url: str) -> str:
    """The version in an endpoint URL, which every request's ``wd:version`` repeats."""
    match = _VERSION_IN_URL.search(endpoint_url)
    if match is None:
        raise ValueError(f"{endpoint_url!r} does not end in /Learning/v<version>")
    return match.group(1)


def load_learning_wsdl(
    source: str | Path | IO[bytes], transport: HttpxSoapTransport, wsse: Any = None, *, name: str | None = None
) -> Any:
    """A zeep client for the WSDL at ``source``: a URL, a file, or its bytes (``name`` says where they came
    from, for messages). Raises ``WsdlUnavailable``."""
    location = str(source) if isinstance(source, Path) else source
    try:
        return zeep.Client(  # type: ignore[no-untyped-call]
            location, transport=transport, wsse=wsse, settings=HARDENED_SETTINGS
        )
    except (zeep.exceptions.Error, etree.XMLSyntaxError) as error:
        where = name or (location if isinstance(location, str) else "document")
        raise WsdlUnavailable(
            f"the Learning WSDL {where} could not be loaded: {type(error).__name__}: {excerpt(str(error))}"
        ) from None


class LearningClient:
    """The operations of one tenant's Learning endpoint (the two imported-learning Puts by name, the rest by
    ``call``). Each call is one HTTP request; retrying
    is the caller's choice.

    A call returns Workday's reference for the item (its WID, or failing that its reference ID) or raises:
    ``WorkdayValidationFault``, ``WorkdayProcessingFault``, ``WorkdayFault``, ``WorkdayUnavailable``,
    ``SoapRequestFailed``, or a ``WorkdayAuthError`` (refused credentials, or a token that cannot be had).
    """

    def __init__(self, service: Any, version: str, http: httpx.Client | None = None) -> None:
        self._service = service
        self.version = version
        self._http = http

    def put_imported_content(self, request: Request, item_id: str) -> str:
        return self._put(PUT_CONTENT, request, item_id)

    def put_imported_record(self, request: Request, item_id: str) -> str:
        return self._put(PUT_RECORD, request, item_id)

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

    def _put(self, operation: str, request: Request, item_id: str) -> str:
        reference_name, id_type = RESPONSE_REFERENCES[operation]
        return reference_id(self.call(operation, request), reference_name, id_type) or item_id


def reference_id(reply: dict[str, Any], reference_name: str, id_type: str) -> str | None:
    """The WID of the reference ``reference_name`` in ``reply``, or failing that its ``id_type`` ID."""
    by_type = ids_of(reply.get(reference_name))
    return by_type.get(WID) or by_type.get(id_type)


def build_learning_client(
    endpoint_url: str,
    auth: LearningAuth,
    *,
    wsdl: str | Path | None = None,
    limiter: RateLimiter | None = None,
    timeout: httpx.Timeout = SOAP_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> LearningClient:
    """A client for the Learning endpoint at ``endpoint_url`` (``…/ccx/service/{tenant}/Learning/vNN.N``),
    described by ``wsdl`` (a URL or a local file; by default the endpoint's own ``?wsdl``). Every HTTP
    request, the WSDL's included, takes a slot of ``limiter``: share one limiter among a tenant's clients.
    ``transport`` replaces the network (tests pass an ``httpx.MockTransport``). Raises ``WsdlUnavailable``."""
    version = learning_version(endpoint_url)
    inner = transport if transport is not None else httpx.HTTPTransport(verify=tls_context())
    http = httpx.Client(
        transport=RateLimitedTransport(inner, limiter) if limiter is not None else inner,
        auth=WorkdayBearerAuth(auth.tokens) if isinstance(auth, OAuthCredentials) else None,
        timeout=timeout,
        follow_redirects=False,
    )
    wsse = IsuUsernameToken(auth) if isinstance(auth, IsuCredentials) else None
    try:
        client = load_learning_wsdl(wsdl or learning_wsdl_url(endpoint_url), HttpxSoapTransport(http, timeout), wsse)
        if LEARNING_BINDING not in client.wsdl.bindings:
            raise WsdlUnavailable(f"the Learning WSDL has no binding {LEARNING_BINDING}")
    except WsdlUnavailable:
        http.close()
        raise
    service = client.create_service(LEARNING_BINDING, endpoint_url)
    return LearningClient(service, version, http)
