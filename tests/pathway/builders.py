"""Small builders for test cases as contract JSON, so every test goes through parse_case."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from rughernia.content import load
from rughernia.contract import NO_ALARM_SYMPTOMS, parse_case
from rughernia.pathway import assess

# The project's copy of ../shared (spec/README.md); tests/test_spec_copy.py keeps it equal.
SPEC = Path(__file__).resolve().parents[2] / "spec"
TODAY = dt.date(2026, 3, 2)


def day(offset: int) -> str:
    """The date `offset` days before TODAY, as YYYY-MM-DD."""
    return (TODAY - dt.timedelta(days=offset)).isoformat()


def base_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "today": TODAY.isoformat(),
        "language": "nl",
        "patient": {"age": 42, "weight_kg": 70},
        "onset": day(20),
        "symptoms": {**NO_ALARM_SYMPTOMS},
        "diary": [],
        "medication": {"step": 1},
    }
    for key, value in changes.items():
        case[key] = value
    return case


def entries(pains: dict[int, int], **fields: Any) -> list[dict[str, Any]]:
    """Diary entries from {days before today: leg pain}."""
    return [{"date": day(offset), "leg_pain": pain, **fields} for offset, pain in pains.items()]


def with_symptoms(case: dict[str, Any], **symptoms: Any) -> dict[str, Any]:
    out = copy.deepcopy(case)
    out["symptoms"].update(symptoms)
    return out


def run(case: dict[str, Any]) -> dict[str, Any]:
    return assess(parse_case(case), load()).to_dict()


def codes(result: dict[str, Any], kind: str = "findings") -> set[str]:
    return {item["code"] for item in result[kind]}
