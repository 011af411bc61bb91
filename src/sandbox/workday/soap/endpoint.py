"""``/ccx/service/{tenant}/{Service}/v{N}``: one of Workday's SOAP web services (Learning, Talent), SOAP 1.1
document/literal.

``GET ...?wsdl`` serves the service's WSDL, as the sandbox's WSDL variant changes it, with its address set to this
URL. A ``POST`` goes through, in order: the per-tenant rate limit (429, one budget for every service of the
tenant), a hardened parse (a DOCTYPE is refused), authentication, the injected SOAP faults, the operation's
request element and the XSD (both as the variant serves them), the variant's names turned into the sourced ones,
and the operation's business rules; the answer is turned back into the variant's names. Every refusal after the
rate limit is a SOAP fault as Workday writes it (``sandbox.workday.soap.faults``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from lxml import etree
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from sandbox.faults import SoapFaultKind
from sandbox.faults.rate_limit import ARRIVED
from sandbox.state import SandboxState
from sandbox.workday.raas.endpoint import TransferCut
from sandbox.workday.soap.auth import authenticated
from sandbox.workday.soap.envelopes import MalformedRequest, parse_envelope, response_envelope, wd, workday_xpath
from sandbox.workday.soap.faults import (
    SoapFault,
    ValidationError,
    authentication_fault,
    client_fault,
    processing_fault,
    validation_fault,
)

_VERSION = re.compile(r"v\d+(\.\d+)?")
_XML = "text/xml; charset=utf-8"
_C = TypeVar("_C")


@dataclass(frozen=True, slots=True)
class Call:
    """What an operation is called with, besides its request: the tenant, the version and now."""

    state: SandboxState
    tenant: str
    version: str
    now: datetime


@dataclass(frozen=True)
class SoapService(Generic[_C]):
    """A web service: its name (its WSDL is the state's ``wsdls[name]``), its operations by sourced request
    element, and the context they take."""

    name: str
    operations: Mapping[str, Callable[[_C, etree._Element], etree._Element]]
    context: Callable[[Call], _C]

    async def handle(self, request: Request) -> Response:
        state: SandboxState = request.app.state.sandbox
        wsdl = state.wsdls[self.name]
        tenant, version = request.path_params["tenant"], request.path_params["version"]
        if not _VERSION.fullmatch(version) or not state.config.serves(tenant):
            return PlainTextResponse("Not Found", 404)  # Inferred: an unknown tenant or version is not found.
        if request.method == "GET":
            if "wsdl" not in {key.lower() for key in request.query_params}:
                # Inferred: what Workday answers to a GET without ?wsdl.
                return PlainTextResponse("Method Not Allowed: POST a SOAP request, or GET ?wsdl", 405)
            return Response(wsdl.document(str(request.url.replace(query=""))), media_type=_XML)
        if not state.soap_limiter.accept(tenant, request.scope.get("state", {}).get(ARRIVED)):
            # Inferred: the status, header and body of Workday's throttling (it publishes no numbers).
            return PlainTextResponse("Too Many Requests", 429, {"Retry-After": "1"})
        limit = state.config.soap_max_request_bytes
        if int(request.headers.get("content-length") or 0) > limit:
            return _too_large()
        body = await request.body()
        if len(body) > limit:
            return _too_large()
        injected: SoapFaultKind | None = None
        try:
            envelope = parse_envelope(body)
            if not authenticated(
                envelope.header, request.headers.get("authorization", ""), tenant, state.config, state.tokens
            ):
                raise authentication_fault()
            if state.faults.applies_to("workday"):
                injected = state.faults.soap_fault(state.rng)
            if injected == "reset" and not state.faults.reset_after_processing:
                return _cut_connection()
            sourced = wsdl.operation_of(envelope.body.tag)
            operation = self.operations.get(sourced) if sourced is not None else None
            if operation is None:
                raise _unknown_operation(self.name, envelope.body.tag, workday_xpath(envelope.body))
            errors = wsdl.schema_errors(envelope.body)
            if errors:
                raise validation_fault(*errors)
            accepted = wsdl.to_canonical(envelope.body)
            if injected == "processing":
                raise processing_fault("An unexpected error occurred while processing the request (injected fault).")
            requested = accepted.get(wd("version")) or version
            context = self.context(Call(state, tenant, requested, state.clock.now_datetime()))
            payload = wsdl.to_served(operation(context, accepted))
        except MalformedRequest as problem:
            return _fault_response(client_fault(str(problem)))
        except SoapFault as fault:
            return _fault_response(fault)
        if injected == "reset":
            return _cut_connection()
        return Response(response_envelope(payload), media_type=_XML)


def _unknown_operation(service: str, tag: str, xpath: str) -> SoapFault:
    # Inferred: Workday's answer to a request element that is no operation of the service.
    name = tag.rpartition("}")[2]
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    message = f"Invalid request element {name}-{namespace}: not an operation of the {service} web service"
    return validation_fault(ValidationError(message, xpath))


def _too_large() -> Response:
    # Inferred: Workday's answer to a request body over its limit (a front end's 413, without a SOAP fault).
    return PlainTextResponse("Request Entity Too Large", 413)


def _fault_response(fault: SoapFault) -> Response:
    return Response(fault.to_xml(), fault.status, media_type=_XML)


def _cut_connection() -> Response:
    """Starts an answer and drops the connection before its body: the client sees the connection fail."""

    def body() -> Iterator[bytes]:
        yield from ()
        raise TransferCut

    return StreamingResponse(body(), media_type=_XML)
