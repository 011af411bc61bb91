"""HTTP for the Learning API: zeep's transport over an ``httpx.Client`` (so the Workday adapters share one HTTP
stack, ``WorkdayBearerAuth`` and ``httpx.MockTransport`` as the test seam), with every HTTP request taking a
slot of the tenant's rate limiter, and Workday's answers sorted into what zeep should parse (a reply or a SOAP
fault) and what it should not (throttling, an outage, an authentication refusal, a configuration error, a request
refused as sent)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from lxml import etree
from zeep.transports import Transport
from zeep.wsdl.utils import etree_to_string

from adapters.retries import retry_after
from adapters.workday.errors import (
    SoapAuthRejected,
    SoapRequestFailed,
    SoapRequestRefused,
    WorkdayUnavailable,
    WsdlUnavailable,
    excerpt,
)

_log = logging.getLogger(__name__)

SOAP_TIMEOUT = httpx.Timeout(120.0, connect=15.0)
"""A Put can take Workday a while; connecting should not."""

_SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_TRANSIENT_HTTPX = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

_PASSING = frozenset({httpx.codes.REQUEST_TIMEOUT, httpx.codes.TOO_MANY_REQUESTS})
"""4xx that say nothing of the request but that it came at a bad moment: retried, like a 5xx."""
_EVERY_REQUEST_FAILS = frozenset(
    {
        httpx.codes.NOT_FOUND,
        httpx.codes.METHOD_NOT_ALLOWED,
        httpx.codes.PROXY_AUTHENTICATION_REQUIRED,
        httpx.codes.GONE,
        httpx.codes.LENGTH_REQUIRED,
        httpx.codes.UNSUPPORTED_MEDIA_TYPE,
        httpx.codes.MISDIRECTED_REQUEST,
        httpx.codes.UPGRADE_REQUIRED,
    }
)
"""4xx about the endpoint or the way every request is sent (a wrong URL or version, a proxy, the content type):
a configuration problem, raised, since no item is to blame. Any other 4xx without a SOAP fault (401 and 403
aside: refused credentials) judges the request itself: 413 for a body larger than the tenant takes, 400, 414,
422..."""


class HttpxSoapTransport(Transport):
    """zeep's ``Transport`` for one tenant's endpoint: ``http`` fetches the WSDL, and ``post``, the one place a
    tenant's SOAP requests are sent (zeep's and the envelopes the adapter writes itself, ``soap.envelope``, alike),
    sends through ``http``'s own ``transport`` and ``auth``. It never logs a message body: a request carries the
    ISU password in its WS-Security header.

    A post goes to the transport as ``httpx.Client.send`` would send it, with the client's headers and ``auth``'s
    flow, but without the client's cookie jar, redirects and URL merging: a SOAP post needs none of them (Workday's
    SOAP endpoints are stateless, and a redirect is a configuration error, never followed), and they were a fifth
    of the CPU of a request."""

    def __init__(
        self,
        http: httpx.Client,
        transport: httpx.BaseTransport,
        auth: httpx.Auth | None = None,
        timeout: httpx.Timeout = SOAP_TIMEOUT,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._http = http
        self._transport = transport
        self._auth = auth if auth is not None else httpx.Auth()  # the base flow sends the request once, as it is
        self._timeout = timeout
        self._headers = {name.lower(): value for name, value in http.headers.items()}
        self._timeouts = timeout.as_dict()

    def load(self, url: str) -> bytes:
        """A WSDL or schema document, from an http(s) URL or a local file."""
        location = str(url)
        if urlparse(location).scheme not in ("http", "https"):
            try:
                return Path(location.removeprefix("file://")).expanduser().read_bytes()
            except OSError as error:
                raise WsdlUnavailable(f"the WSDL {location} could not be read: {error}") from None
        try:
            response = self._http.get(location, timeout=self._timeout)
        except httpx.HTTPError as error:
            raise WsdlUnavailable(f"the WSDL {location} could not be fetched: {_describe(error)}") from None
        if response.status_code != httpx.codes.OK:
            raise WsdlUnavailable(f"the WSDL {location} answered HTTP {response.status_code}")
        return response.content

    def post_xml(self, address: str, envelope: Any, headers: dict[str, str]) -> httpx.Response:
        return self.post(address, etree_to_string(envelope), headers)  # type: ignore[no-untyped-call]

    def post(self, address: str, message: bytes, headers: dict[str, str]) -> httpx.Response:
        """Workday's answer when zeep should parse it (a reply, a SOAP fault, another error zeep reports);
        raises ``WorkdayUnavailable`` for what passes and ``SoapAuthRejected`` for refused credentials."""
        given = {name.lower(): value for name, value in headers.items()}
        request = httpx.Request(
            "POST", address, content=message, headers={**self._headers, **given}, extensions={"timeout": self._timeouts}
        )
        try:
            response = self._send(request)
        except _TRANSIENT_HTTPX as error:
            raise WorkdayUnavailable(f"Workday could not be reached: {_describe(error)}") from None
        status = response.status_code
        _log.debug("Workday Learning API answered HTTP %d", status)
        if status == httpx.codes.OK:
            return response
        if status in (httpx.codes.UNAUTHORIZED, httpx.codes.FORBIDDEN):
            raise SoapAuthRejected(
                f"the Learning API refused the credentials (HTTP {status}): check the ISU or API client, its "
                "security group and its domain permissions"
            )
        if status in _PASSING or (status >= 500 and not _is_soap_fault(response.content)):
            raise WorkdayUnavailable(
                f"Workday answered HTTP {status}", status, retry_after(response.headers.get("Retry-After"))
            )
        if _is_soap_fault(response.content):
            return response
        if status in _EVERY_REQUEST_FAILS or not 400 <= status < 500:
            raise SoapRequestFailed(f"the Learning API at {address} answered HTTP {status}", status)
        raise SoapRequestRefused(_refused(status, response.text), status)

    def _send(self, request: httpx.Request) -> httpx.Response:
        """``request`` sent, with ``auth``'s flow (which may send it again, as a 401 refreshes a token), and the
        answer read."""
        flow = self._auth.sync_auth_flow(request)
        try:
            request = next(flow)
            while True:
                response = _read(self._transport.handle_request(request))
                try:
                    request = flow.send(response)
                except StopIteration:
                    return response
        finally:
            flow.close()


def _read(response: httpx.Response) -> httpx.Response:
    try:
        response.read()
    finally:
        response.close()
    return response


def _refused(status: int, body: str) -> str:
    message = f"Workday refused the request as sent (HTTP {status} {httpx.codes.get_reason_phrase(status)})"
    if status == httpx.codes.REQUEST_ENTITY_TOO_LARGE:
        message += ": it is larger than the tenant takes; shorten the description or use a smaller cover image"
    said = excerpt(body, 200)
    return f"{message}; Workday said: {said}" if said else message


def _is_soap_fault(content: bytes) -> bool:
    try:
        root = etree.fromstring(content, _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return False
    return root.find(f"{{{_SOAP_ENV}}}Body/{{{_SOAP_ENV}}}Fault") is not None


def _describe(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    return f"connection failed ({type(error).__name__})"
