"""Settings errors in an operator's words: each problem on a line of its own, named by its dotted path
(``tenants.acme.learning.rate_limit``), a mistyped key with the setting it was probably meant to be, and no
trace of the validation library (no class names, no documentation links, no input types). A secret's value
is never quoted, nor the value of a key that is not a setting (it may be a mistyped secret)."""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

_TABLE_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type"})


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` was most likely a misspelling of, if one is close enough."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def explain(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """One line per problem in ``error``, raised while validating ``model``: ``path: what is wrong``."""
    return [_line(detail, model) for detail in error.errors(include_url=False)]


def _line(detail: ErrorDetails, model: type[BaseModel]) -> str:
    loc = tuple(str(part) for part in detail["loc"])
    path = ".".join(loc) or "the configuration"
    kind = detail["type"]
    if kind == "extra_forbidden":
        return f"{path}: is not a setting; {_suggestion(loc, model)}"
    if kind == "missing":
        return f"{path}: is required" + (f": add a [{path}] table" if _is_table(loc, model) else "")
    if kind in _TABLE_ERRORS:
        return f"{path}: should be a table of settings, [{path}]"
    ctx = detail.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return f"{path}: {ctx['error']}"
    message = detail["msg"].replace("a valid string", "text in quotes")
    message = f"should be {message.removeprefix('Input should be ')}" if message.startswith("Input ") else message
    value = detail.get("input")
    if isinstance(value, str | int | float) and not _is_secret(loc, model):
        return f"{path}: {message}, not {value!r}"
    return f"{path}: {message}"


def _suggestion(loc: Sequence[str], model: type[BaseModel]) -> str:
    parent = _annotation_at(loc[:-1], model)
    names = _setting_names(parent) if isinstance(parent, type) and issubclass(parent, BaseModel) else []
    guess = closest(loc[-1], names)
    if guess is not None:
        return f"did you mean {guess}?"
    return f"the settings here are {', '.join(names)}" if names else "remove it"


def _setting_names(model: type[BaseModel]) -> list[str]:
    names = list(model.model_fields)
    return names + [field.alias for field in model.model_fields.values() if field.alias and field.alias not in names]


def _is_table(loc: Sequence[str], model: type[BaseModel]) -> bool:
    found = _annotation_at(loc, model)
    return isinstance(found, type) and issubclass(found, BaseModel)


def _is_secret(loc: Sequence[str], model: type[BaseModel]) -> bool:
    return _annotation_at(loc, model) is SecretStr


def setting_type(loc: Sequence[str], model: type[BaseModel]) -> Any:
    """The type of the setting at ``loc`` in ``model`` (optional types unwrapped), or None where the path leads
    nowhere."""
    return _annotation_at(loc, model)


def _annotation_at(loc: Sequence[str], model: type[BaseModel]) -> Any:
    """The type of the setting at ``loc`` (optional types unwrapped), or None where the path leads nowhere."""
    current: Any = model
    for part in loc:
        current = _unwrap_optional(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field(current.model_fields, part)
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (dict, Mapping):
            current = get_args(current)[1]
        else:
            return None
    return _unwrap_optional(current)


def _field(fields: Mapping[str, FieldInfo], part: str) -> FieldInfo | None:
    return fields.get(part) or next((f for f in fields.values() if f.alias == part), None)


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        present = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(present) == 1:
            return present[0]
    return annotation
