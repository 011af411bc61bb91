"""The names every operation of a Workday SOAP service shares, declared for one operation: the ``wd:version``
attribute of its request, and for a Get operation its paging (``Response_Filter`` with the moment and page asked
for, ``Response_Results/Total_Pages``, the items in ``Response_Data``)."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.workday.soap.declaration import ElementName, Evidence, Need, OperationName, Side, Verdict
from adapters.workday.soap.names import (
    AS_OF_ENTRY_DATETIME,
    COUNT,
    PAGE,
    RESPONSE_DATA,
    RESPONSE_FILTER,
    RESPONSE_RESULTS,
    TOTAL_PAGES,
    VERSION_ATTRIBUTE,
)

PAGING_EVIDENCE = Evidence(Verdict.CONFIRMED, ("GO31", "HR26", "S5"))
VERSION_EVIDENCE = Evidence(Verdict.CONFIRMED, ("HR26", "S5", "GO31"))


def version_name(operation: OperationName, prefix: str) -> ElementName:
    """The ``wd:version`` attribute of ``operation``'s request element, keyed ``{prefix}.version``."""
    return ElementName(
        f"{prefix}.version",
        operation,
        None,
        (VERSION_ATTRIBUTE,),
        Need.REQUIRED,
        VERSION_EVIDENCE,
        "the version",
        attribute=True,
    )


@dataclass(frozen=True, slots=True)
class PagingNames:
    """The paging names of one Get operation; ``data`` is its ``Response_Data``, the parent of its items."""

    filter: ElementName
    as_of: ElementName
    page: ElementName
    count: ElementName
    results: ElementName
    total_pages: ElementName
    data: ElementName

    @property
    def names(self) -> tuple[ElementName, ...]:
        return (self.filter, self.as_of, self.page, self.count, self.results, self.total_pages, self.data)


def paging_names(operation: OperationName, prefix: str) -> PagingNames:
    """``operation``'s paging names, keyed ``{prefix}.paging.…``."""

    def element(key: str, parent: ElementName | None, name: str, side: Side = Side.REQUEST) -> ElementName:
        label = "the items read" if key == "data" else "paging"
        return ElementName(
            f"{prefix}.paging.{key}", operation, parent, (name,), Need.REQUIRED, PAGING_EVIDENCE, label, side
        )

    response_filter = element("filter", None, RESPONSE_FILTER)
    results = element("results", None, RESPONSE_RESULTS, Side.REPLY)
    return PagingNames(
        filter=response_filter,
        as_of=element("as_of", response_filter, AS_OF_ENTRY_DATETIME),
        page=element("page", response_filter, PAGE),
        count=element("count", response_filter, COUNT),
        results=results,
        total_pages=element("total_pages", results, TOTAL_PAGES, Side.REPLY),
        data=element("data", None, RESPONSE_DATA, Side.REPLY),
    )
