"""Raw input to a pathway Case, and back: the only way JSON becomes a Case.

The models check shapes and ranges, then ``pathway.checks`` checks the rules
between fields; a case with any problem is rejected whole, every problem named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from pydantic import ValidationError

from rughernia import pathway as pw
from rughernia.contract.case import (
    CaseModel,
    DiaryEntryModel,
    MedicationModel,
    PatientModel,
    RedFlagsModel,
)
from rughernia.contract.messages import problems_of
from rughernia.pathway.checks import Problem

# Problems worded at most per case: wording costs ~5 µs each, and a 1 MB body can hold
# 100,000 unknown keys; the others are only counted (``more``).
MAX_WORDED = 100


class CaseInvalid(ValueError):
    """A case was rejected; ``problems`` names the fields that are wrong and why (the first
    ``MAX_WORDED``), ``more`` counts the others."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__("; ".join(str(p) for p in problems))


def parse_case(data: Any, language: str | None = None) -> pw.Case:
    """Raw JSON data to a pathway Case, or CaseInvalid with every problem.

    The data goes through JSON text so that every caller gets the same strict rules as
    the command line and the API (a Python date object is written as YYYY-MM-DD).
    """
    return parse_case_json(json.dumps(data, default=_jsonable), language)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def parse_case_json(text: str | bytes, language: str | None = None) -> pw.Case:
    """JSON text to a pathway Case; parses and validates in one pass (the batch path)."""
    try:
        model = CaseModel.model_validate_json(text)
    except ValidationError as exc:
        raise case_invalid(exc.errors(include_url=False)) from None
    return checked(to_case(model), language)


def case_invalid(errors: list[Any]) -> CaseInvalid:
    """The models' errors as one CaseInvalid: the first MAX_WORDED worded, the rest counted."""
    worded = problems_of(errors[:MAX_WORDED])
    more = sum(1 for e in errors[MAX_WORDED:] if e["type"] != "none_required")
    return CaseInvalid(worded, more=more)


def checked(case: pw.Case, language: str | None) -> pw.Case:
    """The case in ``language`` (if given), or CaseInvalid with the rules between its fields."""
    if language is not None:
        if language not in ("nl", "en"):
            raise CaseInvalid([Problem("language", f"{language!r} is not allowed; use nl or en")])
        case = dataclasses.replace(case, language="nl" if language == "nl" else "en")
    found = pw.problems(case)
    if found:
        raise CaseInvalid(found)
    return case


def to_case(m: CaseModel) -> pw.Case:
    p = m.patient or PatientModel()
    s = m.symptoms
    rf = s.red_flags or RedFlagsModel()
    med = m.medication or MedicationModel()
    return pw.Case(
        today=m.today,
        language=m.language,
        onset=m.onset,
        patient=pw.Patient(
            age=p.age,
            sex=p.sex,
            pregnant=p.pregnant,
            weight_kg=float(p.weight_kg) if p.weight_kg is not None else None,
            risk_factors=frozenset(p.risk_factors),
            uses_stomach_protector=p.uses_stomach_protector,
        ),
        symptoms=pw.Symptoms(
            leg_pain_reaches=s.leg_pain_reaches,
            both_legs=s.both_legs,
            weakness=s.weakness,
            weakness_severe=s.weakness_severe,
            saddle_numbness=s.saddle_numbness,
            incontinence=s.incontinence,
            urinary_retention=s.urinary_retention,
            back_pain=bool(s.back_pain),
            tingling=bool(s.tingling),
            numb_foot=bool(s.numb_foot),
            sleep_disturbed=bool(s.sleep_disturbed),
            red_flags=pw.RedFlags(**{k: bool(v) for k, v in rf.model_dump().items()}),
            course_reported=s.course_reported,
        ),
        diary=tuple(_entry(e) for e in m.diary),
        medication=pw.Medication(
            step=med.step,
            paracetamol_since=med.paracetamol_since,
            nsaid=med.nsaid,
            nsaid_since=med.nsaid_since,
            opioid_since=med.opioid_since,
        ),
    )


def _entry(e: DiaryEntryModel) -> pw.DiaryEntry:
    # Attribute by attribute: model_dump() per entry made a 90-day case three times slower.
    return pw.DiaryEntry(
        date=e.date,
        leg_pain=e.leg_pain,
        back_pain=e.back_pain,
        pain_tolerable=e.pain_tolerable,
        painkillers_as_scheduled=e.painkillers_as_scheduled,
        paracetamol_mg=e.paracetamol_mg,
        nsaid_taken=e.nsaid_taken,
        opioid_taken=e.opioid_taken,
        hours_lying_daytime=_float(e.hours_lying_daytime),
        exercised=e.exercised,
        note=e.note,
    )


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def case_to_dict(case: pw.Case) -> dict[str, Any]:
    """A Case as JSON data valid against case.schema.json (round-trips through parse_case).

    Field by field from the pathway's dataclasses, so a new field is written out too.
    """

    def compact(d: dict[str, Any]) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in d.items()
            if v is not None
        }

    def values(obj: Any, *skip: str) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in _FIELDS[type(obj)] if f.name not in skip}

    p, s = case.patient, case.symptoms
    patient = compact({**values(p), "risk_factors": sorted(p.risk_factors)})
    # Not compacted: null is an answer here ("don't know"), but for the one not asked.
    symptoms: dict[str, Any] = values(s, "course_reported")
    symptoms["red_flags"] = values(s.red_flags)
    if s.course_reported is not None:
        symptoms["course_reported"] = s.course_reported
    return {
        "schema_version": 1,
        "today": case.today.isoformat(),
        "language": case.language,
        "patient": patient,
        "onset": case.onset.isoformat() if case.onset else None,
        "symptoms": symptoms,
        "diary": [compact(values(e)) for e in case.diary],
        "medication": compact(values(case.medication)),
    }


_FIELDS = {
    cls: dataclasses.fields(cls)
    for cls in (pw.Patient, pw.Symptoms, pw.RedFlags, pw.DiaryEntry, pw.Medication)
}
