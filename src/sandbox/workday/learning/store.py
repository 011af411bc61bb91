"""What the tenant's Workday Learning holds: imported contents and imported records, per tenant; thread-safe.

A Put is an upsert: by the reference when the request gives one, else by the data's ``ID``. Every item has a WID
(32 hex, a pure function of the seed, the tenant, the kind and the item's first ID, so stable from run to run)
and counts how many times it was put, so tests can check that nothing was sent twice.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

ItemKind = Literal["content", "record"]

# Inferred: the reference ID Workday generates when a Put gives no ID follows its "KIND-6-n" pattern.
_GENERATED_ID_PREFIX: dict[ItemKind, str] = {
    "content": "LEARNING_IMPORTED_CONTENT-6-",
    "record": "LEARNING_IMPORTED_RECORD-6-",
}


@dataclass(frozen=True, slots=True)
class StoredContent:
    wid: str
    id: str
    title: str
    description: str | None
    inactive: bool
    puts: int = 1


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """``learner_employee_id`` and ``content_id`` are the IDs of what the references resolved to."""

    wid: str
    id: str
    learner_employee_id: str
    learner_wid: str
    content_wid: str
    content_id: str
    start_date: date | None
    completion_date: date | None
    grade_id: str | None
    overall_score: Decimal | None
    inactive: bool
    puts: int = 1


class IdInUse(Exception):
    """A Put would give an item an ID another item of its kind already has."""


_T = TypeVar("_T", StoredContent, StoredRecord)


class _Table(Generic[_T]):
    """Items of one kind in the order they were created, by WID and by ID. Not locked: the store locks."""

    def __init__(self, kind: ItemKind, wid_for: Callable[[str], str]) -> None:
        self._kind = kind
        self._wid_for = wid_for
        self._by_wid: dict[str, _T] = {}
        self._wid_by_id: dict[str, str] = {}
        self._generated = 0

    def find(self, id_type: str, value: str) -> _T | None:
        if id_type == "WID":
            return self._by_wid.get(value.strip().lower())
        wid = self._wid_by_id.get(value)
        return None if wid is None else self._by_wid[wid]

    def items(self) -> list[_T]:
        return list(self._by_wid.values())

    def put(self, target_wid: str | None, item_id: str | None, build: Callable[[str, str, int], _T]) -> _T:
        """Updates the item ``target_wid`` (or the one with ``item_id``) or creates one; ``build(wid, id, puts)``
        makes the new version."""
        existing = self._by_wid.get(target_wid) if target_wid is not None else None
        if existing is None and item_id is not None:
            existing = self.find("ID", item_id)
        if existing is None:
            new_id = item_id if item_id is not None else self._generate_id()
            item = build(self._wid_for(new_id), new_id, 1)
        else:
            new_id = item_id if item_id is not None else existing.id
            holder = self._wid_by_id.get(new_id)
            if holder is not None and holder != existing.wid:
                raise IdInUse(new_id)
            del self._wid_by_id[existing.id]
            item = build(existing.wid, new_id, existing.puts + 1)
        self._by_wid[item.wid] = item
        self._wid_by_id[item.id] = item.wid
        return item

    def _generate_id(self) -> str:
        while True:
            self._generated += 1
            candidate = f"{_GENERATED_ID_PREFIX[self._kind]}{self._generated}"
            if candidate not in self._wid_by_id:
                return candidate


class LearningStore:
    """One tenant's imported contents and records."""

    def __init__(self, tenant: str, seed: int) -> None:
        self.tenant = tenant
        self._lock = threading.Lock()
        self._contents = _Table[StoredContent]("content", lambda item_id: _wid(seed, tenant, "content", item_id))
        self._records = _Table[StoredRecord]("record", lambda item_id: _wid(seed, tenant, "record", item_id))

    def find_content(self, id_type: str, value: str) -> StoredContent | None:
        with self._lock:
            return self._contents.find(id_type, value)

    def find_record(self, id_type: str, value: str) -> StoredRecord | None:
        with self._lock:
            return self._records.find(id_type, value)

    def contents(self) -> list[StoredContent]:
        """Every imported content, in the order they were first put."""
        with self._lock:
            return self._contents.items()

    def records(self) -> list[StoredRecord]:
        with self._lock:
            return self._records.items()

    def content(self, item_id: str) -> StoredContent | None:
        return self.find_content("Learning_Imported_Content_ID", item_id)

    def record(self, item_id: str) -> StoredRecord | None:
        return self.find_record("Learning_Imported_Record_ID", item_id)

    def put_counts(self, kind: ItemKind) -> dict[str, int]:
        """How many times each item was put, by its ID."""
        items: list[StoredContent] | list[StoredRecord] = self.contents() if kind == "content" else self.records()
        return {item.id: item.puts for item in items}

    def put_content(self, target_wid: str | None, item_id: str | None, content: StoredContent) -> StoredContent:
        """Stores ``content`` (its ``wid``, ``id`` and ``puts`` are replaced); raises ``IdInUse``."""
        with self._lock:
            return self._contents.put(target_wid, item_id, _rebuild(content))

    def put_record(self, target_wid: str | None, item_id: str | None, record: StoredRecord) -> StoredRecord:
        with self._lock:
            return self._records.put(target_wid, item_id, _rebuild(record))


class LearningTenants:
    """The stores of every tenant, created on first use."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._lock = threading.Lock()
        self._stores: dict[str, LearningStore] = {}

    def tenant(self, name: str) -> LearningStore:
        with self._lock:
            store = self._stores.get(name)
            if store is None:
                store = self._stores[name] = LearningStore(name, self._seed)
            return store


def _rebuild(item: _T) -> Callable[[str, str, int], _T]:
    def build(wid: str, item_id: str, puts: int) -> _T:
        return replace(item, wid=wid, id=item_id, puts=puts)

    return build


def _wid(seed: int, tenant: str, kind: ItemKind, item_id: str) -> str:
    return hashlib.blake2b(f"{seed}:{tenant}:{kind}:{item_id}".encode(), digest_size=16).hexdigest()
