"""``/ccx/service/{tenant}/Learning/v{N}``: Workday's Learning web service, SOAP 1.1 document/literal.

``GET ...?wsdl`` serves the project's Learning WSDL, changed by the sandbox's WSDL variant, with its address set to
this URL. A ``POST`` goes through, in order: the per-tenant rate limit (429), a hardened parse (a DOCTYPE is
refused), authentication, the injected SOAP faults, the operation's request element and the XSD (both as the
variant serves them), the variant's names turned into the sourced ones, and the operation's business rules; the
answer is turned back into the variant's names. Every refusal after the rate limit is a SOAP fault as Workday
writes it (``sandbox.workday.soap.faults``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from sandbox.faults import SoapFaultKind
from sandbox.state import SandboxState
from sandbox.workday.learning import course_operations, enrollment_operations
from sandbox.workday.learning import operations as learning_operations
from sandbox.workday.learning.operations import LearningContext, Operation
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
from sandbox.workday.wsdl_variants import LEARNING

_VERSION = re.compile(r"v\d+(\.\d+)?")
_XML = "text/xml; charset=utf-8"
OPERATIONS: dict[str, Operation] = {
    **learning_operations.OPERATIONS,
    **course_operations.OPERATIONS,
    **enrollment_operations.OPERATIONS,
}


async def learning(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    wsdl = state.wsdls[LEARNING]
    tenant, version = request.path_params["tenant"], request.path_params["version"]
    if not _VERSION.fullmatch(version) or tenant != state.config.tenant:
        return PlainTextResponse("Not Found", 404)  # Inferred: an unknown tenant or version is not found.
    if request.method == "GET":
        if "wsdl" not in {key.lower() for key in request.query_params}:
            # Inferred: what Workday answers to a GET without ?wsdl.
            return PlainTextResponse("Method Not Allowed: POST a SOAP request, or GET ?wsdl", 405)
        return Response(wsdl.document(str(request.url.replace(query=""))), media_type=_XML)
    if not state.soap_limiter.accept(tenant):
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
        operation = OPERATIONS.get(sourced) if sourced is not None else None
        if operation is None:
            raise _unknown_operation(envelope.body.tag, workday_xpath(envelope.body))
        errors = wsdl.schema_errors(envelope.body)
        if errors:
            raise validation_fault(*errors)
        accepted = wsdl.to_canonical(envelope.body)
        if injected == "processing":
            raise processing_fault("An unexpected error occurred while processing the request (injected fault).")
        context = LearningContext(
            config=state.config,
            store=state.learning.tenant(tenant),
            now=state.clock.now_datetime(),
            version=accepted.get(wd("version")) or version,
            courses=state.courses.tenant(tenant),
            enrollments=state.enrollments.tenant(tenant),
        )
        payload = wsdl.to_served(operation(context, accepted))
    except MalformedRequest as problem:
        return _fault_response(client_fault(str(problem)))
    except SoapFault as fault:
        return _fault_response(fault)
    if injected == "reset":
        return _cut_connection()
    return Response(response_envelope(payload), media_type=_XML)


def _unknown_operation(tag: str, xpath: str) -> SoapFault:
    # Inferred: Workday's answer to a request element that is no operation of the service.
    name = tag.rpartition("}")[2]
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    message = f"Invalid request element {name}-{namespace}: not an operation of the Learning web service"
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
