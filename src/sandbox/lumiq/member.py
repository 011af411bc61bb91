"""A member as the provider's API serves it (see docs/lumiq-api.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

MemberStatus = Literal["invited", "active", "removed"]


@dataclass(frozen=True, slots=True)
class LumiqMember:
    id: str
    status: MemberStatus
    first_name: str
    last_name: str
    email: str | None
    workday_wid: str | None
    employee_id: str | None
    invited_at: datetime
    removed_at: datetime | None = None

    @property
    def has_seat(self) -> bool:
        return self.status != "removed"

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "status": self.status,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "workday_wid": self.workday_wid,
            "employee_id": self.employee_id,
            "invited_at": self.invited_at.isoformat(),
            "removed_at": None if self.removed_at is None else self.removed_at.isoformat(),
        }
