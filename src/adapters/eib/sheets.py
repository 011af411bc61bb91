"""The two EIB sheets as the seed lists them: their names, their columns in the seed's order, and one row of
each from a domain row."""

from __future__ import annotations

from domain.transcripts import ImportedContent, ImportedRecord

CellValue = str | int | None

CONTENT_SHEET = "Put Learning Imported Content"
CONTENT_COLUMNS = ("Spreadsheet Key", "Learning Imported Content", "ID", "Title", "Description")

RECORD_SHEET = "Put Learning Imported Record"
RECORD_COLUMNS = (
    "Spreadsheet Key",
    "Learning Imported Record",
    "ID",
    "Learner Employee ID",
    "Learning Imported Content",
    "Start Date",
    "Completion Date",
    "Learning Grade",
    "Overall Score",
    "Inactive",
)

# INFERRED: the seed says only "blank (unless we are inactivating a completion record)". EIB spreadsheets take
# booleans as Y/N (also 1/0); Y is the common form in Workday's templates. Confirm on a tenant's template.
INACTIVE = "Y"


def content_row(content: ImportedContent) -> tuple[CellValue, ...]:
    """Learning Imported Content is left blank: it would reference existing content by WID, and the ID
    alone says which content this is."""
    return (content.spreadsheet_key, None, content.id, content.title, content.description)


def record_row(record: ImportedRecord) -> tuple[CellValue, ...]:
    """Learning Imported Record, Start Date and Overall Score are blank, as the seed says; Learning Imported
    Content is the course ID, the ID of its row in the content sheet; the date is text in the YYYY-MM-DD form
    EIB reads, never a spreadsheet date that a locale could reformat."""
    return (
        record.spreadsheet_key,
        None,
        record.id,
        record.learner_employee_id,
        record.content_id,
        None,
        record.completion_date.isoformat(),
        record.grade,
        None,
        INACTIVE if record.inactive else None,
    )
