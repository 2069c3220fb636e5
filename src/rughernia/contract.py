"""The shared contract (``shared/contract/``) as Pydantic v2 models.

Raw input (JSON from the CLI, the API, a file) becomes a pathway ``Case``
only through ``parse_case``: the models check shapes and ranges, then
``pathway.checks`` checks the rules between fields. Every problem is
reported with its field path, e.g. ``diary[3].leg_pain: 11 is above the
maximum 10``; a case with any problem is rejected whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from rughernia import pathway as pw
from rughernia.pathway.checks import Problem


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "must not be null; leave the field out when unknown")
    return value


# Optional in the schema but never null: absence and null are not the same input.
OptDate = Annotated[dt.date | None, AfterValidator(_not_null)]
OptBool = Annotated[StrictBool | None, AfterValidator(_not_null)]
Pain = Annotated[StrictInt, Field(ge=0, le=10)]

# JSON numbers (integer or not) within bounds; strict, so "5" and true are refused.
WeightKg = Annotated[float, Field(ge=20, le=400, strict=True)]
Hours = Annotated[float, Field(ge=0, le=24, strict=True)]


RiskFactor = Literal[
    "liver_disease",
    "alcohol_3_plus_daily",
    "stomach_ulcer_history",
    "heart_failure",
    "kidney_disease",
    "anticoagulants",
    "cardiovascular_disease",
]


class _Strict(BaseModel):
    # Strict and always fed JSON text: dates must be "YYYY-MM-DD" strings, numbers must not
    # be strings, and nothing is coerced (a unix time is not a date, "5" is not a pain score).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PatientModel(_Strict):
    age: Annotated[Annotated[StrictInt, Field(ge=0, le=120)] | None, AfterValidator(_not_null)] = (
        None
    )
    sex: Annotated[
        Literal["female", "male", "other", "unknown"] | None, AfterValidator(_not_null)
    ] = None
    pregnant: StrictBool | None = None
    weight_kg: Annotated[WeightKg | None, AfterValidator(_not_null)] = None
    risk_factors: Annotated[list[RiskFactor], AfterValidator(_not_null)] = []
    uses_stomach_protector: OptBool = False

    @field_validator("risk_factors")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("unique", "lists a risk factor more than once")
        return value


class RedFlagsModel(_Strict):
    fever: OptBool = False
    cancer_history: OptBool = False
    trauma: OptBool = False
    recent_spinal_procedure: OptBool = False
    immunosuppression: OptBool = False
    weight_loss: OptBool = False


class SymptomsModel(_Strict):
    leg_pain_reaches: Literal["none", "above_knee", "below_knee"]
    # The alarm questions are required; null means "don't know".
    both_legs: StrictBool | None
    weakness: Literal["none", "stable", "progressive"] | None
    weakness_severe: StrictBool | None
    saddle_numbness: StrictBool | None
    incontinence: StrictBool | None
    urinary_retention: StrictBool | None
    back_pain: OptBool = False
    tingling: OptBool = False
    numb_foot: OptBool = False
    sleep_disturbed: OptBool = False
    red_flags: Annotated[RedFlagsModel | None, AfterValidator(_not_null)] = None


class DiaryEntryModel(_Strict):
    date: dt.date
    leg_pain: Pain
    back_pain: Annotated[Pain | None, AfterValidator(_not_null)] = None
    pain_tolerable: StrictBool | None = None
    painkillers_as_scheduled: StrictBool | None = None
    paracetamol_mg: Annotated[
        Annotated[StrictInt, Field(ge=0, le=20000)] | None, AfterValidator(_not_null)
    ] = None
    nsaid_taken: OptBool = None
    opioid_taken: OptBool = None
    hours_lying_daytime: Annotated[Hours | None, AfterValidator(_not_null)] = None
    exercised: OptBool = None
    note: Annotated[str | None, AfterValidator(_not_null), Field(max_length=2000)] = None


class MedicationModel(_Strict):
    step: Annotated[StrictInt, Field(ge=0, le=3)] = 0
    paracetamol_since: OptDate = None
    nsaid: Literal["naproxen", "ibuprofen", "diclofenac"] | None = None
    nsaid_since: OptDate = None
    opioid_since: OptDate = None


class CaseModel(_Strict):
    """contract/case.schema.json"""

    schema_version: Literal[1] = 1
    today: dt.date
    language: Literal["nl", "en"] = "nl"
    patient: Annotated[PatientModel | None, AfterValidator(_not_null)] = None
    onset: dt.date | None = None
    symptoms: SymptomsModel
    diary: Annotated[list[DiaryEntryModel], AfterValidator(_not_null)] = []
    medication: Annotated[MedicationModel | None, AfterValidator(_not_null)] = None


TriageCode = Literal["emergency", "urgent", "contact_gp", "self_care", "not_applicable"]


class FindingModel(_Strict):
    code: str
    triage: TriageCode
    source: str
    text: str


class AdviceModel(_Strict):
    code: str
    source: str
    text: str


class MedicationPlanModel(_Strict):
    step: Annotated[int, Field(ge=0, le=3)]
    action: Literal[
        "urgent_review",
        "discuss_step_up",
        "review_opioid",
        "take_regularly",
        "start_paracetamol",
        "discuss_step_down",
        "continue",
    ]
    paracetamol_max_mg_per_day: Annotated[int, Field(ge=0, le=4000)]


class TrendModel(_Strict):
    baseline_leg_pain: float | None
    current_leg_pain: float | None
    entries_last_7_days: Annotated[int, Field(ge=0)]
    clearly_decreasing: bool


class AssessmentModel(_Strict):
    """contract/assessment.schema.json (for API documentation and response checks)."""

    schema_version: Literal[1]
    content_version: str
    language: Literal["nl", "en"]
    triage: TriageCode
    triage_text: Annotated[str, Field(min_length=1)]
    phase: Literal["acute", "recovery", "checkpoint", "recovered"] | None
    days_since_onset: Annotated[int, Field(ge=0)] | None
    findings: list[FindingModel]
    advice: list[AdviceModel]
    medication: MedicationPlanModel
    trend: TrendModel | None


class CaseInvalid(ValueError):
    """A case was rejected; ``problems`` names every field that is wrong and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
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
        raise CaseInvalid([_problem(e) for e in exc.errors()]) from None
    return _checked(to_case(model), language)


def _checked(case: pw.Case, language: str | None) -> pw.Case:
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
            uses_stomach_protector=bool(p.uses_stomach_protector),
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
    """A Case as JSON data valid against case.schema.json (round-trips through parse_case)."""

    def compact(d: dict[str, Any]) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in d.items()
            if v is not None
        }

    p, s, med = case.patient, case.symptoms, case.medication
    patient = compact(
        {
            "age": p.age,
            "sex": p.sex,
            "pregnant": p.pregnant,
            "weight_kg": p.weight_kg,
            "risk_factors": sorted(p.risk_factors),
            "uses_stomach_protector": p.uses_stomach_protector,
        }
    )
    symptoms: dict[str, Any] = {
        "leg_pain_reaches": s.leg_pain_reaches,
        "both_legs": s.both_legs,
        "weakness": s.weakness,
        "weakness_severe": s.weakness_severe,
        "saddle_numbness": s.saddle_numbness,
        "incontinence": s.incontinence,
        "urinary_retention": s.urinary_retention,
        "back_pain": s.back_pain,
        "tingling": s.tingling,
        "numb_foot": s.numb_foot,
        "sleep_disturbed": s.sleep_disturbed,
        "red_flags": {k: getattr(s.red_flags, k) for k in pw.RedFlags.__dataclass_fields__},
    }
    diary = [
        compact({k: getattr(e, k) for k in pw.DiaryEntry.__dataclass_fields__}) for e in case.diary
    ]
    return {
        "schema_version": 1,
        "today": case.today.isoformat(),
        "language": case.language,
        "patient": patient,
        "onset": case.onset.isoformat() if case.onset else None,
        "symptoms": symptoms,
        "diary": diary,
        "medication": compact(
            {
                "step": med.step,
                "paracetamol_since": med.paracetamol_since,
                "nsaid": med.nsaid,
                "nsaid_since": med.nsaid_since,
                "opioid_since": med.opioid_since,
            }
        ),
    }


# --- readable validation messages -------------------------------------------------


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(error: Any) -> Problem:
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
    clean = tuple(p for p in loc if not (isinstance(p, str) and p in _UNION_TAGS))
    return Problem(_path(clean), message)


_MISSING = dict.fromkeys(
    pw.model.ALARM_QUESTIONS, "is required; answer true, false or null (don't know)"
) | {"weakness": "is required; answer none, stable, progressive or null (don't know)"}

_UNION_TAGS = frozenset({"int", "float", "bool", "str", "none"})


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int | float):
        return str(value)
    return type(value).__name__
