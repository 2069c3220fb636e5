"""Pydantic's validation errors as readable problems with field paths: the one mapping.

E.g. ``diary[3].leg_pain: 11 is above the maximum 10``. Every surface words its
validation problems here (the contract's ``parse_case``, the FHIR questionnaires,
and the JSON API's request models and parameters), so no Pydantic wording
("Input should be ...", "Extra inputs are not permitted") reaches a person: an
error type not named below gets the plain ``is not valid``, never Pydantic's text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rughernia import pathway as pw
from rughernia.pathway.checks import Problem

# Our message for each Pydantic error type. ``{shown}`` is the value sent (shortened);
# the other fields come from the error's context (``ctx``), e.g. ``{le}``, ``{max_length}``.
TEMPLATES: dict[str, str] = {
    "missing": "is required",
    "extra_forbidden": "is not a known field; remove it or check the spelling",
    "less_than_equal": "{shown} is above the maximum {le}",
    "greater_than_equal": "{shown} is below the minimum {ge}",
    "less_than": "{shown} must be below {lt}",
    "greater_than": "{shown} must be above {gt}",
    "multiple_of": "{shown} must be a multiple of {multiple_of}",
    "finite_number": "must be a finite number",
    "literal_error": "{shown} is not allowed; use one of: {expected}",
    "enum": "{shown} is not allowed; use one of: {expected}",
    "int_type": "{shown} is not a whole number",
    "int_from_float": "{shown} is not a whole number",
    "int_parsing": "{shown} is not a whole number",
    "int_parsing_size": "is too large a number",
    "bool_type": "{shown} is not true or false",
    "bool_parsing": "{shown} is not true or false",
    "float_type": "{shown} is not a number",
    "float_parsing": "{shown} is not a number",
    "string_type": "{shown} is not text",
    "string_unicode": "is not valid text",
    "string_too_short": "must be at least {min_length} characters",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "is not in the expected form",
    "too_short": "must have at least {min_length} items",
    "too_long": "must have at most {max_length} items",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a JSON array",
    "json_invalid": "not valid JSON: {error}",
    "recursion_loop": "is nested too deeply",
    "recursion_depth_exceeded": "is nested too deeply",
    "date_parsing": "{shown} is not a valid date; use YYYY-MM-DD",
    "date_from_datetime_parsing": "{shown} is not a valid date; use YYYY-MM-DD",
    "date_from_datetime_inexact": "{shown} is not a valid date; use YYYY-MM-DD",
    "date_type": "{shown} is not a date; use a text YYYY-MM-DD",
    "none_required": "must be null",
}
FALLBACK = "is not valid"
# Errors the models raise themselves (PydanticCustomError): their text is ours already
# (canonical_int: the ids of web/ids.py).
OWN_TYPES = frozenset({"not_null", "unique", "canonical_int"})
# Overrides for one empty-string minimum, which reads better as what to do.
NOT_EMPTY = "must not be empty"

_MISSING = dict.fromkeys(
    pw.model.ALARM_QUESTIONS, "is required; answer true, false or null (don't know)"
) | {"weakness": "is required; answer none, stable, progressive or null (don't know)"}


def message_of(error: Mapping[str, Any], patterns: Mapping[str, str] | None = None) -> str:
    """Our words for one Pydantic error; ``patterns`` words a regex a value must match."""
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    loc = tuple(error.get("loc") or ())
    if kind in OWN_TYPES:
        return str(error.get("msg") or FALLBACK)
    if kind == "missing":
        return _MISSING.get(str(loc[-1]) if loc else "", TEMPLATES["missing"])
    if kind == "string_pattern_mismatch":
        return (patterns or {}).get(str(ctx.get("pattern")), TEMPLATES[kind])
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return NOT_EMPTY
    template = TEMPLATES.get(kind, FALLBACK)
    try:
        return template.format(shown=_show(error.get("input")), **ctx)
    except (KeyError, IndexError, ValueError):  # a context without the field we name
        return FALLBACK


def problem_of(error: Any) -> Problem:
    return Problem(path_of(error["loc"], str(error.get("type", ""))), message_of(error))


# Pydantic names the member of a union it tried: 'int', 'constrained-str', "literal['a']".
_UNION_TAGS = frozenset({"int", "float", "bool", "str", "none"})
_TAG_PREFIXES = ("constrained-", "function-", "literal[", "json-or-python[", "nullable[")


def is_union_tag(part: object) -> bool:
    """A part of Pydantic's location that names a union member, not a field: the path
    a client sent has no such part. Named by their shapes, not by "not an identifier":
    that rule also dropped keys the client did send, such as an unknown key "1"."""
    return isinstance(part, str) and (part in _UNION_TAGS or part.startswith(_TAG_PREFIXES))


def path_of(loc: Sequence[int | str], kind: str = "") -> str:
    """The field path of a Pydantic location, e.g. ``diary[3].leg_pain``: the one rule for
    every surface (``parse_case``, the API's request models, the FHIR questionnaires).

    Union tags are dropped; an unknown key (``extra_forbidden``) is the client's own
    text, so the last part is kept whatever it looks like.
    """
    parts = list(loc)
    last = parts.pop() if kind == "extra_forbidden" and parts else None
    kept = [p for p in parts if not is_union_tag(p)] + ([] if last is None else [last])
    out = ""
    for part in kept:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
        try:
            text = str(value)
        except ValueError:  # an integer of more than 4,300 digits
            return "a very long number"
        return text if len(text) <= 40 else text[:37] + "..."
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
