"""One write to the Learning API as a ``Result``: Workday's refusals (a Validation_Fault, another Client fault,
retries that ran out) are ``Failure``\\ s with Workday's words; credentials refused and requests that cannot fit
the tenant's WSDL are raised, since every write would fail the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from returns.result import Failure, Result, Success

from adapters.workday.errors import WorkdayFault, WorkdayGaveUp, WorkdayValidationFault
from adapters.workday.soap_retries import RetryPolicy, Sleep, call_with_retries

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


def write(what: str, send: Callable[[], _T], retry: RetryPolicy, sleep: Sleep) -> Result[_T, str]:
    """``send``'s result under ``retry``; a refusal is a ``Failure`` whose message starts with ``what``."""
    try:
        return Success(call_with_retries(what, send, retry, sleep))
    except WorkdayValidationFault as fault:
        _log.info("Workday refused %s as invalid: %s", what, fault)
        return Failure(f"{what}: {refusal(fault)}")
    except WorkdayGaveUp as gave_up:
        _log.warning("Workday did not take %s: %s", what, gave_up)
        return Failure(f"{what}: {gave_up}")
    except WorkdayFault as fault:
        _log.warning("Workday answered %s with a fault: %s", what, fault)
        return Failure(f"{what}: {fault} ({fault.code})" if fault.code else f"{what}: {fault}")


def refusal(fault: WorkdayValidationFault) -> str:
    """Workday's message(s), then detail messages, then where: ``… (at /wd:…/wd:Topic_Reference[1])``."""
    messages = fault.messages or (str(fault),)
    details = [e.detail_message for e in fault.errors if e.detail_message and e.detail_message not in messages]
    text = "; ".join((*messages, *details))
    xpaths = fault.xpaths
    return f"{text} (at {xpaths[0]})" if xpaths else text
