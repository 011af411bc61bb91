"""The EIB workbook: the imported content and imported records of a transcript plan, one sheet each."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from adapters.eib.cells import write_row
from adapters.eib.errors import EibWriteError
from adapters.eib.sheets import (
    CONTENT_COLUMNS,
    CONTENT_SHEET,
    RECORD_COLUMNS,
    RECORD_SHEET,
    CellValue,
    content_row,
    record_row,
)
from domain.transcripts import ImportedContent, ImportedRecord


def write_eib_workbook(
    path: str | os.PathLike[str], contents: Sequence[ImportedContent], records: Sequence[ImportedRecord]
) -> None:
    """Writes the workbook to ``path``: the sheet "Put Learning Imported Content" then "Put Learning Imported
    Record", each with the seed's columns as its first row and one row per item, in the order given. The file
    appears whole or not at all (it is written beside ``path`` and renamed); raises ``EibWriteError``."""
    workbook = Workbook()
    del workbook[workbook.sheetnames[0]]  # the empty "Sheet" every new workbook starts with
    _fill(workbook.create_sheet(CONTENT_SHEET), CONTENT_COLUMNS, [content_row(c) for c in contents])
    _fill(workbook.create_sheet(RECORD_SHEET), RECORD_COLUMNS, [record_row(r) for r in records])
    _save_whole(workbook, Path(path))


def _fill(sheet: Worksheet, columns: tuple[str, ...], rows: list[tuple[CellValue, ...]]) -> None:
    write_row(sheet, 1, columns)
    for number, values in enumerate(rows, start=2):
        write_row(sheet, number, values)


def _save_whole(workbook: Workbook, path: Path) -> None:
    try:
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as failure:
        raise EibWriteError(f"the EIB workbook {path} could not be written: {failure.strerror}") from failure
    os.close(handle)
    try:
        workbook.save(partial)
        os.replace(partial, path)
    except OSError as failure:
        Path(partial).unlink(missing_ok=True)
        raise EibWriteError(f"the EIB workbook {path} could not be written: {failure.strerror}") from failure
