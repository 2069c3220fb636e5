"""Shared helpers of the interop tests: a case through export, import and assess."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rughernia.content import load
from rughernia.contract import NO_ALARM_SYMPTOMS, parse_case
from rughernia.interop.fhir_export import PatientRef, bundle
from rughernia.pathway import Assessment, Case, assess

TODAY = dt.date(2026, 3, 2)
PATIENT = PatientRef(id="p-42", display_name="J. Jansen", language="nl")


def day(offset: int) -> str:
    return (TODAY - dt.timedelta(days=offset)).isoformat()


def case_json(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "today": TODAY.isoformat(),
        "language": "nl",
        "patient": {"age": 42, "weight_kg": 70},
        "onset": day(20),
        "symptoms": {**NO_ALARM_SYMPTOMS},
        "diary": [],
        "medication": {"step": 1},
    }
    case.update(changes)
    return case


def assessed(data: dict[str, Any]) -> tuple[Case, Assessment]:
    case = parse_case(data)
    return case, assess(case, load())


def exported(data: dict[str, Any], **kw: Any) -> dict[str, Any]:
    case, assessment = assessed(data)
    return bundle(case, assessment, PATIENT, **kw)


def resources(b: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == kind]


# One case per triage level (CLINICAL.md §1), in contract JSON.
def by_triage() -> dict[str, dict[str, Any]]:
    return {
        "emergency": case_json(symptoms={**NO_ALARM_SYMPTOMS, "saddle_numbness": True}),
        "urgent": case_json(symptoms={**NO_ALARM_SYMPTOMS, "both_legs": None}),
        "contact_gp": case_json(symptoms={**NO_ALARM_SYMPTOMS, "red_flags": {"weight_loss": True}}),
        "self_care": case_json(
            diary=[{"date": day(i), "leg_pain": 6} for i in range(3)],
        ),
        "not_applicable": case_json(
            symptoms={**NO_ALARM_SYMPTOMS, "leg_pain_reaches": "none"}, medication={"step": 0}
        ),
    }
