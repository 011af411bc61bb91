"""Writing one value to a cell so that it stays the value it is: text is text, whatever it starts with."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from adapters.eib.sheets import CellValue

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read text as a formula (OWASP's CSV-injection list)."""

TEXT_FORMAT = "@"


def write_row(sheet: Worksheet, row: int, values: tuple[CellValue, ...]) -> None:
    for column, value in enumerate(values, start=1):
        write_cell(sheet.cell(row=row, column=column), value)


def write_cell(cell: Cell | MergedCell, value: CellValue) -> None:
    """Integers are numbers; text is stored as a string cell in the Text format, so an Employee ID keeps its
    leading zeros. Text a spreadsheet would take for a formula (``=HYPERLINK(...)``, ``+1``, ``@SUM``) is
    stored unchanged, as a string with Excel's quote prefix: it is neither evaluated on opening nor turned
    into a formula when the cell is edited, and EIB receives the exact text, not a text with an apostrophe."""
    if value is None or isinstance(value, int):
        cell.value = value
        return
    # Control characters cannot be stored in the file's XML (nor sent to Workday's): they are dropped.
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = text
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
