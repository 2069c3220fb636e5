"""Dates in URLs: strictly YYYY-MM-DD, with a field-named error otherwise."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rughernia.pathway.checks import Problem
from rughernia.web.problems import invalid

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# For Path()/Query(): the pattern is checked by FastAPI, the calendar by ``parse_date``.
DATE_SCHEMA: dict[str, Any] = {"pattern": _DATE.pattern, "json_schema_extra": {"format": "date"}}


def parse_date(value: str, path: str) -> dt.date:
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid([Problem(path, f"{value[:40]!r} is not a valid date; use YYYY-MM-DD")])
