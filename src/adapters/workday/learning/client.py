"""The Learning API client: the Learning WSDL shared by every tenant on its host and version (``soap.schema_cache``),
bound to ``LearningBinding`` at the tenant's endpoint (``soap.client`` turns Workday's answers into plain dicts or
typed errors), with the imported-learning Puts answering Workday's reference for the item."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import zeep

from adapters.tls import tls_context
from adapters.workday.auth.credentials import IsuCredentials, LearningAuth, OAuthCredentials
from adapters.workday.auth.flows import WorkdayBearerAuth
from adapters.workday.errors import WsdlUnavailable
from adapters.workday.learning.contract import LEARNING
from adapters.workday.learning.names import PUT_CONTENT, PUT_RECORD, RESPONSE_REFERENCES
from adapters.workday.rate_limiter import RateLimitedTransport, TenantRateLimiter
from adapters.workday.soap.client import HARDENED_SETTINGS, SoapClient, reference_id
from adapters.workday.soap.declaration import Service
from adapters.workday.soap.names import Request
from adapters.workday.soap.schema_cache import SCHEMAS, SchemaCache, SchemaKey
from adapters.workday.soap.transport import SOAP_TIMEOUT, HttpxSoapTransport
from adapters.workday.soap.wsse import IsuUsernameToken

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


class LearningClient(SoapClient):
    """The operations of one tenant's Learning endpoint (the two imported-learning Puts by name, the rest by
    ``call``). Each call is one HTTP request; retrying is the caller's choice.

    A Put returns Workday's reference for the item (its WID, or failing that its reference ID) or raises:
    ``WorkdayValidationFault``, ``WorkdayProcessingFault``, ``WorkdayFault``, ``WorkdayUnavailable``,
    ``SoapRequestFailed``, or a ``WorkdayAuthError`` (refused credentials, or a token that cannot be had).
    """

    def put_imported_content(self, request: Request, item_id: str) -> str:
        return self._put(PUT_CONTENT, request, item_id)

    def put_imported_record(self, request: Request, item_id: str) -> str:
        return self._put(PUT_RECORD, request, item_id)

    def _put(self, operation: str, request: Request, item_id: str) -> str:
        reference_name, id_type = RESPONSE_REFERENCES[operation]
        return reference_id(self.call(operation, request), reference_name, id_type) or item_id


def build_learning_client(
    endpoint_url: str,
    auth: LearningAuth,
    *,
    wsdl: str | Path | None = None,
    limiter: TenantRateLimiter | None = None,
    timeout: httpx.Timeout = SOAP_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    schemas: SchemaCache = SCHEMAS,
) -> LearningClient:
    """A client for the Learning endpoint at ``endpoint_url`` (``…/ccx/service/{tenant}/Learning/vNN.N``),
    described by ``wsdl`` (a URL or a local file; by default the endpoint's own ``?wsdl``). The WSDL is loaded
    once per host and version (or per configured ``wsdl``) into ``schemas`` and shared with every tenant on it:
    only the first tenant's client fetches it. Every HTTP request, that fetch included, takes a slot of
    ``limiter``: share one limiter among a tenant's clients. ``transport`` replaces the network (tests pass an
    ``httpx.MockTransport``). Raises ``WsdlUnavailable``."""
    version = learning_version(endpoint_url)
    inner = transport if transport is not None else httpx.HTTPTransport(verify=tls_context())
    http = httpx.Client(
        transport=RateLimitedTransport(inner, limiter) if limiter is not None else inner,
        auth=WorkdayBearerAuth(auth.tokens) if isinstance(auth, OAuthCredentials) else None,
        timeout=timeout,
        follow_redirects=False,
    )
    soap_transport = HttpxSoapTransport(http, timeout)
    if wsdl is None:
        key = SchemaKey.of_endpoint(Service.LEARNING, version, endpoint_url)
        location, where = learning_wsdl_url(endpoint_url), f"the Learning WSDL {version}"
    else:
        location, where = str(wsdl), f"the Learning WSDL {wsdl} ({version})"
        key = SchemaKey(Service.LEARNING, version, location)
    try:
        parsed = schemas.parsed(key, soap_transport.load, location, where)
        binding = parsed.binding()
    except WsdlUnavailable:
        http.close()
        raise
    wsse = IsuUsernameToken(auth) if isinstance(auth, IsuCredentials) else None
    client = zeep.Client(parsed.document, transport=soap_transport, wsse=wsse, settings=HARDENED_SETTINGS)  # type: ignore[no-untyped-call]
    service = client.create_service(binding, endpoint_url)  # type: ignore[no-untyped-call]
    return LearningClient(service, version, http, names=parsed.resolution(LEARNING))
