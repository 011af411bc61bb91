"""docs/workday-contract.md lists every name the connector uses from its declaration: the document's generated
section is exactly what the declaration renders, so the two cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.workday.contract import BEGIN, CONTRACT, END, generated, main, markdown, replaced
from adapters.workday.soap.declaration import OperationName

DOCUMENT = Path(__file__).resolve().parents[4] / "docs" / "workday-contract.md"


def test_the_contract_documents_table_is_what_the_declaration_renders() -> None:
    assert generated(DOCUMENT.read_text("utf-8")) == markdown(CONTRACT), (
        "docs/workday-contract.md differs from the declaration: run "
        "python -m adapters.workday.contract --write docs/workday-contract.md"
    )


def test_the_table_has_a_row_for_every_declared_name_and_a_section_for_every_operation() -> None:
    table = markdown(CONTRACT)

    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(CONTRACT.names)
    operations = [name for name in CONTRACT if isinstance(name, OperationName)]
    assert [line for line in table.splitlines() if line.startswith("### ")] == [
        f"### {operation.path} ({operation.service})" for operation in operations
    ]
    languages = next(row for row in rows if "/Language_Reference` " in row)
    assert "`User_Language_Reference`" in languages
    assert "UNSOURCED" in languages


def test_regenerating_replaces_only_what_lies_between_the_markers(tmp_path: Path) -> None:
    document = tmp_path / "contract.md"
    document.write_text(f"# Written by hand\n\n{BEGIN}\nstale\n{END}\n\nAlso by hand.\n", "utf-8")

    assert main(["--write", str(document)]) == 0

    written = document.read_text("utf-8")
    assert written.startswith(f"# Written by hand\n\n{BEGIN}\n\n### Put_Learning_Imported_Content")
    assert written.endswith(f"{END}\n\nAlso by hand.\n")
    assert "stale" not in written
    assert generated(written) == markdown(CONTRACT)


def test_a_document_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="no section between"):
        replaced("# no markers here\n", markdown(CONTRACT))
