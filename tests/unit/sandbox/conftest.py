from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest

from sandbox import SandboxConfig, SandboxServer


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(workers=200)).start()
    yield server
    server.stop(wait=False)


@pytest.fixture
def catalog_sandbox() -> Iterator[SandboxServer]:
    """A sandbox without the SOAP rate limit: the unified LMS tests send many requests in a row."""
    server = SandboxServer(SandboxConfig(workers=50, soap_rate_limit=None, completions=0)).start()
    yield server
    server.stop(wait=False)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def isu(server: SandboxServer) -> tuple[str, str]:
    return server.config.isu_username, server.config.isu_password


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - the sandbox's own output, on loopback


def lumiq_headers(server: SandboxServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.config.lumiq_api_key}"}
