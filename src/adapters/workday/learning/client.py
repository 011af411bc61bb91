"""The Learning API client: the Learning WSDL shared by every tenant on its host and version (``soap.schema_cache``),
bound to ``LearningBinding`` at the tenant's endpoint (``soap.client`` turns Workday's answers into plain dicts or
typed errors), with the imported-learning Puts answering Workday's reference for the item."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from adapters.workday.auth.credentials import LearningAuth
from adapters.workday.learning import contract
from adapters.workday.learning.contract import LEARNING
from adapters.workday.learning.names import RESPONSE_REFERENCES
from adapters.workday.rate_limiter import RequestBudget
from adapters.workday.soap.client import SoapClient, connect, service_endpoint
from adapters.workday.soap.declaration import OperationName, Service
from adapters.workday.soap.names import Request
from adapters.workday.soap.schema_cache import SCHEMAS, SchemaCache
from adapters.workday.soap.transport import SOAP_TIMEOUT

_VERSION_IN_URL = re.compile(r"/Learning/(v\d+(?:\.\d+)*)/?$")


def learning_endpoint(base_url: str, tenant: str, version: str) -> str:
    """The tenant's Learning endpoint: ``{base}/ccx/service/{tenant}/Learning/{version}``."""
    return service_endpoint(base_url, tenant, "Learning", version)


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
        return self._put(contract.PUT_CONTENT, request, item_id)

    def put_imported_record(self, request: Request, item_id: str) -> str:
        return self._put(contract.PUT_RECORD, request, item_id)

    def _put(self, operation: OperationName, request: Request, item_id: str) -> str:
        """A delivery's Puts: sent many times over, so written and read without zeep (``SoapClient.reference``)."""
        reference_name, id_type = RESPONSE_REFERENCES[operation.path]
        return self.reference(operation, request, reference_name, id_type) or item_id


def build_learning_client(
    endpoint_url: str,
    auth: LearningAuth,
    *,
    wsdl: str | Path | None = None,
    limiter: RequestBudget | None = None,
    timeout: httpx.Timeout = SOAP_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    schemas: SchemaCache = SCHEMAS,
) -> LearningClient:
    """A client for the Learning endpoint at ``endpoint_url`` (``…/ccx/service/{tenant}/Learning/vNN.N``), its
    WSDL shared with every tenant on its host and version; the rest as ``soap.client.connect``. Raises
    ``WsdlUnavailable``."""
    version = learning_version(endpoint_url)
    connection = connect(
        endpoint_url,
        auth,
        service=Service.LEARNING,
        version=version,
        declaration=LEARNING,
        wsdl=wsdl,
        limiter=limiter,
        timeout=timeout,
        transport=transport,
        schemas=schemas,
    )
    return LearningClient(
        connection.proxy, version, connection.http, names=connection.names, endpoint=connection.endpoint
    )
