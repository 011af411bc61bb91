"""The CLI's terminal, where text from outside the connector is shown exactly as written.

A worker's name in a report, Workday's or the provider's message, a key in a config file or an exception's
message may hold ``[red]``, ``:smile:`` or an escape sequence. Every console of the CLI is a
``LiteralConsole``: a string it prints, in a table cell, a rule or a line, is never read as Rich markup or an
emoji code, and control characters other than newline and tab are shown as escapes (``\\x1b``) rather than
sent to the terminal. The CLI's own colours are given as styles (``literal("refused", "red")``), never as
markup inside a string, so nothing can be read as markup by mistake.
"""

from __future__ import annotations

import re
from typing import IO

from rich.console import Console, HighlighterType, JustifyMethod, OverflowMethod
from rich.progress import Task, TextColumn
from rich.style import Style
from rich.text import Text

# C0 and C1 control characters, DEL, but not newline and tab: what a terminal may act on instead of showing.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def literal(text: str, style: str | Style = "") -> Text:
    """``text`` as written, in ``style``: no markup, no emoji codes; control characters shown as escapes."""
    return Text(_visible(text), style=style)


class LiteralConsole(Console):
    """A ``rich`` console that shows every string as ``literal`` does, whatever a caller asks for."""

    def __init__(
        self,
        *,
        stderr: bool = False,
        file: IO[str] | None = None,
        width: int | None = None,
        force_terminal: bool | None = None,
    ) -> None:
        super().__init__(
            stderr=stderr,
            file=file,
            width=width,
            force_terminal=force_terminal,
            markup=False,
            emoji=False,
            highlight=False,
        )

    def render_str(
        self,
        text: str,
        *,
        style: str | Style = "",
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        emoji: bool | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
        highlighter: HighlighterType | None = None,
    ) -> Text:
        shown = literal(text, style)
        shown.justify = justify
        shown.overflow = overflow
        return shown


class LiteralTextColumn(TextColumn):
    """A progress column showing its template filled in (with a record's subject, say) as ``literal`` does."""

    def __init__(self, template: str) -> None:
        super().__init__(template, markup=False)

    def render(self, task: Task) -> Text:
        shown = literal(self.text_format.format(task=task), self.style)
        shown.justify = self.justify
        return shown
