"""The rule for every URL in the settings: ``https://``, or ``http://`` to a loopback host (127.0.0.1, ::1,
localhost), where the sandbox runs; nothing sent there crosses a network. Each type refuses a value with a
``ValueError`` that quotes it and says what to write instead."""

from __future__ import annotations

import ipaddress
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _web_url(url: str) -> str:
    """``url`` if it is ``https://`` with a host, or ``http://`` to a loopback host; raises ``ValueError``."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url
    if parts.scheme == "http":
        raise ValueError(
            f"{url!r} is plain http: use https:// (http:// is accepted only for a loopback host such as "
            "127.0.0.1 or localhost, where the sandbox runs)"
        )
    raise ValueError(
        f"{url!r} is not an https:// URL: write the scheme and the host, e.g. https://wd2-impl-services1.workday.com"
    )


def _host(url: str) -> str:
    _web_url(url)
    if urlsplit(url).path.strip("/") or urlsplit(url).query:
        raise ValueError(f"{url!r} should be the host alone, e.g. https://wd2-impl-services1.workday.com, no path")
    return url


def _url_or_file(value: str) -> str:
    return _web_url(value) if urlsplit(value).scheme in {"http", "https"} else value


web_url = _web_url
"""The ``WebUrl`` rule as a function, for a URL held as a secret."""

WebUrl = Annotated[str, AfterValidator(_web_url)]
"""A URL the connector calls: https, or http to a loopback host."""
Host = Annotated[str, AfterValidator(_host)]
"""A Workday host, as a URL with no path: ``https://wd2-impl-services1.workday.com``."""
UrlOrFile = Annotated[str, AfterValidator(_url_or_file)]
"""A local file, or a URL held to the ``WebUrl`` rule."""
