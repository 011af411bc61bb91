"""A tenant's request budget as the Workday clients use it (``RequestBudget``), the ``httpx`` transport that takes
a slot of it for every request (shared by the SOAP and REST adapters), and ``TenantRateLimiter``, a budget kept in
one process: at most ``rate`` requests start in any one-second window, shared by threads, and optionally spread
evenly over it. The budget shared by every process is ``adapters.budget``; it keeps this module's window, margin
and even spreading."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import httpx

_log = logging.getLogger(__name__)

DEFAULT_RATE = 5.0
"""Requests per second; Workday's Learning API has been seen to throttle at 5 to 10 [S7 in the reference]."""

WINDOW = 1.0
DEFAULT_MARGIN = 0.03
"""Seconds added to the window on our side. The limit is on when requests *reach* Workday, and requests that
left evenly can arrive bunched (a slower connection, a busy server): without a margin a window at Workday's end
can hold one request more than the limit. The margin is a time, since the bunching it absorbs is: 30 ms covers
the jitter of a connection that is already open and leaves 97% of the budget (at 50 ms, 95.2% was the most a
backlog could use). A 429 that still comes is retried after its Retry-After, so a wider jitter costs time, not
data."""
RETAKES = 3
"""How many times in a row a request held up past its slot takes a new one before it is sent all the same (a 429, if
one comes, is retried after its Retry-After)."""
_TOLERANCE = 1e-9
"""Seconds by which a clock read may fall short of a slot's freeing time and still take it."""


class Reservation(Protocol):
    """A slot taken for one request, asked about as the request goes out (``RateLimitedTransport``)."""

    def missed(self) -> bool:
        """Asked right before the request's first byte is written: whether it has been held up (the interpreter or
        the machine busy) so long past its slot that Workday could see it too close to the limit's worth that came
        before it. A missed slot's request is not sent in it."""
        ...

    def sent(self) -> None:
        """Told once the request has been written. A request written later than its slot allows (held up after
        ``missed`` was asked) counts, for Workday, in a later slot: the budget moves the slots after it back as
        far, so that the limit's worth after it still keeps a window's distance from it. Then as ``done``. Never
        raises."""
        ...

    def done(self) -> None:
        """Told when the slot is done with, whatever became of its request (written, missed, failed); telling it
        again does nothing. A budget may hold its next caller until then."""
        ...


class RequestBudget(Protocol):
    """What a tenant's Workday clients take a slot of before each request."""

    def acquire(self) -> float:
        """Blocks until a request may start, and takes that slot; returns the start time on the budget's clock.
        May raise an ``httpx.TransportError`` when the budget cannot be had, which the clients treat as a network
        failure."""
        ...

    def reserve(self) -> Reservation:
        """As ``acquire``, but returns the slot as a ``Reservation``, to be asked about as the request goes out."""
        ...


class _Kept(Reservation):
    """The slot of a budget kept in one process: never missed, and nothing to tell once sent."""

    def missed(self) -> bool:
        return False

    def sent(self) -> None:
        pass

    def done(self) -> None:
        pass


KEPT: Reservation = _Kept()


class TenantRateLimiter(RequestBudget):
    """Blocks callers until a request may start, so that in every window ``[t, t + 1 s + margin)`` at most
    ``floor(rate)`` requests start; starts are whole, so a fractional ``rate`` is rounded down.

    A sliding-window log: the start times of the last ``floor(rate)`` requests (with a full log, the oldest
    leaves as a new one is appended). A request may start once the
    oldest of them is a full second old, and starts at that moment, so a saturated limiter starts exactly
    ``floor(rate)`` requests a second and a burst after a quiet second starts at once. Thread-safe; which of
    several waiting threads goes first is not defined. ``clock`` and ``sleep`` are injectable for tests.

    With ``spread``, starts are also at least ``(1 s + margin) / floor(rate)`` apart: the same requests a second
    once saturated, but as an even stream rather than a burst at the top of each second. Their answers then come
    back one at a time too, instead of a second's worth at once each parsed and written to the ledger while the
    process's other work (the API answering requests) waits its turn for the interpreter.
    """

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        *,
        margin: float = DEFAULT_MARGIN,
        spread: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not rate >= 1:
            raise ValueError(f"rate must be at least 1 request per second, not {rate}")
        if not 0 <= margin < WINDOW:
            raise ValueError(f"margin must be between 0 and {WINDOW} s, not {margin}")
        self.capacity = math.floor(rate)
        self.window = WINDOW + margin
        self.gap = self.window / self.capacity if spread else 0.0
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque(maxlen=self.capacity)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(capacity={self.capacity} per {self.window:g} s)"

    def reserve(self) -> Reservation:
        """A slot of a budget kept in one process is never missed: the process holds its own log."""
        self.acquire()
        return KEPT

    def acquire(self) -> float:
        """Waits for a free slot and takes it; returns the time (on ``clock``) at which the request starts."""
        while True:
            with self._lock:
                now = self._clock()
                latest = self._starts[-1] if self._starts else now
                frees_at = latest + self.gap if self._starts else now
                if len(self._starts) == self.capacity:
                    frees_at = max(frees_at, self._starts[0] + self.window)
                if now >= frees_at - _TOLERANCE:
                    # Recorded as no earlier than the moment the slot freed: float rounding in a clock read
                    # just after a sleep must not make the log show two starts less than a window apart.
                    return self._start(max(now, frees_at, latest))
                wait = frees_at - now
            # Sleep outside the lock, so other threads can see the slot free up at the same moment.
            self._sleep(wait)

    def _start(self, at: float) -> float:
        self._starts.append(at)
        return at


class SlotMissed(Exception):
    """Raised as a request's headers are about to be written, when its slot was missed: nothing was sent."""


class RateLimitedTransport(httpx.BaseTransport):
    """An httpx transport that takes a slot of ``limiter`` before each request it sends, so retries and
    re-sends after a 401 count against the tenant's budget as much as first attempts.

    Whether the slot was missed is asked at the last moment, as the request's headers are about to be written to
    the connection (httpcore's ``trace`` extension): after the budget, this process's threads and the machine can
    still hold a request up. A missed slot's request is not sent: it takes a new slot, up to ``RETAKES`` times, and
    the connection it would have gone on is closed, since httpcore closes one whose request failed before it was
    written. Once the request's body is written, the reservation is told (``Reservation.sent``), so that a request
    held up between the two moves the tenant's later slots back. A transport that writes no connection
    (``httpx.MockTransport``) never asks nor tells."""

    def __init__(self, inner: httpx.BaseTransport, limiter: RequestBudget) -> None:
        self._inner = inner
        self._limiter = limiter

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        traced = request.extensions.get("trace")
        for _ in range(RETAKES):
            reservation = self._limiter.reserve()
            if reservation is KEPT:
                return self._inner.handle_request(request)
            request.extensions = {**request.extensions, "trace": _reporting(reservation, traced)}
            try:
                return self._inner.handle_request(request)
            except SlotMissed:
                _log.debug("a request held up past its slot as it was about to be written; another slot taken")
            finally:
                reservation.done()
        self._limiter.acquire()  # retakes spent: this slot's request is sent however late
        request.extensions = {**request.extensions, "trace": traced}
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


_HEADERS_ABOUT_TO_BE_WRITTEN = frozenset({"http11.send_request_headers.started", "http2.send_request_headers.started"})
_WRITTEN = frozenset({"http11.send_request_body.complete", "http2.send_request_body.complete"})


def _reporting(reservation: Reservation, traced: Any) -> Callable[[str, dict[str, Any]], None]:
    """httpcore's trace callback raising ``SlotMissed`` before the headers are written if the slot was missed, and
    telling the reservation once the request is written; ``traced``, a trace callback already on the request, is
    still called."""

    def trace(event: str, info: dict[str, Any]) -> None:
        if event in _HEADERS_ABOUT_TO_BE_WRITTEN and reservation.missed():
            raise SlotMissed
        if event in _WRITTEN:
            reservation.sent()
        if traced is not None:
            traced(event, info)

    return trace
