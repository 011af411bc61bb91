"""The guard against mass removal. A RaaS report that comes back truncated or empty looks exactly like
"everyone left"; no peer product checks for it. A plan that would remove too much is blocked, and is applied
only when an operator forces it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class RemovalPolicy:
    """``max_removal_share``: the largest share of current members one run may remove (default 10%).
    ``min_report_share``: a report with fewer rows than this share of current members may remove no one
    (default half). An empty report may never remove anyone."""

    max_removal_share: float = 0.10
    min_report_share: float = 0.50

    def __post_init__(self) -> None:
        for name in ("max_removal_share", "min_report_share"):
            share = getattr(self, name)
            if not 0.0 <= share <= 1.0:
                raise InvalidValue(name, f"{share} is not a share between 0 and 1")


@dataclass(frozen=True, slots=True)
class GuardVerdict:
    """Why a plan is blocked; an empty ``reasons`` means it may be applied."""

    reasons: tuple[str, ...] = ()

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)


def judge_removals(removals: int, current_members: int, report_rows: int, policy: RemovalPolicy) -> GuardVerdict:
    """Blocks a plan whose ``removals`` exceed ``policy`` for a membership of ``current_members`` and a
    report of ``report_rows`` rows (bad rows included: they show the report was not cut short)."""
    if removals == 0:
        return GuardVerdict()
    reasons: list[str] = []
    if report_rows == 0:
        reasons.append(f"the report is empty but {removals} members would be removed")
    elif report_rows < policy.min_report_share * current_members:
        reasons.append(
            f"the report has {report_rows} rows, fewer than {policy.min_report_share:.0%} of the "
            f"{current_members} current members: it may be truncated"
        )
    if removals > policy.max_removal_share * current_members:
        reasons.append(
            f"{removals} removals is more than {policy.max_removal_share:.0%} of the {current_members} current members"
        )
    return GuardVerdict(tuple(reasons))
