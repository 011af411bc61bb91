"""Test data for transcript sync."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from domain.transcripts import ProviderCompletion

_serial = itertools.count(1)
NOON_UTC = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def a_completion(**changes: Any) -> ProviderCompletion:
    n = next(_serial)
    fields: dict[str, Any] = {
        "completion_id": f"cmp_{n:05d}",
        "learner_employee_id": f"E{n % 7}",
        "course_id": f"ep_{n % 3}",
        "title": f"Episode {n % 3}",
        "description": "A podcast episode.",
        "field_of_study": "Accounting",
        "credits": Decimal("1.5"),
        "completed_at": NOON_UTC,
        "passed": True,
        "revoked": False,
    }
    fields.update(changes)
    return ProviderCompletion(**fields)


_offsets = st.integers(min_value=-12, max_value=14).map(lambda h: timedelta(hours=h))
_moments = st.builds(
    lambda minutes, offset: (NOON_UTC + timedelta(minutes=minutes)).astimezone(timezone(offset)),
    st.integers(min_value=-60 * 24 * 30, max_value=60 * 24 * 30),
    _offsets,
)


@st.composite
def completions(draw: st.DrawFn) -> ProviderCompletion:
    course = draw(st.integers(min_value=1, max_value=4))
    return ProviderCompletion(
        completion_id=f"cmp_{draw(st.integers(min_value=1, max_value=30))}",
        learner_employee_id=draw(st.one_of(st.none(), st.sampled_from(["E1", "E2", "E3", "E4"]))),
        course_id=f"ep_{course}",
        title=draw(st.sampled_from([f"Episode {course}", f"Episode {course} (revised)"])),
        description="About things.",
        field_of_study=draw(st.sampled_from(["Ethics", "Tax"])),
        credits=Decimal(draw(st.sampled_from(["0.5", "1", "1.5"]))),
        completed_at=draw(_moments),
        passed=draw(st.booleans()) or draw(st.booleans()),
        revoked=draw(st.integers(min_value=0, max_value=5)) == 0,
    )


feeds = st.lists(completions(), max_size=40)
