"""The CLI's terminal shows text from outside the connector as written: no markup, no emoji codes, no escapes."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.progress import Progress
from rich.table import Table

from app.cli.terminal import LiteralConsole, LiteralTextColumn, literal

CLI = Path(__file__).parents[3] / "src" / "app" / "cli"

# Every character but control characters (those are shown as escapes), with markup's own characters common.
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("[]\\/:=#@ "),
        st.characters(blacklist_categories=("Cc", "Cs")),
    )
)


def printed(*objects: object) -> str:
    out = io.StringIO()
    LiteralConsole(file=out, width=10_000).print(*objects, soft_wrap=True)
    return out.getvalue()


@given(_TEXT)
def test_any_text_is_printed_exactly_as_written(text: str) -> None:
    assert printed(text) == text + "\n"


@given(_TEXT)
def test_any_text_in_a_table_cell_is_printed_as_written(text: str) -> None:
    table = Table("value", box=None, show_header=False, pad_edge=False)
    table.add_row(text)
    out = io.StringIO()
    LiteralConsole(file=out, width=10_000).print(table)
    assert out.getvalue().rstrip(" \n") == text.rstrip(" ")


def test_markup_and_emoji_codes_are_shown_not_obeyed() -> None:
    assert printed("[red]Mitzner[/red] :smile: [link=https://x]y[/link]") == (
        "[red]Mitzner[/red] :smile: [link=https://x]y[/link]\n"
    )
    assert printed("the tenant has no [oauth] client") == "the tenant has no [oauth] client\n"


def test_a_value_cannot_drive_the_terminal_with_control_characters() -> None:
    assert printed("\x1b[2Jgone\x07\x9b31m") == "\\x1b[2Jgone\\x07\\x9b31m\n"
    assert printed("two\nlines\tand a tab") == "two\nlines\tand a tab\n".expandtabs(8)


def test_the_cli_own_styles_colour_a_terminal() -> None:
    out = io.StringIO()
    LiteralConsole(file=out, force_terminal=True).print(literal("refused", "red"), "[red]as written[/red]")
    assert "\x1b[31mrefused\x1b[0m [red]as written[/red]" in out.getvalue()


def test_a_progress_description_is_shown_as_written() -> None:
    with Progress(LiteralTextColumn("{task.description}"), console=LiteralConsole(file=io.StringIO())) as progress:
        task = progress.add_task("invite employee 7 ([red]Mitzner[/red])", total=None)
        column = progress.columns[0]
        assert isinstance(column, LiteralTextColumn)
        assert column.render(progress.tasks[task]).plain == "invite employee 7 ([red]Mitzner[/red])"


def test_every_cli_console_and_progress_column_shows_text_as_written() -> None:
    """A plain ``rich`` Console or TextColumn in the CLI would read text from outside as markup."""
    offending = []
    for path in CLI.glob("*.py"):
        if path.name == "terminal.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Name) and called.id in {"Console", "TextColumn"}:
                offending.append(f"{path.name}:{called.lineno}: {called.id}(...)")
            if isinstance(node, ast.keyword) and node.arg == "markup":
                offending.append(f"{path.name}:{node.lineno}: markup=")
    assert offending == []
