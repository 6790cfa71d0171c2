"""Pydantic validation errors rewritten as spec problems a person can act on.

Each error becomes a :class:`Described`: the location in the YAML data to point
at, and a message naming the offending key, what was found and what would be
right (``unknown measure 'p959'; expected one of count, ratio, ...``).
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from pydantic_core import ErrorDetails

from golive.spec.models import MEASURES, Check, Defaults, Spec
from golive.spec.yamlnodes import Loc


@dataclass(frozen=True)
class Described:
    """One problem: where (a data location), what, and whether to point at the key."""

    loc: Loc
    message: str
    on_key: bool = False
    # For expressions: the 0-based character inside the string, else -1.
    offset: int = -1


_EXPECTED = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
}
_CUSTOM = ("duration", "expectation", "expression")


def _source_models() -> list[type[BaseModel]]:
    value_type = get_args(Spec.model_fields["sources"].annotation)[1]
    if get_origin(value_type) is not None and hasattr(value_type, "__metadata__"):
        value_type = get_args(value_type)[0]
    if get_origin(value_type) in (Union, types.UnionType):
        return list(get_args(value_type))
    return [value_type]


@cache
def source_types() -> dict[str, type[BaseModel]]:
    """Each source ``type`` name and its model, from the models (so new types join in)."""
    models = _source_models()
    return {get_args(m.model_fields["type"].annotation)[0]: m for m in models}


@cache
def source_adapter() -> TypeAdapter[Any]:
    """Validates one entry of ``sources`` on its own."""
    return TypeAdapter(get_args(Spec.model_fields["sources"].annotation)[1])


def found(value: Any) -> str:
    """Describe a YAML value for a message: ``the string 'x'``, ``a list``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _walk(loc: Sequence[str | int], data: Any) -> tuple[Loc, bool]:
    """The part of ``loc`` present in ``data``, and whether a union branch name trails it."""
    path: list[str | int] = []
    node = data
    trailing = False
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node, trailing = node[part], False
        else:
            # A discriminator tag ('jsonl') or a union branch name ('str', 'list[str]').
            trailing = True
            continue
        path.append(part)
    return tuple(path), trailing


def _value(loc: Loc, data: Any) -> Any:
    for part in loc:
        data = data[part]
    return data


def _is_container(loc: Loc) -> bool:
    return loc in ((), ("defaults",)) or (len(loc) == 2 and loc[0] in ("sources", "checks"))


def name_of(loc: Loc, data: Any) -> str:
    """How a message names a mapping: ``the spec``, ``source 'router'``, ``check 'PR-7'``."""
    if loc == ():
        return "the spec"
    if loc == ("defaults",):
        return "defaults"
    if len(loc) == 2 and loc[0] == "sources":
        return f"source '{loc[1]}'"
    if len(loc) == 2 and loc[0] == "checks" and isinstance(loc[1], int):
        item = _value(loc, data)
        check_id = item.get("id") if isinstance(item, dict) else None
        return f"check '{check_id}'" if isinstance(check_id, str) else f"check #{loc[1] + 1}"
    return "'" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)[1:] + "'"


def _subject(loc: Loc, data: Any) -> str:
    if _is_container(loc):
        return name_of(loc, data)
    if _is_container(loc[:-1]) and isinstance(loc[-1], str):
        return f"'{loc[-1]}' in {name_of(loc[:-1], data)}"
    if len(loc) > 2 and _is_container(loc[:-2]) and isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of '{loc[-2]}' in {name_of(loc[:-2], data)}"
    return name_of(loc, data)


def _model_at(loc: Loc, data: Any) -> type[BaseModel] | None:
    if loc == ():
        return Spec
    if loc == ("defaults",):
        return Defaults
    if len(loc) == 2 and loc[0] == "checks":
        return Check
    if len(loc) == 2 and loc[0] == "sources":
        item = _value(loc, data)
        kind = item.get("type") if isinstance(item, dict) else None
        return source_types().get(kind) if isinstance(kind, str) else None
    return None


def _unknown_key(loc: Loc, data: Any) -> str:
    key, parent = str(loc[-1]), loc[:-1]
    message = f"unknown key '{key}' in {name_of(parent, data)}"
    model = _model_at(parent, data)
    if model is None:
        return message
    keys = list(model.model_fields)
    message += f"; expected one of: {', '.join(keys)}"
    close = difflib.get_close_matches(key, keys, n=1)
    return message + (f"; did you mean '{close[0]}'?" if close else "")


def _describe(error: ErrorDetails, loc: Loc, data: Any) -> Described:
    kind, ctx = error["type"], error.get("ctx", {})
    value = error["input"]
    subject = _subject(loc, data)
    if kind == "extra_forbidden":
        return Described(loc, _unknown_key(loc, data), on_key=True)
    if kind == "union_tag_invalid":
        tag = _value(loc, data).get("type")
        shown = f"'{tag}'" if isinstance(tag, str) else found(tag)
        expected = ", ".join(source_types())
        return Described((*loc, "type"), f"unknown source type {shown}; expected one of {expected}")
    if kind == "union_tag_not_found":
        expected = ", ".join(source_types())
        return Described(loc, f"{subject} is missing 'type'; expected one of {expected}")
    if kind == "literal_error" and loc[-1:] == ("measure",) and loc[:1] == ("checks",):
        shown = f"'{value}'" if isinstance(value, str) else found(value)
        return Described(loc, f"unknown measure {shown}; expected one of {', '.join(MEASURES)}")
    if kind == "literal_error":
        return Described(loc, f"{subject} must be one of {ctx['expected']}, got {found(value)}")
    if kind in _EXPECTED:
        return Described(loc, f"{subject} must be {_EXPECTED[kind]}, got {found(value)}")
    if kind in _CUSTOM:
        return Described(loc, f"{subject}: {error['msg']}", offset=int(ctx.get("offset", -1)))
    if kind == "string_pattern_mismatch" and loc[-1:] == ("id",):
        return Described(
            loc,
            f"invalid check id {value!r}; use letters, digits and . _ : - "
            "(starting with a letter or digit), such as PR-7.volume",
        )
    if kind == "string_pattern_mismatch" and loc[-1:] in (("field",), ("time",)):
        return Described(
            loc,
            f"{subject} must be a field name or a dotted path such as ctx.lane "
            f"(no empty parts, quotes or backslashes), got {found(value)}",
        )
    if kind == "string_too_short":
        return Described(loc, f"{subject} must not be empty")
    if kind == "value_error":
        # A model validator's own sentence; pydantic prefixes it with "Value error, ".
        return Described(loc, f"{subject}: {ctx.get('error', error['msg'])}")
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        word = "at least" if kind == "greater_than_equal" else "more than"
        return Described(loc, f"{subject} must be {word} {bound}, got {found(value)}")
    text = error["msg"]
    return Described(loc, f"{subject}: {text[:1].lower()}{text[1:]}")


def describe_errors(errors: list[ErrorDetails], data: Any) -> list[Described]:
    """Rewrite pydantic ``errors`` on ``data`` (the YAML data) as spec problems."""
    walked: list[tuple[ErrorDetails, Loc, bool]] = []
    for error in errors:
        if error["loc"][:1] == ("version",):
            continue  # the loader judges the version before the model sees it
        if error["type"] == "missing":
            parent, _ = _walk(error["loc"][:-1], data)
            walked.append((error, (*parent, str(error["loc"][-1])), False))
        else:
            loc, branch = _walk(error["loc"], data)
            walked.append((error, loc, branch))
    kept: dict[Loc, list[ErrorDetails]] = {}
    for error, loc, branch in walked:
        # A union branch that failed at a shallower place than another branch is noise:
        # for ``path: [a, 3]`` say that item 1 is not a string, not that the list is not one.
        deeper = any(len(other) > len(loc) and other[: len(loc)] == loc for _, other, _ in walked)
        if not (branch and deeper):
            kept.setdefault(loc, []).append(error)
    result: list[Described] = []
    for loc, errors_here in kept.items():
        typed = [e for e in errors_here if e["type"] in _EXPECTED]
        if len(typed) > 1:
            # Union branches at one place: "must be a string or a list".
            expected = " or ".join(dict.fromkeys(_EXPECTED[e["type"]] for e in typed))
            got = found(typed[0]["input"])
            result.append(Described(loc, f"{_subject(loc, data)} must be {expected}, got {got}"))
            errors_here = [e for e in errors_here if e not in typed]
        for error in errors_here:
            if error["type"] == "missing":
                parent, key = loc[:-1], loc[-1]
                result.append(Described(parent, f"{name_of(parent, data)} is missing '{key}'"))
            else:
                result.append(_describe(error, loc, data))
    return result
