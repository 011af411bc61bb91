"""Why a JSON document does not parse, in words a person can act on: the line and column, and the reason.

Python's ``json`` reports a trailing comma (``[1, 2,]`` or ``{"a": 1,}``, which JavaScript allows and JSON does
not) as "Expecting value" or "Expecting property name enclosed in double quotes" at the closing bracket (3.11,
3.12), or as "Illegal trailing comma before end of ..." at the comma (3.13). Either way the comma is found here
from the text and the problem placed at it. The HTTP API and the CLI both describe a document that does not
parse with ``json_syntax_problem``."""

from __future__ import annotations

import json
from dataclasses import dataclass

_BLANK = " \t\r\n"
_CONTAINERS = {"}": "an object", "]": "a list"}
_REASONS = (
    ("Expecting value", "a value was expected (a string, number, object, list, true, false or null)"),
    ("Expecting ',' delimiter", "a ',' is missing between two items"),
    ("Expecting ':' delimiter", "a ':' is missing after a property name"),
    ("Expecting property name", 'a property name in double quotes was expected, such as "title"'),
    ("Extra data", "more text follows the end of the JSON value"),
    ("Invalid control character", "a string holds a raw tab or line break: write it as \\t or \\n"),
    ("Unterminated string", "a string is not closed: a '\"' is missing"),
    ("Invalid \\uXXXX escape", "a \\u escape needs four hex digits"),
    ("Invalid \\escape", 'a string holds a backslash escape JSON does not have (it has \\n, \\t, \\" and a few more)'),
)


@dataclass(frozen=True, slots=True)
class JsonSyntaxProblem:
    """Where a document stops being JSON (``line`` and ``column`` count from 1, as editors do) and why."""

    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


def json_syntax_problem(document: str, position: int, message: str) -> JsonSyntaxProblem:
    """The problem ``json`` reported as ``message`` at character ``position`` of ``document``."""
    comma = _trailing_comma(document, position)
    if comma is not None:
        container = _CONTAINERS[document[_skip_blanks(document, comma + 1)]]
        reason = f"trailing comma: JSON allows no ',' after the last item of {container}; remove it"
        return _at(document, comma, reason)
    if not document.strip():
        return JsonSyntaxProblem(1, 1, "the document is empty")
    reason = next((plain for start, plain in _REASONS if message.startswith(start)), message)
    return _at(document, position, reason)


def problem_of(error: json.JSONDecodeError) -> JsonSyntaxProblem:
    return json_syntax_problem(error.doc, error.pos, error.msg)


def _trailing_comma(document: str, position: int) -> int | None:
    """The comma at ``position``, or the last character but blanks before it, when only blanks separate it from a
    following ``}`` or ``]``."""
    comma = position
    if not (position < len(document) and document[position] == ","):
        comma = position - 1
        while comma >= 0 and document[comma] in _BLANK:
            comma -= 1
        if comma < 0 or document[comma] != ",":
            return None
    after = _skip_blanks(document, comma + 1)
    return comma if after < len(document) and document[after] in _CONTAINERS else None


def _skip_blanks(document: str, start: int) -> int:
    while start < len(document) and document[start] in _BLANK:
        start += 1
    return start


def _at(document: str, position: int, reason: str) -> JsonSyntaxProblem:
    line_start = document.rfind("\n", 0, position) + 1
    return JsonSyntaxProblem(document.count("\n", 0, position) + 1, position - line_start + 1, reason)
