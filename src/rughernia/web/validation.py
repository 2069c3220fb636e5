"""FastAPI's request validation errors as our problems: a path into the request and our words.

Paths are those of the body sent (``teams[0]``, ``username``), or ``path.patient_id``,
``query.limit``, ``header.Idempotency-Key`` for the other parts of the request. The
words come from ``contract.messages`` (the one mapping from Pydantic's error types) and,
for patterns, from ``patterns.PATTERN_MESSAGES``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rughernia.care.errors import SHOWN_PROBLEMS
from rughernia.contract.messages import message_of
from rughernia.pathway.checks import Problem
from rughernia.web.patterns import PATTERN_MESSAGES

_NUMBER = re.compile(r"-?\d{1,30}")


def problems(errors: Sequence[Any], body: Any) -> tuple[list[Problem], int]:
    """The first problems of FastAPI's validation errors, in our words, and how many more.

    Only the problems shown are worded: a body of 100,000 unknown keys is counted, not
    described 100,000 times.
    """
    # An optional never-null field also fails its None branch; that says nothing new.
    wrong = [e for e in errors if e.get("type") != "none_required"]
    shown = wrong[:SHOWN_PROBLEMS]
    return [_problem(error, body) for error in shown], len(wrong) - len(shown)


def _problem(error: Any, body: Any) -> Problem:
    loc = list(error.get("loc", ()))
    where, rest = (str(loc[0]), loc[1:]) if loc else ("body", [])
    if error.get("type") == "json_invalid":
        # FastAPI puts the character offset into the location; it is no field.
        offset = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
        return Problem("body", "is not valid JSON" + _position(body, offset))
    if error.get("type") != "extra_forbidden" or not rest:
        rest = [p for p in rest if not _is_union_tag(p)]
    else:  # the last part is the unknown key itself, whatever it looks like
        rest = [p for p in rest[:-1] if not _is_union_tag(p)] + rest[-1:]
    inner = ""
    for part in rest:
        inner += f"[{part}]" if isinstance(part, int) else (f".{part}" if inner else str(part))
    # Path, query and header problems name their part, so the client sees where.
    path = (inner or "body") if where == "body" else (f"{where}.{inner}" if inner else where)
    value = error.get("input")
    if where != "body" and isinstance(value, str) and _NUMBER.fullmatch(value):
        # A parameter is text in the URL; "0 is below the minimum 1" reads better unquoted.
        error = {**error, "input": int(value)}
    return Problem(path, message_of(error, PATTERN_MESSAGES))


def _is_union_tag(part: object) -> bool:
    # Pydantic names the member of a union it tried: 'int', 'constrained-str', "literal['a']".
    text = str(part)
    return text in {"int", "float", "bool", "str", "none"} or text.startswith(
        ("constrained-", "function-", "literal[", "json-or-python[", "nullable[")
    )


def _position(body: Any, offset: int | None) -> str:
    """`` (line 2, column 5)`` of a character offset in the JSON text, when both are known."""
    if offset is None or not isinstance(body, str) or not 0 <= offset <= len(body):
        return ""
    line = body.count("\n", 0, offset) + 1
    column = offset - (body.rfind("\n", 0, offset) + 1) + 1
    return f" (line {line}, column {column})"
