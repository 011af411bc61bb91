"""Paging of Get operations: ``Response_Filter`` in, ``Response_Filter`` and ``Response_Results`` out.

Verified (reference 1.8): Page defaults to 1, Count to 100 (1 to 999), "Page Number cannot be zero".
Inferred: the wording for a Count of zero; a page past the last is empty; ``As_Of_Effective_Date`` and
``As_Of_Entry_DateTime`` are echoed (filled with the sandbox's today and now when absent) but do not filter: the
sandbox keeps no history.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lxml import etree

from sandbox.workday.soap.envelopes import child, wd, workday_xpath
from sandbox.workday.soap.faults import ValidationError, validation_fault

DEFAULT_COUNT = 100
MAX_COUNT = 999
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    page: int
    count: int
    as_of_effective_date: str
    as_of_entry_datetime: str


def page_request(response_filter: etree._Element | None, now: datetime) -> PageRequest:
    """The page asked for; raises the validation fault of a zero page or count."""
    page = _number(response_filter, "Page", 1)
    count = _number(response_filter, "Count", DEFAULT_COUNT)
    if page == 0:
        assert response_filter is not None
        xpath = workday_xpath(_child(response_filter, "Page"))
        raise validation_fault(ValidationError("Page Number cannot be zero.", xpath))
    if not 1 <= count <= MAX_COUNT:
        assert response_filter is not None
        xpath = workday_xpath(_child(response_filter, "Count"))
        raise validation_fault(ValidationError(f"Count must be between 1 and {MAX_COUNT}.", xpath))
    effective = _text(response_filter, "As_Of_Effective_Date") or now.date().isoformat()
    entry = _text(response_filter, "As_Of_Entry_DateTime") or now.isoformat(timespec="milliseconds")
    return PageRequest(page, count, effective, entry)


def page_of(items: Sequence[_T], request: PageRequest) -> list[_T]:
    start = (request.page - 1) * request.count
    return list(items[start : start + request.count])


def add_paging(response: etree._Element, request: PageRequest, total: int, on_page: int) -> None:
    """Appends ``Response_Filter`` and ``Response_Results`` to a Get response (after ``Request_References``)."""
    response_filter = child(response, "Response_Filter")
    child(response_filter, "As_Of_Effective_Date", request.as_of_effective_date)
    child(response_filter, "As_Of_Entry_DateTime", request.as_of_entry_datetime)
    child(response_filter, "Page", str(request.page))
    child(response_filter, "Count", str(request.count))
    results = child(response, "Response_Results")
    child(results, "Total_Results", str(total))
    child(results, "Total_Pages", str(math.ceil(total / request.count)))
    child(results, "Page_Results", str(on_page))
    child(results, "Page", str(request.page))


def _child(parent: etree._Element, name: str) -> etree._Element:
    element = parent.find(wd(name))
    return parent if element is None else element


def _text(parent: etree._Element | None, name: str) -> str | None:
    element = None if parent is None else parent.find(wd(name))
    return None if element is None or not (element.text or "").strip() else (element.text or "").strip()


def _number(parent: etree._Element | None, name: str, default: int) -> int:
    text = _text(parent, name)
    if text is None:
        return default
    try:
        return int(Decimal(text))  # the schema allows no fraction digits
    except (InvalidOperation, ValueError):
        return default
