"""The parts of a case that FHIR has no one resource for, both ways.

- the case's answers (alarm questions, red flags, other symptoms, risk factors,
  the stomach protector) as survey Observations coded in our own code system
  ``CASE_SYSTEM`` (the code is the contract's field name): ``true``/``false`` as
  ``valueBoolean``, a choice as ``valueCodeableConcept`` (``ANSWER_SYSTEM``),
  "don't know" (null) as ``dataAbsentReason`` ``asked-unknown`` and never as "no";
- age, weight and pregnancy as Observations with their LOINC codes;
- the medication step and its start dates as MedicationStatements (ATC): the
  drugs of the current step ``active``, a drug with a start date outside the
  step ``unknown``; the step read back is the highest one in use (``read_medication``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from rughernia.content import questionnaire as qcontent
from rughernia.content.questionnaire import Language
from rughernia.interop import codes
from rughernia.pathway import Case, RedFlags, answers

ALARMS = ("both_legs", "weakness_severe", "saddle_numbness", "incontinence", "urinary_retention")
FLAGS = ("back_pain", "tingling", "numb_foot", "sleep_disturbed")
RED_FLAGS = tuple(f.name for f in fields(RedFlags))
CHOICES = ("leg_pain_reaches", "weakness", "course_reported")
RISKS = (
    "liver_disease",
    "alcohol_3_plus_daily",
    "stomach_ulcer_history",
    "heart_failure",
    "kidney_disease",
    "anticoagulants",
    "cardiovascular_disease",
)
PROTECTOR = "uses_stomach_protector"
KNOWN = frozenset({*ALARMS, *FLAGS, *RED_FLAGS, *CHOICES, *RISKS, PROTECTOR})

Subject = dict[str, Any]


def _display(name: str, lang: Language) -> str:
    q = qcontent.load(lang).questions.get(name)
    return q.text if q is not None else name.replace("_", " ")


def _survey(subject: Subject, today: dt.date) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey"}]}],
        "subject": subject,
        "effectiveDateTime": today.isoformat(),
    }


def answer_observations(case: Case, subject: Subject) -> dict[str, dict[str, Any]]:
    """The case's answers as Observations, by field name (the key of their fullUrl)."""
    s, p = case.symptoms, case.patient
    values: dict[str, Any] = {name: getattr(s, name) for name in (*ALARMS, *FLAGS)}
    values |= {name: getattr(s.red_flags, name) for name in RED_FLAGS}
    values |= {"leg_pain_reaches": s.leg_pain_reaches, "weakness": s.weakness}
    if s.course_reported is not None:  # null: not asked, so nothing is stored
        values["course_reported"] = s.course_reported
    if p.uses_stomach_protector is not None:
        values[PROTECTOR] = p.uses_stomach_protector
    values |= dict.fromkeys(sorted(p.risk_factors), True)
    out = {}
    for name, value in values.items():
        obs = _survey(subject, case.today)
        obs["code"] = codes.own(codes.CASE_SYSTEM, name, _display(name, case.language))
        if value is None:
            obs["dataAbsentReason"] = codes.concept(codes.ASKED_UNKNOWN)
        elif isinstance(value, bool):
            obs["valueBoolean"] = value
        else:
            obs["valueCodeableConcept"] = codes.own(codes.ANSWER_SYSTEM, str(value))
        out[name] = obs
    return out


def measurements(case: Case, subject: Subject) -> dict[str, dict[str, Any]]:
    """Age, weight and pregnancy, where the case knows them."""
    p = case.patient
    out: dict[str, dict[str, Any]] = {}
    if p.age is not None:
        out["age"] = {**_survey(subject, case.today), "code": codes.concept(codes.AGE)}
        out["age"]["valueQuantity"] = _quantity(p.age, "a", "year")
    if p.weight_kg is not None:
        out["weight"] = {**_survey(subject, case.today), "code": codes.concept(codes.BODY_WEIGHT)}
        out["weight"]["valueQuantity"] = _quantity(p.weight_kg, "kg", "kg")
    if p.pregnant is not None:
        status = codes.PREGNANT if p.pregnant else codes.NOT_PREGNANT
        out["pregnancy"] = {**_survey(subject, case.today), "code": codes.concept(codes.PREGNANCY)}
        out["pregnancy"]["valueCodeableConcept"] = codes.concept(status)
    return out


def _quantity(value: float, code: str, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": codes.UCUM, "code": code}


def medication_statements(case: Case, subject: Subject) -> dict[str, dict[str, Any]]:
    """One MedicationStatement per drug of the step, or with a known start date."""
    m = case.medication
    nsaid = codes.NSAIDS.get(m.nsaid or "", codes.NSAID_GROUP)
    drugs = (
        ("paracetamol", 1, codes.PARACETAMOL, m.paracetamol_since),
        ("nsaid", 2, nsaid, m.nsaid_since),
        ("opioid", 3, codes.MORPHINE, m.opioid_since),
    )
    out = {}
    for key, level, code, since in drugs:
        named = key == "nsaid" and m.nsaid is not None
        if m.step < level and since is None and not named:
            continue
        statement: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "status": "active" if m.step >= level else "unknown",
            "medicationCodeableConcept": codes.concept(code, text=code[2]),
            "subject": subject,
            "dateAsserted": case.today.isoformat(),
        }
        if since is not None:
            statement["effectivePeriod"] = {"start": since.isoformat()}
        out[key] = statement
    return out


# ------------------------------------------------------------------ the way back


def _date(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


Answers = dict[str, Any]  # question (the contract's field name) -> answer


def read_answers(
    observations: list[dict[str, Any]], problems: list[tuple[str, str]], *, strict: bool = True
) -> Answers:
    """Our survey Observations as answers by question.

    Strict (our own Bundle): an answer given twice is a problem. Lenient (an EHR's
    data): the more urgent of the two is kept (``pathway.answers.more_urgent``).
    """
    found: Answers = {}
    for obs in observations:
        name = codes.code_in(obs.get("code"), codes.CASE_SYSTEM)
        if name is None:
            continue
        where = f"Observation {name}"
        if name not in KNOWN:
            problems.append((where, "is not a question of the case"))
            continue
        value: Any
        if "valueBoolean" in obs:
            value = obs["valueBoolean"]
        elif "valueCodeableConcept" in obs:
            value = codes.code_in(obs["valueCodeableConcept"], codes.ANSWER_SYSTEM)
            if value is None:
                problems.append((where, f"needs a code of {codes.ANSWER_SYSTEM}"))
                continue
        elif codes.has_code(obs.get("dataAbsentReason"), codes.ASKED_UNKNOWN):
            value = None  # "don't know"
        else:
            problems.append((where, "has no value and no dataAbsentReason asked-unknown"))
            continue
        if name in found:
            if strict:
                problems.append((where, "is there twice; one answer per question"))
                continue
            value = answers.more_urgent(name, found[name], value)
        found[name] = value
    return found


def add_answers(found: Answers, more: Answers, *, final: bool) -> None:
    """``more`` (another source's answers) into ``found``, the more urgent of two kept.

    A source that is not final (a preliminary Observation, an intake still in progress)
    can only add an answer that is the most urgent one: its "no" may be taken back.
    """
    for name, value in more.items():
        if not final and value != answers.most_urgent(name):
            continue
        found[name] = answers.more_urgent(name, found[name], value) if name in found else value


def case_answers(found: Answers) -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers by question as the case's (symptoms, patient) contract fragments."""
    symptoms: dict[str, Any] = {"red_flags": {}}
    patient: dict[str, Any] = {"risk_factors": []}
    for name, value in found.items():
        if name in RED_FLAGS:
            symptoms["red_flags"][name] = value
        elif name in RISKS:
            if value is True:
                patient["risk_factors"].append(name)
        elif name == PROTECTOR:
            patient[PROTECTOR] = value
        else:
            symptoms[name] = value
    patient["risk_factors"].sort()
    return symptoms, patient


# The units a measurement is read in (UCUM codes), each with its factor to the case's
# unit; any other unit is not read (``unused``): an unknown weight is a safer reading
# than a wrong one (99 lb read as 99 kg misses the lower paracetamol maximum under 50 kg).
Convert = Callable[[float], float]
WEIGHT_UNITS: dict[str, Convert] = {
    "kg": lambda v: v,
    "g": lambda v: v / 1000,
    "[lb_av]": lambda v: v * 0.45359237,  # the avoirdupois pound, exactly (UCUM)
}
AGE_UNITS: dict[str, Convert] = {"a": lambda v: v}  # years only: not months, weeks or days
# Human-readable unit texts that name a unit; a text naming another unit than the UCUM
# code beside it contradicts it, and a contradicted measurement is not read.
_UNIT_TEXTS = {
    "kg": {"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"},
    "g": {"g", "gr", "gram", "grams"},
    "[lb_av]": {"[lb_av]", "lb", "lbs", "pound", "pounds", "pond"},
    "a": {"a", "y", "yr", "yrs", "year", "years", "jaar", "jaren"},
    "mo": {"mo", "month", "months", "maand", "maanden"},
    "wk": {"wk", "week", "weeks", "weken"},
    "d": {"d", "day", "days", "dag", "dagen"},
}
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _in_unit(quantity: Any, units: dict[str, Convert]) -> float | None:
    """A valueQuantity's value in the case's unit, or None if its unit is not one we read.

    The UCUM code decides (``unit`` is only its display); without the UCUM system and
    code the unit is unknown, and a display naming another unit is a contradiction.
    """
    if not isinstance(quantity, dict) or "value" not in quantity:
        return None
    code = quantity.get("code")
    if quantity.get("system") != codes.UCUM or code not in units:
        return None
    shown = str(quantity.get("unit", code)).strip().lower()
    if any(shown in texts for other, texts in _UNIT_TEXTS.items() if other != code):
        return None
    return units[code](quantity["value"])


def _effective(obs: dict[str, Any]) -> dt.datetime:
    """When an Observation was made, to find the latest; undated (or a day that does not
    exist) is the earliest, and a date without a time is the start of that day, in UTC."""
    raw = obs.get("effectiveDateTime")
    if not isinstance(raw, str):
        return _EARLIEST
    try:
        if "T" in raw:
            return dt.datetime.fromisoformat(raw).astimezone(dt.UTC)
        parts = [int(p) for p in raw.split("-")] + [1, 1]
        return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)
    except ValueError:
        return _EARLIEST


def read_measurements(
    observations: list[dict[str, Any]],
    problems: list[tuple[str, str]],
    *,
    strict: bool = True,
    unused: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Age, weight and pregnancy: of each, the latest measurement (``effectiveDateTime``),
    not the last in the list. Measurements made at the same time that differ: the safer
    reading (the lower weight, the higher age, pregnant), as the pathway's stricter rules
    (the reduced paracetamol maximum, the elderly NSAID caution, pregnancy) then apply.

    One we cannot read (a unit we do not read, a pregnancy status with neither code) is
    not used: strict (our Bundle) a problem; lenient counted in ``unused``.
    """
    found: dict[str, list[tuple[dt.datetime, Any]]] = {}
    skipped = unused if unused is not None else {}

    def cannot(where: str, why: str, key: str) -> None:
        if strict:
            problems.append((f"Observation {where}", why))
        else:
            skipped[key] = skipped.get(key, 0) + 1

    for obs in observations:
        code = obs.get("code")
        if codes.has_code(code, codes.AGE):
            years = _in_unit(obs.get("valueQuantity"), AGE_UNITS)
            if years is None:
                cannot("age", "needs a valueQuantity in years (UCUM a)", "measure_unit")
                continue
            found.setdefault("age", []).append((_effective(obs), int(years)))
        elif codes.has_code(code, codes.BODY_WEIGHT):
            kg = _in_unit(obs.get("valueQuantity"), WEIGHT_UNITS)
            if kg is None:
                cannot("weight", "needs a valueQuantity in UCUM kg, g or [lb_av]", "measure_unit")
                continue
            found.setdefault("weight_kg", []).append((_effective(obs), kg))
        elif codes.has_code(code, codes.PREGNANCY):
            value = obs.get("valueCodeableConcept")
            if codes.has_code(value, codes.PREGNANT):
                found.setdefault("pregnant", []).append((_effective(obs), True))
            elif codes.has_code(value, codes.NOT_PREGNANT):
                found.setdefault("pregnant", []).append((_effective(obs), False))
            else:
                cannot("pregnancy", "needs SNOMED 77386006 or 60001007", "unreadable")
    safer = {"age": max, "weight_kg": min, "pregnant": max}  # True > False: pregnant
    patient: dict[str, Any] = {}
    for name, measured in found.items():
        latest = max(when for when, _ in measured)
        patient[name] = safer[name](value for when, value in measured if when == latest)
    return patient


# MedicationStatement.status: which statements say what the patient takes.
# In use: active, and on-hold (a pause: the patient may take it again any day, so the
# rules for the drug, the NSAID cautions and the opioid review, stay in force).
IN_USE = frozenset({"active", "on-hold"})
# Not known to be in use, but a real start of use: what our export writes for a drug
# with a start date outside the current step. Its start counts (an earlier start is the
# stricter reading), its step does not.
MAYBE = frozenset({"unknown"})
# Anything else (stopped, completed, not-taken, intended, entered-in-error) says nothing
# of the use now: not read, and counted in ``unused``.


def read_medication(
    statements: list[dict[str, Any]], unused: dict[str, int] | None = None
) -> dict[str, Any]:
    """MedicationStatements back to the contract's medication section, whatever their order.

    The step is the highest drug in use. A drug's start is the earliest start among its
    statements in use or of unknown status: an earlier start is the longer use, and so the
    stricter dose and duration rules. The NSAID is named only when its statements (those
    in use, else those of unknown status) name one NSAID: two different ones are not a
    choice for us to make.
    """
    med: dict[str, Any] = {"step": 0}
    names = {c[1]: name for name, c in codes.NSAIDS.items()}
    starts: dict[str, list[str]] = {}
    nsaids: dict[bool, set[str | None]] = {True: set(), False: set()}  # in use: names
    for st in statements:
        concept = st.get("medicationCodeableConcept")
        atc = codes.code_in(concept, codes.ATC) or ""
        if atc == codes.PARACETAMOL[1]:
            level, since_key = 1, "paracetamol_since"
        elif atc.startswith("M01A"):
            level, since_key = 2, "nsaid_since"
        elif atc.startswith("N02A"):  # any opioid is step 3; the leaflet names morphine
            level, since_key = 3, "opioid_since"
        else:
            continue
        status = st.get("status")
        if status not in IN_USE | MAYBE:
            if unused is not None:
                unused["medication_not_current"] = unused.get("medication_not_current", 0) + 1
            continue
        if status in IN_USE:
            med["step"] = max(med["step"], level)
        if level == 2:
            nsaids[status in IN_USE].add(names.get(atc))
        since = _date((st.get("effectivePeriod") or {}).get("start"))
        if since is None:
            since = _date(st.get("effectiveDateTime"))
        if since is not None:
            starts.setdefault(since_key, []).append(since)
    med |= {key: min(dates) for key, dates in starts.items()}
    named = {n for n in nsaids[True] or nsaids[False] if n is not None}  # M01A names none
    if len(named) == 1:
        med["nsaid"] = named.pop()
    return med
