"""The sandbox's settings: the tenant it plays, its credentials, its population and its faults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from domain.workers import REPORT_FIELDS
from sandbox.faults import Faults
from sandbox.workday.wsdl_variants import SOURCED, variant_named

_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """Everything but ``faults`` is fixed for the server's life; ``faults`` is changed while it runs.

    ``column_aliases`` renames report columns (canonical name -> XML alias); a column not named keeps its
    canonical name, the seed's alias. ``include_email`` drops the optional email column when false.
    ``xml_references`` renders the ``wid`` column of Workday XML as a business-object reference.
    ``today`` is the population's today: terminations are past or future relative to it. ``seed_lumiq`` fills
    the provider's store with the population's initial members (turn it off to serve a huge report quickly).
    ``timezone`` is the tenant's zone (the completions feed puts some completions near its midnight).
    ``soap_rate_limit`` is the most SOAP requests accepted per tenant in any one-second window (None: no limit).
    ``completions`` is how many completions the provider's feed starts with. ``media_file_wid`` is the WID of
    the tenant's one media file (the PDF of the "Media File Completion Blocker", seed 001): the only media a
    course lesson may name. ``soap_max_request_bytes`` is the largest SOAP request body the Learning service
    takes; a larger one is answered 413 (Inferred: Workday publishes no limit, nor how it refuses one).
    ``wsdl_variant`` names the tenant's WSDL among ``sandbox.workday.wsdl_variants.VARIANTS``: the sourced contract
    (``sourced``) or one that differs from it. ``also_serves`` names more Workday tenants the sandbox plays beside
    ``tenant`` (their Learning, OAuth and SOAP endpoints, each with a store and a rate limit of its own, the same
    credentials): one sandbox for a fleet of customers."""

    tenant: str = "acme"
    report_owner: str = "lmsintegration"
    report_name: str = "LumiQ_Workers"
    workers: int = 5000
    seed: int = 7
    today: date = date(2026, 11, 23)
    client_id: str = "wlc-sandbox-client"
    client_secret: str = "wlc-sandbox-client-secret"  # noqa: S105 - a sandbox credential, no secret
    refresh_token: str = "wlc-sandbox-refresh-token"  # noqa: S105
    access_token_ttl: int = 3600
    rotate_refresh_tokens: bool = False
    isu_username: str = "ISU_LumiQ"
    isu_password: str = "wlc-sandbox-isu-password"  # noqa: S105
    lumiq_api_key: str = "lumiq-sandbox-key"
    column_aliases: Mapping[str, str] = field(default_factory=dict)
    include_email: bool = True
    xml_references: bool = False
    rows_per_chunk: int = 250
    seed_lumiq: bool = True
    timezone: str = "America/Los_Angeles"
    soap_rate_limit: int | None = 10
    completions: int = 2000
    media_file_wid: str = "5f1c0de4a7b24c3e9d6a0b1c2d3e4f50"
    soap_max_request_bytes: int = 16 * 1024 * 1024
    wsdl_variant: str = SOURCED.name
    also_serves: tuple[str, ...] = ()
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError("workers must not be negative")
        if self.access_token_ttl <= 0 or self.rows_per_chunk <= 0:
            raise ValueError("access_token_ttl and rows_per_chunk must be positive")
        if self.soap_rate_limit is not None and self.soap_rate_limit <= 0:
            raise ValueError("soap_rate_limit must be positive (or None for no limit)")
        if not re.fullmatch(r"[0-9a-fA-F]{32}", self.media_file_wid):
            raise ValueError("media_file_wid must be a WID (32 hex digits)")
        if self.completions < 0:
            raise ValueError("completions must not be negative")
        if self.soap_max_request_bytes <= 0:
            raise ValueError("soap_max_request_bytes must be positive")
        variant_named(self.wsdl_variant)
        for canonical, alias in self.column_aliases.items():
            if canonical not in REPORT_FIELDS:
                raise ValueError(f"column_aliases: {canonical!r} is not one of {REPORT_FIELDS}")
            if not _XML_NAME.fullmatch(alias):
                raise ValueError(f"column_aliases: {alias!r} is not an XML name")
        object.__setattr__(self, "column_aliases", MappingProxyType(dict(self.column_aliases)))

    def serves(self, tenant: str) -> bool:
        return tenant == self.tenant or tenant in self.also_serves

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """The report's columns in order, as (canonical name, alias)."""
        names = REPORT_FIELDS if self.include_email else tuple(f for f in REPORT_FIELDS if f != "email")
        return tuple((name, self.column_aliases.get(name, name)) for name in names)
