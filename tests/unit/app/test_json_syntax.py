import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.json_syntax import json_syntax_problem, problem_of
from tests.seed_payloads import SEED_CONTENT_AS_PRINTED

_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _problem(document: str) -> str:
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads(document)
    return str(problem_of(raised.value))


class _WithTrailingComma:
    """Renders a JSON value as text, with a comma after the last item of its ``target``-th non-empty container
    (counted in document order), and remembers where that comma is."""

    def __init__(self, target: int, blank: str) -> None:
        self.target, self.blank = target, blank
        self.seen = 0
        self.parts: list[str] = []
        self.comma: int | None = None

    def text(self, value: Any) -> str:
        self._value(value)
        return "".join(self.parts)

    def _value(self, value: Any) -> None:
        if isinstance(value, list | dict) and value:
            mine = self.seen == self.target
            self.seen += 1
            items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
            self.parts.append("{" if isinstance(value, dict) else "[")
            for index, (key, item) in enumerate(items):
                if index:
                    self.parts.append(", ")
                if key is not None:
                    self.parts.append(f"{json.dumps(key)}: ")
                self._value(item)
            if mine:
                self.comma = sum(len(part) for part in self.parts)
                self.parts.append("," + self.blank)
            self.parts.append("}" if isinstance(value, dict) else "]")
        else:
            self.parts.append(json.dumps(value))


def test_the_seeds_content_payload_is_refused_for_its_trailing_comma_with_its_line_and_column() -> None:
    problem = _problem(SEED_CONTENT_AS_PRINTED)

    assert problem.startswith("line 21, column 4: trailing comma")
    assert SEED_CONTENT_AS_PRINTED.splitlines()[20][3] == ","


@given(
    _VALUES.filter(lambda v: isinstance(v, list | dict) and bool(v)),
    st.integers(min_value=0, max_value=30),
    st.sampled_from(["", " ", "\n", "\n  ", "\r\n\t"]),
)
def test_a_trailing_comma_anywhere_is_named_and_placed_at_the_comma(value: Any, pick: int, blank: str) -> None:
    containers = _count_containers(value)
    renderer = _WithTrailingComma(pick % containers, blank)
    document = renderer.text(value)
    assert renderer.comma is not None

    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads(document)
    problem = problem_of(raised.value)

    before = document[: renderer.comma]
    assert (problem.line, problem.column) == (before.count("\n") + 1, renderer.comma - before.rfind("\n"))
    assert problem.reason.startswith("trailing comma")


@given(st.text(max_size=40))
def test_any_text_that_is_not_json_gets_a_line_a_column_and_a_reason(text: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        problem = problem_of(error)
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.reason


def test_other_mistakes_are_said_in_plain_words() -> None:
    assert _problem('{\n  "a": 1\n  "b": 2\n}') == "line 3, column 3: a ',' is missing between two items"
    assert _problem("{'title': 'x'}").startswith("line 1, column 2: a property name in double quotes")
    assert _problem('{"a": "unclosed}') == "line 1, column 7: a string is not closed: a '\"' is missing"
    assert _problem("") == "line 1, column 1: the document is empty"
    assert _problem("[1, 2]\n[3]") == "line 2, column 1: more text follows the end of the JSON value"


def test_a_comma_before_a_closing_bracket_inside_a_string_is_no_trailing_comma() -> None:
    problem = json_syntax_problem('{"a": ",]" x}', 11, "Expecting ',' delimiter")

    assert "trailing comma" not in problem.reason


def _count_containers(value: Any) -> int:
    if isinstance(value, dict):
        return bool(value) + sum(_count_containers(v) for v in value.values())
    if isinstance(value, list):
        return bool(value) + sum(_count_containers(v) for v in value)
    return 0
