"""Pydantic's validation errors as readable problems with field paths.

E.g. ``diary[3].leg_pain: 11 is above the maximum 10``.
"""

from __future__ import annotations

import re
from typing import Any

from rughernia import pathway as pw
from rughernia.pathway.checks import Problem


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problem_of(error: Any) -> Problem:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = _show(value)
    loc = tuple(error["loc"])
    field = str(loc[-1]) if loc else ""
    messages = {
        "missing": _MISSING.get(field, "is required"),
        "extra_forbidden": "is not a known field; remove it or check the spelling",
        "less_than_equal": f"{shown} is above the maximum {ctx.get('le')}",
        "greater_than_equal": f"{shown} is below the minimum {ctx.get('ge')}",
        "literal_error": f"{shown} is not allowed; use one of: {ctx.get('expected')}",
        "int_type": f"{shown} is not a whole number",
        "int_from_float": f"{shown} is not a whole number",
        "int_parsing": f"{shown} is not a whole number",
        "bool_type": f"{shown} is not true or false",
        "float_type": f"{shown} is not a number",
        "string_type": f"{shown} is not text",
        "string_too_long": f"is longer than {ctx.get('max_length')} characters",
        "model_type": "must be a JSON object",
        "model_attributes_type": "must be a JSON object",
        "dict_type": "must be a JSON object",
        "list_type": "must be a JSON array",
        "json_invalid": f"not valid JSON: {ctx.get('error', '')}",
        "date_parsing": f"{shown} is not a valid date; use YYYY-MM-DD",
        "date_type": f"{shown} is not a date; use a text YYYY-MM-DD",
    }
    message = messages.get(kind, error["msg"])
    # Pydantic names the member of a union it tried ('int', 'float'); the field path does not.
    clean = tuple(p for p in loc if not _is_union_tag(p))
    return Problem(_path(clean), message)


_MISSING = dict.fromkeys(
    pw.model.ALARM_QUESTIONS, "is required; answer true, false or null (don't know)"
) | {"weakness": "is required; answer none, stable, progressive or null (don't know)"}

_UNION_TAGS = frozenset({"int", "float", "bool", "str", "none"})
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _is_union_tag(part: int | str) -> bool:
    # Tags look like 'constrained-int' or "literal['a','b']"; our field names are identifiers.
    return isinstance(part, str) and (part in _UNION_TAGS or not _FIELD_NAME.match(part))


def problems_of(errors: list[Any]) -> list[Problem]:
    """One problem per wrong value.

    A field that is optional but never null is a union with None, so a wrong value also
    fails the None branch ('none_required'); that second error says nothing new.
    """
    return [problem_of(e) for e in errors if e["type"] != "none_required"]


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int | float):
        return str(value)
    return type(value).__name__
