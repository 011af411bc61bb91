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
from adapters.workday.soap.declaration import OperationName
from adapters.workday.soap.names import (
    AS_OF_ENTRY_DATETIME,
    COUNT,
    MAX_COUNT,
    PAGE,
    RESPONSE_DATA,
    RESPONSE_FILTER,
    RESPONSE_GROUP,
    RESPONSE_RESULTS,
    TOTAL_PAGES,
    Request,
)


def all_items(
    client: SoapClient,
    operation: OperationName,
    request: Request,
    item: str,
    *,
    retry: RetryPolicy,
    sleep: Sleep = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    declared_only: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every ``Response_Data/{item}`` of ``operation``, page by page. With ``declared_only``, each item holds
    the elements the connector declares for the reply and no others (``SoapClient.read``, without zeep's object
    layer where the tenant's WSDL allows): for the reads that take nothing else. Raises the client's errors
    (``WorkdayGaveUp`` when a page's retries run out)."""
    as_of = now()
    page = 1
    send = client.read if declared_only else client.call
    while True:
        paged = _paged(request, {AS_OF_ENTRY_DATETIME: as_of, PAGE: page, COUNT: MAX_COUNT})
        what = f"{operation.path} page {page}"
        reply = call_with_retries(what, partial(send, operation, paged), retry, sleep)
        yield from page_items(reply, item)
        if page >= total_pages(reply):
            return
        page += 1


def _paged(request: Request, response_filter: Request) -> Request:
    """``request`` with ``Response_Filter`` where a Get request holds it: after ``Request_References`` or
    ``Request_Criteria``, before ``Response_Group`` [GO31, evidence 2.2 to 2.4], the order the declaration lists and
    an envelope written without zeep keeps (zeep puts every element in the WSDL's order)."""
    paged = {key: value for key, value in request.items() if key != RESPONSE_GROUP}
    paged[RESPONSE_FILTER] = response_filter
    if RESPONSE_GROUP in request:
        paged[RESPONSE_GROUP] = request[RESPONSE_GROUP]
    return paged


def page_items(reply: dict[str, Any], item: str) -> Iterator[dict[str, Any]]:
    """Every ``Response_Data/{item}`` of one page's reply."""
    data = reply.get(RESPONSE_DATA)
    blocks = data if isinstance(data, list) else [data]
    for block in blocks:
        found = block.get(item) if isinstance(block, dict) else None
        for entry in found if isinstance(found, list) else [found]:
            if isinstance(entry, dict):
                yield entry


def total_pages(reply: dict[str, Any]) -> int:
    """The pages the reply's ``Response_Results/Total_Pages`` says there are; 1 when it does not say."""
    results = reply.get(RESPONSE_RESULTS)
    value = results.get(TOTAL_PAGES) if isinstance(results, dict) else None
    try:
        return int(Decimal(str(value))) if value is not None else 1
    except InvalidOperation:
        return 1
