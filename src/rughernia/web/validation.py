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
from rughernia.contract.messages import message_of, path_of
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
    inner = path_of(rest, str(error.get("type", "")))
    # Path, query and header problems name their part, so the client sees where.
    path = (inner or "body") if where == "body" else (f"{where}.{inner}" if inner else where)
    value = error.get("input")
    if where != "body" and isinstance(value, str) and _NUMBER.fullmatch(value):
        # A parameter is text in the URL; "0 is below the minimum 1" reads better unquoted.
        error = {**error, "input": int(value)}
    return Problem(path, message_of(error, PATTERN_MESSAGES))


def _position(body: Any, offset: int | None) -> str:
    """`` (line 2, column 5)`` of a character offset in the JSON text, when both are known."""
    if offset is None or not isinstance(body, str) or not 0 <= offset <= len(body):
        return ""
    line = body.count("\n", 0, offset) + 1
    column = offset - (body.rfind("\n", 0, offset) + 1) + 1
    return f" (line {line}, column {column})"
