"""One write to the Learning API as a ``Result``, shared by every adapter that writes: Workday's refusals are
``DeliveryRefused`` values, and whether a caller may try again is decided here, once.

- a ``Validation_Fault`` is refused for good (``retryable`` false), with Workday's message(s) and first XPath;
- so is a request Workday judged without a fault (``SoapRequestRefused``: a 413, another 4xx), with its status;
- throttling, 5xx, timeouts, resets, ``Processing_Fault`` and ``Server`` faults are retried under ``retry``;
  when the retries run out, a refusal with ``retryable`` true;
- another ``Client`` fault is ``retryable`` but not retried at once: nothing says the item is invalid, yet
  sending it again straight away would get the same answer;
- refused credentials, a wrong endpoint and requests that cannot fit the tenant's WSDL are raised, since every
  write would fail the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from returns.result import Failure, Result, Success

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.errors import SoapRequestRefused, WorkdayFault, WorkdayGaveUp, WorkdayValidationFault
from adapters.workday.retries import call_with_retries
from domain.deliveries import DeliveryRefused

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


def write(
    what: str, send: Callable[[], _T], retry: RetryPolicy, sleep: Sleep, *, item_id: str | None = None
) -> Result[_T, DeliveryRefused]:
    """``send``'s result under ``retry``; a refusal names ``item_id`` (``what`` when not given)."""
    item = what if item_id is None else item_id
    try:
        return Success(call_with_retries(what, send, retry, sleep))
    except WorkdayValidationFault as fault:
        _log.info("Workday refused %s as invalid: %s", what, fault)
        return Failure(refused_as_invalid(item, fault))
    except SoapRequestRefused as refused:
        _log.info("Workday refused %s as sent: %s", what, refused)
        return Failure(DeliveryRefused(item, str(refused), retryable=False))
    except WorkdayGaveUp as gave_up:
        _log.warning("Workday did not take %s: %s", what, gave_up)
        return Failure(DeliveryRefused(item, str(gave_up), retryable=True))
    except WorkdayFault as fault:
        _log.warning("Workday answered %s with a fault: %s", what, fault)
        message = f"{fault} ({fault.code})" if fault.code else str(fault)
        return Failure(DeliveryRefused(item, message, retryable=True))


def refused_as_invalid(item_id: str, fault: WorkdayValidationFault) -> DeliveryRefused:
    """Workday's message(s), then detail messages not already said, and the first XPath at fault."""
    messages = fault.messages or (str(fault),)
    details = [e.detail_message for e in fault.errors if e.detail_message and e.detail_message not in messages]
    xpaths = fault.xpaths
    return DeliveryRefused(
        item_id, "; ".join((*messages, *details)), retryable=False, xpath=xpaths[0] if xpaths else None
    )
