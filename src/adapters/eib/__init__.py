"""The EIB export: the transcript plan as a Workday EIB workbook with the seed's "Put Learning Imported Content"
and "Put Learning Imported Record" sheets, for a load by hand or a check before one."""

from adapters.eib.errors import EibWriteError
from adapters.eib.sheets import CONTENT_COLUMNS, CONTENT_SHEET, RECORD_COLUMNS, RECORD_SHEET
from adapters.eib.workbook import write_eib_workbook

__all__ = [
    "CONTENT_COLUMNS",
    "CONTENT_SHEET",
    "RECORD_COLUMNS",
    "RECORD_SHEET",
    "EibWriteError",
    "write_eib_workbook",
]
