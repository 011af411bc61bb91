"""The one ``Retry-After`` parser every adapter uses (Workday's SOAP and REST, LumiQ): delay-seconds, or an
HTTP-date in any of the three forms RFC 9110 makes recipients accept, read as a wait from now."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tenacity import retry_if_exception_type

from adapters.budget.lease import under_lease
from adapters.retries import RetryPolicy, call_with_retries, retry_after

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# email.utils reads a two-digit year as 1969..2068, so the RFC 850 form is only unambiguous in that span.
moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2068, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=UTC)
)


def imf_fixdate(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def rfc850_date(moment: datetime) -> str:
    month = _MONTHS[moment.month - 1]
    return f"{_DAYS[moment.weekday()]}, {moment.day:02d}-{month}-{moment.year % 100:02d} {moment:%H:%M:%S} GMT"


def asctime_date(moment: datetime) -> str:
    month = _MONTHS[moment.month - 1]
    return f"{_DAYS[moment.weekday()][:3]} {month} {moment.day:>2} {moment:%H:%M:%S} {moment.year}"


@given(seconds=st.integers(min_value=0, max_value=10**6) | st.floats(min_value=0, max_value=1e6))
def test_delay_seconds_are_the_wait(seconds: float) -> None:
    assert retry_after(f" {seconds} ") == float(seconds)


@given(seconds=st.integers(min_value=1, max_value=10**6) | st.floats(min_value=1e-3, max_value=1e6))
def test_negative_delay_seconds_leave_the_wait_to_the_backoff(seconds: float) -> None:
    assert retry_after(f"-{seconds}") is None


@pytest.mark.parametrize("form", [imf_fixdate, rfc850_date, asctime_date])
@given(when=moments, now=moments)
def test_an_http_date_in_any_of_its_three_forms_is_the_wait_until_then(
    form: Callable[[datetime], str], when: datetime, now: datetime
) -> None:
    expected = max((when - now).total_seconds(), 0.0)

    assert retry_after(form(when), now=now) == expected


@given(ahead=st.integers(min_value=0, max_value=10**6))
def test_a_date_in_the_past_means_retry_now(ahead: int) -> None:
    now = datetime(2026, 10, 21, 7, 28, tzinfo=UTC)

    assert retry_after(imf_fixdate(now - timedelta(seconds=ahead)), now=now) == 0.0


@given(garbage=st.text(alphabet="xyzq!?#@ -_/", max_size=30) | st.sampled_from(["soon", "tomorrow", "", "1.2.3"]))
def test_what_is_neither_seconds_nor_a_date_leaves_the_wait_to_the_backoff(garbage: str) -> None:
    assert retry_after(garbage) is None


def test_no_header_leaves_the_wait_to_the_backoff() -> None:
    assert retry_after(None) is None


class _Passing(Exception):
    """A failure the policy lets pass."""


def _attempts_made(held: bool | None) -> int:
    """How many times a call that always fails with a passing error is made, in a session whose lease is ``held``
    (outside any session for None)."""
    made = 0

    def call() -> None:
        nonlocal made
        made += 1
        raise _Passing

    def attempt() -> None:
        call_with_retries(
            call,
            RetryPolicy(attempts=4),
            retry=retry_if_exception_type(_Passing),
            asked_wait=lambda _: None,
            gave_up=lambda attempts, _: RuntimeError(f"gave up after {attempts}"),
            sleep=lambda _: None,
            before_sleep=lambda _: None,
        )

    with under_lease(lambda: held) if held is not None else contextlib.nullcontext(), pytest.raises(RuntimeError):
        attempt()
    return made


def test_a_failure_is_tried_again_while_the_lease_is_held_or_outside_a_session() -> None:
    assert _attempts_made(held=True) == 4
    assert _attempts_made(held=None) == 4


def test_a_session_whose_worker_lost_its_lease_tries_nothing_again() -> None:
    assert _attempts_made(held=False) == 1  # every retry would be refused before it is sent: the next run sends it
