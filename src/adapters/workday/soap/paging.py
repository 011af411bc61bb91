"""Reading every page of a Get operation (reference 1.8): page 1 with ``Count`` 999 and a fixed
``As_Of_Entry_DateTime``, then pages 2 to ``Response_Results/Total_Pages`` with the same moment, so the
result set does not shift between pages. Each page is one request, retried under the caller's policy."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.retries import call_with_retries
from adapters.workday.soap.client import SoapClient
from adapters.workday.soap.names import (
    AS_OF_ENTRY_DATETIME,
    COUNT,
    MAX_COUNT,
    PAGE,
    RESPONSE_DATA,
    RESPONSE_FILTER,
    RESPONSE_RESULTS,
    TOTAL_PAGES,
    Request,
)


def all_items(
    client: SoapClient,
    operation: str,
    request: Request,
    item: str,
    *,
    retry: RetryPolicy,
    sleep: Sleep = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Iterator[dict[str, Any]]:
    """Every ``Response_Data/{item}`` of ``operation``, page by page. Raises the client's errors
    (``WorkdayGaveUp`` when a page's retries run out)."""
    as_of = now()
    page = 1
    while True:
        paged = {**request, RESPONSE_FILTER: {AS_OF_ENTRY_DATETIME: as_of, PAGE: page, COUNT: MAX_COUNT}}
        reply = call_with_retries(f"{operation} page {page}", partial(client.call, operation, paged), retry, sleep)
        yield from _items(reply.get(RESPONSE_DATA), item)
        if page >= _total_pages(reply.get(RESPONSE_RESULTS)):
            return
        page += 1


def _items(data: object, item: str) -> Iterator[dict[str, Any]]:
    blocks = data if isinstance(data, list) else [data]
    for block in blocks:
        found = block.get(item) if isinstance(block, dict) else None
        for entry in found if isinstance(found, list) else [found]:
            if isinstance(entry, dict):
                yield entry


def _total_pages(results: object) -> int:
    value = results.get(TOTAL_PAGES) if isinstance(results, dict) else None
    try:
        return int(Decimal(str(value))) if value is not None else 1
    except InvalidOperation:
        return 1
