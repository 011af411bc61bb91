"""What will work on one tenant, found before any write (``wlc workday check``): the credentials (a token from the
OAuth refresh-token grant, or the ISU's password accepted by a read), the RaaS report (reachable, its columns the
configured ones, its first rows parsed), each SOAP service's WSDL (loaded, and one one-item read with the
credentials), and, from the resolution of the connector's declaration (``adapters.workday.contract``) against the
Learning and Talent WSDLs, each feature OK, degraded (what is left out) or unavailable (what is missing).

Read only. Nothing is sent to Workday but reads: the token request, the report's first rows (the stream is closed
after them) and its ``?xsds``, each ``?wsdl``, and one ``Get`` of one item per service. A refresh token Workday
rotates on the grant is kept in the ledger, as every command keeps it (a rotated-away token would be refused
next time); nothing else is written there.

Every failure is a finding on its line, never raised: a part that cannot be reached is ``cannot connect``, and
what depends on it says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any, Literal

import httpx

from adapters.retries import RetryPolicy
from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.contract import CONTRACT
from adapters.workday.errors import (
    ContractMismatch,
    RaasColumnsMismatch,
    RaasReportError,
    WorkdayAuthError,
    WorkdayError,
)
from adapters.workday.learning import contract as learning
from adapters.workday.raas.columns import COLUMN_SAMPLE_ROWS
from adapters.workday.raas.directory import RaasWorkerDirectory
from adapters.workday.retries import call_with_retries
from adapters.workday.soap.client import SoapClient
from adapters.workday.soap.declaration import Feature, IdTypeName, Need, OperationName, Service, uses
from adapters.workday.soap.names import COUNT, PAGE, RESPONSE_FILTER, VERSION_ATTRIBUTE, Request
from adapters.workday.soap.resolution import Availability, FeatureStatus, Gap, Resolution
from adapters.workday.talent import contract as talent
from domain.workers import REPORT_FIELDS, MalformedRow

AuthKind = Literal["oauth", "isu"]

PROBE_RETRY = RetryPolicy(attempts=3, max_total_wait=10.0)
"""A one-item read that meets throttling tries again, briefly: the check answers in seconds."""

_PROBES: dict[Service, tuple[OperationName, ...]] = {
    Service.LEARNING: (learning.GET_TOPICS, learning.GET_DIGITAL_COURSES, learning.GET_ENROLLMENTS),
    Service.TALENT: (talent.GET_SKILLS,),
}
"""The reads that show a service takes the credentials, the lightest first."""

_SHOWN_REJECTIONS = 3
_OPTIONAL_COLUMNS = ("email",)


class Outcome(StrEnum):
    """A line's verdict, from best to worst."""

    OK = "OK"
    DEGRADED = "degraded"
    UNAVAILABLE = "unavailable"
    CANNOT_CONNECT = "cannot connect"

    @property
    def rank(self) -> int:
        return list(Outcome).index(self)


@dataclass(frozen=True, slots=True)
class Finding:
    """A name the tenant's WSDL (or report) lacks: ``path`` where it was looked for, ``why`` in its terms, and
    ``what`` the connector loses with it."""

    path: str
    why: str
    what: str

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "why": self.why, "what": self.what}


@dataclass(frozen=True, slots=True)
class Renamed:
    """A name the tenant's WSDL has otherwise than the sourced one, which the connector uses there."""

    sourced: str
    tenant: str

    def __str__(self) -> str:
        return f"{self.sourced} as {self.tenant}"


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One line of the check: ``subject`` (``OAuth``, ``report``, ``Learning``, a feature), its outcome and what
    it found. ``refused``: the credentials were refused here."""

    kind: Literal["auth", "report", "service", "feature"]
    subject: str
    outcome: Outcome
    detail: str
    missing: tuple[Finding, ...] = ()
    left_out: tuple[Finding, ...] = ()
    renamed: tuple[Renamed, ...] = ()
    refused: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.subject,
            "result": self.outcome.value,
            "detail": self.detail,
            "missing": [f.as_json() for f in self.missing],
            "left_out": [f.as_json() for f in self.left_out],
            "renamed": [{"sourced": r.sourced, "tenant": r.tenant} for r in self.renamed],
        }


@dataclass(frozen=True, slots=True)
class GradeIds:
    """The grade IDs completions are sent with (per-tenant settings), and the ID types they go under here. A WSDL
    lists ID types, not the grades a tenant configured: these cannot be verified before a completion is sent."""

    passed: str
    failed: str
    id_types: tuple[tuple[str, str | None, str], ...]
    """(where, the ID type the tenant's WSDL takes there or None when it has none the connector knows, why none)."""

    def __str__(self) -> str:
        places = [
            f"{id_type} on {where}" if id_type else f"nothing on {where} ({why})"
            for where, id_type, why in self.id_types
        ]
        sent = f", sent as {_and(places)}" if places else ""
        return (
            f"Grade IDs: {self.passed} for a pass and {self.failed} for a fail (learning.grade_pass, "
            f"learning.grade_fail){sent}. A WSDL lists ID types, not a tenant's grades, so these cannot be checked "
            "before a completion is sent: Workday's Validation_Fault on the first one would name a grade the tenant "
            "lacks."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "pass": self.passed,
            "fail": self.failed,
            "id_types": {where: id_type for where, id_type, _ in self.id_types},
            "verified": False,
            "why": "a WSDL lists ID types, not the grades a tenant configured",
        }


@dataclass(frozen=True, slots=True)
class TenantCheck:
    """Every line of a tenant's check, in the order printed; ``outcome`` is the worst of them."""

    tenant: str
    lines: tuple[CheckLine, ...]
    grades: GradeIds

    @property
    def outcome(self) -> Outcome:
        return max((line.outcome for line in self.lines), key=lambda o: o.rank, default=Outcome.OK)

    def as_json(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "result": self.outcome.value,
            "checks": [line.as_json() for line in self.lines],
            "grades": self.grades.as_json(),
        }


@dataclass(frozen=True)
class TenantParts:
    """How to reach each part of one tenant, each made when the check comes to it. ``tokens`` is None when no
    setting uses OAuth, ``isu_user`` None when none uses the ISU; ``report_auth`` and ``soap_auth`` say which the
    report and the SOAP services (Learning and Talent) use."""

    tenant: str
    report: Callable[[], RaasWorkerDirectory]
    learning: Callable[[], SoapClient]
    talent: Callable[[], SoapClient]
    grade_pass: str
    grade_fail: str
    report_auth: AuthKind
    soap_auth: AuthKind
    tokens: Callable[[], RefreshTokenProvider] | None = None
    token_url: str = ""
    isu_user: str | None = None


def check_tenant(parts: TenantParts) -> TenantCheck:
    """Every check of ``parts``, in order: credentials, report, services, features. A part's failure is a finding,
    never raised (only a setting the container refuses is, as for every command)."""
    grant = _grant(parts.tokens(), parts.token_url) if parts.tokens is not None else None
    no_token = grant is not None and grant.outcome is not Outcome.OK
    if parts.report_auth == "oauth" and no_token:
        report = CheckLine("report", "report", Outcome.CANNOT_CONNECT, _UNCHECKED)
    else:
        report = _report(parts.report, f"[tenants.{parts.tenant}.raas.columns]")
    services: dict[Service, tuple[CheckLine, Resolution | None]] = {}
    for service, build in ((Service.LEARNING, parts.learning), (Service.TALENT, parts.talent)):
        if parts.soap_auth == "oauth" and no_token:
            services[service] = CheckLine("service", str(service), Outcome.CANNOT_CONNECT, _UNCHECKED), None
        else:
            services[service] = _service(service, build)
    credentials = [grant] if grant is not None else []
    if parts.isu_user is not None:
        used_by = [report] if parts.report_auth == "isu" else []
        used_by += [line for line, _ in services.values()] if parts.soap_auth == "isu" else []
        credentials.append(_isu(parts.isu_user, used_by))
    names = {service: resolution for service, (_, resolution) in services.items()}
    why_not = {service: line.detail for service, (line, resolution) in services.items() if resolution is None}
    features = tuple(_feature(feature, names, why_not) for feature in Feature)
    grades = GradeIds(parts.grade_pass, parts.grade_fail, _grade_id_types(names[Service.LEARNING]))
    lines = (*credentials, report, *(line for line, _ in services.values()), *features)
    return TenantCheck(parts.tenant, lines, grades)


_UNCHECKED = "not checked: no OAuth access token (above)"


def _grant(tokens: RefreshTokenProvider, token_url: str) -> CheckLine:
    try:
        tokens.access_token()
    except WorkdayAuthError as refused:
        return CheckLine("auth", "OAuth", Outcome.CANNOT_CONNECT, str(refused), refused=True)
    return CheckLine("auth", "OAuth", Outcome.OK, f"an access token from {token_url} (the refresh-token grant)")


def _isu(user: str, used_by: list[CheckLine]) -> CheckLine:
    refused = [line.subject for line in used_by if line.refused]
    accepted = [line.subject for line in used_by if line.outcome is not Outcome.CANNOT_CONNECT]
    if refused:
        return CheckLine("auth", "ISU", Outcome.CANNOT_CONNECT, f"{user} refused by {_and(refused)}", refused=True)
    if not accepted:
        return CheckLine("auth", "ISU", Outcome.CANNOT_CONNECT, f"{user} not checked: nothing that uses it answered")
    return CheckLine("auth", "ISU", Outcome.OK, f"{user} accepted by {_and(accepted)}")


def _report(make: Callable[[], RaasWorkerDirectory], setting: str) -> CheckLine:
    directory = make()
    rows = directory.entries()
    try:
        read = list(itertools.islice(rows, COLUMN_SAMPLE_ROWS))
    except RaasColumnsMismatch as mismatch:
        absent = [alias for alias in mismatch.expected if alias not in mismatch.found]
        findings = tuple(
            Finding(alias, "in none of the report's first rows", "a column every row needs") for alias in absent
        )
        return CheckLine("report", "report", Outcome.UNAVAILABLE, str(mismatch), missing=findings)
    except RaasReportError as failed:
        refused = _refused(failed)
        reached = not refused and not isinstance(failed.__cause__, httpx.ConnectError | httpx.ConnectTimeout)
        outcome = Outcome.UNAVAILABLE if reached else Outcome.CANNOT_CONNECT
        return CheckLine("report", "report", outcome, str(failed), refused=refused)
    finally:
        if isinstance(rows, Generator):
            rows.close()  # the rest of the report is not read
    columns, schema_note = _declared_columns(directory, setting)
    if columns.missing:
        return CheckLine("report", "report", Outcome.UNAVAILABLE, columns.why, missing=columns.missing)
    rejected = [entry for entry in read if isinstance(entry, MalformedRow)]
    parsed = len(read) - len(rejected)
    first = f"its first {len(read)} rows" if len(read) == COLUMN_SAMPLE_ROWS else f"its {len(read)} rows"
    shown = "; ".join(str(row) for row in rejected[:_SHOWN_REJECTIONS])
    more = f" and {len(rejected) - _SHOWN_REJECTIONS} more" if len(rejected) > _SHOWN_REJECTIONS else ""
    read_so = f"{first} read: {parsed} parse" + (f", {len(rejected)} rejected ({shown}{more})" if rejected else "")
    detail = f"{columns.found}; {read_so}{schema_note}"
    if not read:
        return CheckLine("report", "report", Outcome.DEGRADED, f"{columns.found}; the report has no rows{schema_note}")
    if not parsed:
        return CheckLine("report", "report", Outcome.UNAVAILABLE, f"none of {first} parse: {shown}{more}")
    return CheckLine("report", "report", Outcome.OK, detail)


@dataclass(frozen=True, slots=True)
class _Columns:
    found: str
    why: str = ""
    missing: tuple[Finding, ...] = ()


def _declared_columns(directory: RaasWorkerDirectory, setting: str) -> tuple[_Columns, str]:
    """The configured columns the report's XSD (``?xsds``) lacks: the rows show the columns every valid row
    fills, the XSD also those a row may leave empty (``termination_date``). A report whose XSD cannot be read is
    judged by its rows alone, and the check says so."""
    aliases = directory.columns.aliases
    try:
        absent = set(directory.missing_columns())
    except RaasReportError as failed:
        return _Columns("the columns every row needs are there"), (
            f" (its XSD could not be read, so columns a row may leave empty were not checked: {failed})"
        )
    needed = [f for f in REPORT_FIELDS if f not in _OPTIONAL_COLUMNS and aliases[f] in absent]
    optional = [aliases[f] for f in _OPTIONAL_COLUMNS if aliases[f] in absent]
    present = [aliases[f] for f in REPORT_FIELDS if aliases[f] not in absent]
    found = f"the columns {', '.join(present)} are there" + (
        f" ({_and(optional)}, optional, is not)" if optional else ""
    )
    if not needed:
        return _Columns(found), ""
    why = (
        f"the report's XSD declares no column {_and([aliases[f] for f in needed])}: if the report names it "
        f"otherwise, map it under {setting}"
    )
    missing = tuple(Finding(aliases[f], "not declared in the report's XSD (?xsds)", f) for f in needed)
    return _Columns(found, why, missing), ""


def _refused(failed: RaasReportError) -> bool:
    return isinstance(failed.__cause__, WorkdayAuthError) or failed.status_code == httpx.codes.UNAUTHORIZED


def _service(service: Service, build: Callable[[], SoapClient]) -> tuple[CheckLine, Resolution | None]:
    subject = str(service)
    try:
        client = build()
    except WorkdayAuthError as refused:
        return CheckLine("service", subject, Outcome.CANNOT_CONNECT, str(refused), refused=True), None
    except WorkdayError as failed:  # WsdlUnavailable above all
        return CheckLine("service", subject, Outcome.CANNOT_CONNECT, str(failed)), None
    names = client.names
    probe = next((op for op in _PROBES[service] if names.found(op) is not None), None)
    loaded = f"{names.where} loaded"
    if probe is None:
        detail = f"{loaded}; the credentials were not tried: it has none of {_and([p.path for p in _PROBES[service]])}"
        return CheckLine("service", subject, Outcome.OK, detail), names
    request: Request = {VERSION_ATTRIBUTE: client.version, RESPONSE_FILTER: {PAGE: 1, COUNT: 1}}
    try:
        call_with_retries(f"{probe.path} (check)", partial(client.call, probe, request), PROBE_RETRY)
    except WorkdayAuthError as refused:
        return CheckLine("service", subject, Outcome.CANNOT_CONNECT, f"{loaded}; {refused}", refused=True), names
    except ContractMismatch as mismatch:
        return CheckLine("service", subject, Outcome.OK, f"{loaded}; the credentials were not tried: {mismatch}"), names
    except WorkdayError as failed:  # WorkdayGaveUp, WorkdayUnavailable, SoapRequestFailed, a fault
        return CheckLine("service", subject, Outcome.CANNOT_CONNECT, f"{loaded}; {probe.path}: {failed}"), names
    return CheckLine("service", subject, Outcome.OK, f"{loaded}; the credentials read one item ({probe.path})"), names


def _feature(feature: Feature, names: dict[Service, Resolution | None], why_not: dict[Service, str]) -> CheckLine:
    status = FeatureStatus(feature)
    renamed: list[Renamed] = []
    for service, resolution in names.items():
        if resolution is None:
            status = status + _not_loaded(feature, service, why_not[service])
        else:
            status = status + resolution.status(feature)
            renamed += _renamed(resolution, feature)
    availability = status.availability
    outcome = {
        Availability.OK: Outcome.OK,
        Availability.DEGRADED: Outcome.DEGRADED,
        Availability.UNAVAILABLE: Outcome.UNAVAILABLE,
    }[availability]
    if availability is Availability.OK:
        used = len(CONTRACT.used_by(feature))
        detail = f"all {used} names it sends or reads are in the tenant's WSDL" + (
            f", under the tenant's names: {'; '.join(map(str, renamed))}" if renamed else ""
        )
    else:
        detail = status.describe().removeprefix(f"{availability}: ")
    return CheckLine(
        "feature",
        str(feature),
        outcome,
        detail,
        missing=_findings(status.missing),
        left_out=_findings(status.left_out),
        renamed=tuple(renamed),
    )


def _not_loaded(feature: Feature, service: Service, why: str) -> FeatureStatus:
    """What ``feature`` loses when ``service``'s WSDL could not be had: every operation of it the feature uses."""
    missing: list[Gap] = []
    left_out: list[Gap] = []
    for name in CONTRACT.of_service(service):
        need = uses(name, feature)
        if isinstance(name, OperationName) and need is not None:
            gap = Gap(name, name.label, f"the {service} service could not be used: {why}", fails_items=True)
            (missing if need is Need.REQUIRED else left_out).append(gap)
    return FeatureStatus(feature, tuple(missing), tuple(left_out))


def _renamed(names: Resolution, feature: Feature) -> list[Renamed]:
    found: list[Renamed] = []
    for resolved in names:
        if resolved.found is None or uses(resolved.name, feature) is None:
            continue
        declared = resolved.name
        if resolved.found != declared.candidates[0]:
            found.append(Renamed(declared.candidates[0], resolved.found))
        if isinstance(declared, OperationName):
            request = names.request_element(declared)
            if request is not None and request != f"{declared.candidates[0]}_Request":
                found.append(Renamed(f"{declared.candidates[0]}_Request", request))
    return found


def _findings(gaps: Iterable[Gap]) -> tuple[Finding, ...]:
    return tuple(dict.fromkeys(Finding(gap.name.path, gap.why, gap.label) for gap in gaps))


def _grade_id_types(names: Resolution | None) -> tuple[tuple[str, str | None, str], ...]:
    if names is None:
        return ()
    where: tuple[tuple[str, IdTypeName], ...] = (
        ("imported records", learning.RECORD_GRADE_ID_TYPE),
        ("enrollments", learning.ENROLLMENT_GRADE_ID_TYPE),
    )
    return tuple((place, names.found(id_type), names.resolved(id_type).why) for place, id_type in where)


def _and(items: list[str]) -> str:
    return items[0] if len(items) < 2 else f"{', '.join(items[:-1])} and {items[-1]}"
