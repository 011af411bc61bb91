"""The Talent web service's client: zeep bound to ``TalentBinding`` at the tenant's endpoint
(``{host}/ccx/service/{tenant}/Talent/{version}``), sharing the tenant's rate limiter with its Learning client."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from adapters.workday.auth.credentials import LearningAuth
from adapters.workday.rate_limiter import RequestBudget
from adapters.workday.soap.client import SoapClient, connect, service_endpoint
from adapters.workday.soap.declaration import Service
from adapters.workday.soap.schema_cache import SCHEMAS, SchemaCache
from adapters.workday.soap.transport import SOAP_TIMEOUT
from adapters.workday.talent.contract import TALENT

_VERSION_IN_URL = re.compile(r"/Talent/(v\d+(?:\.\d+)*)/?$")


def talent_endpoint(base_url: str, tenant: str, version: str) -> str:
    return service_endpoint(base_url, tenant, "Talent", version)


class TalentClient(SoapClient):
    """The operations of one tenant's Talent endpoint, by ``call``."""


def build_talent_client(
    endpoint_url: str,
    auth: LearningAuth,
    *,
    wsdl: str | Path | None = None,
    limiter: RequestBudget | None = None,
    timeout: httpx.Timeout = SOAP_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    schemas: SchemaCache = SCHEMAS,
) -> TalentClient:
    """A client for the Talent endpoint at ``endpoint_url`` (``…/ccx/service/{tenant}/Talent/vNN.N``), its WSDL
    shared with every tenant on its host and version; the rest as ``soap.client.connect``. Raises
    ``WsdlUnavailable``."""
    match = _VERSION_IN_URL.search(endpoint_url)
    if match is None:
        raise ValueError(f"{endpoint_url!r} does not end in /Talent/v<version>")
    version = match.group(1)
    connection = connect(
        endpoint_url,
        auth,
        service=Service.TALENT,
        version=version,
        declaration=TALENT,
        wsdl=wsdl,
        limiter=limiter,
        timeout=timeout,
        transport=transport,
        schemas=schemas,
    )
    return TalentClient(connection.proxy, version, connection.http, names=connection.names)
