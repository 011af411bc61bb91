"""Members as the provider (LumiQ) holds them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidValue
from domain.workers import normalise_wid


class MemberStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Member:
    """A provider member. ``wid`` and ``employee_id`` tie it to a Workday worker; a member added by hand on
    the provider's side may carry neither, and is then never touched by membership sync."""

    id: str
    status: MemberStatus
    first_name: str
    last_name: str
    wid: str | None = None
    employee_id: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidValue("id", "is blank")
        if self.wid is not None:
            object.__setattr__(self, "wid", normalise_wid(self.wid))
        if self.employee_id is not None and not self.employee_id.strip():
            object.__setattr__(self, "employee_id", None)

    @property
    def has_access(self) -> bool:
        """Invited and active members hold a seat; removed ones do not."""
        return self.status is not MemberStatus.REMOVED

    @property
    def is_synced(self) -> bool:
        """Whether membership sync manages this member: only members tied to a Workday worker."""
        return self.wid is not None or self.employee_id is not None
