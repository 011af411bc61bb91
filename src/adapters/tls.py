"""The process's one TLS context, shared by every HTTP client the adapters make. Making a context reads the whole
CA bundle, tens of milliseconds of CPU; a client made per attempt (a Learning client rebuilt while Workday is
down, a cover-image fetcher per upsert) would pay that each time. An ``ssl.SSLContext`` is safe to share between
threads and clients."""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default verifying context (certifi's CAs, or ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set), made
    once."""
    return httpx.create_ssl_context()
