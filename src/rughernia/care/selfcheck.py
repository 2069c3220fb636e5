"""What ``rughernia check`` asks, and the case its answers describe.

The order of the questions and which of them apply to the answers so far; the
``Case`` built from the answers; and the saved form of that case, which holds
only what was asked. No clinical rule lives here: what a case leads to is
decided by the pathway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any, cast

from rughernia.content import load as load_content
from rughernia.content.questionnaire import Answer, Language
from rughernia.contract import case_to_dict
from rughernia.pathway import (
    Assessment,
    Case,
    DiaryEntry,
    Medication,
    Patient,
    RedFlags,
    Symptoms,
    assess,
)
from rughernia.pathway.model import ALARM_QUESTIONS, CourseReported, LegPainReach, Weakness

# The risk factors of the personal paracetamol maximum (asked of everyone) and of an NSAID
# (asked when one is in use, medication step 2 or higher). Answered "ja": listed in the case.
PARACETAMOL_RISKS: tuple[str, ...] = ("liver_disease", "alcohol_3_plus_daily")
NSAID_RISKS: tuple[str, ...] = (
    "stomach_ulcer_history",
    "heart_failure",
    "kidney_disease",
    "cardiovascular_disease",
    "anticoagulants",
)
NSAID_QUESTIONS: tuple[str, ...] = (*NSAID_RISKS, "pregnant", "uses_stomach_protector")

# The order is a safety rule: the alarm questions first, then the other red flags.
ORDER: tuple[str, ...] = (
    *ALARM_QUESTIONS,
    *(f.name for f in fields(RedFlags)),
    "leg_pain_reaches",
    "age",
    "onset",
    "leg_pain",
    "course_reported",
    "back_pain",
    "hours_lying",
    "medication_step",
    "paracetamol_since",
    "opioid_since",
    "painkillers_as_scheduled",
    "pain_tolerable",
    "paracetamol_tablets",
    "sleep_disturbed",
    "weight_kg",
    *PARACETAMOL_RISKS,
    *NSAID_QUESTIONS,
)

# The paracetamol question counts tablets of 500 mg (its text says so); the case has mg.
MG_PER_TABLET = 500
# The reported course compares the leg pain with "the first week". It is asked from day 14:
# before that the week to compare with is (partly) the first week itself, so the answer says
# nothing yet. From day 14 the pathway can use it (worsening, recovery, the 8-week point),
# and this one-off check never has the 3 diary days the pathway would measure instead. With
# the onset unknown it is asked too: the pathway may need it, and the person can tell.
COURSE_FROM_DAY = 14
# Pregnancy is asked where it can apply: an NSAID in use, and the age below 50 or not given.
PREGNANCY_BELOW_AGE = 50
# Fields of the case that no question asks. They are left out of the saved file (the
# contract's default then applies), so the file never states an answer nobody gave.
NEVER_ASKED: tuple[str, ...] = ("tingling", "numb_foot")

Answers = dict[str, Answer]


def applies(qid: str, answers: Answers, today: dt.date) -> bool:
    """Whether a question is asked, given the answers so far. Never false for an alarm."""
    reach = answers.get("leg_pain_reaches")
    step = _whole(answers.get("medication_step"))
    if qid in ("onset", "leg_pain"):
        # "geen pijn in mijn been": there is no leg pain to date, and its score is 0.
        return reach != "none"
    if qid == "course_reported":
        onset = answers.get("onset")
        long_ago = not isinstance(onset, dt.date) or (today - onset).days >= COURSE_FROM_DAY
        return reach != "none" and long_ago
    if qid in ("painkillers_as_scheduled", "paracetamol_tablets"):
        return step != 0  # "geen pijnstillers": nothing to take at fixed times, no tablets
    if qid == "paracetamol_since":
        return step is not None and step >= 1
    if qid == "opioid_since":
        return step == 3
    if qid in NSAID_QUESTIONS:
        if step is None or step < 2:
            return False
        age = _whole(answers.get("age"))
        return qid != "pregnant" or age is None or age < PREGNANCY_BELOW_AGE
    return True


def build_case(answers: Answers, today: dt.date, language: Language) -> Case:
    """The case the answers so far describe; what is not asked yet is unknown."""

    def flag(key: str) -> bool | None:
        value = answers.get(key)
        return value if isinstance(value, bool) else None

    def number(key: str) -> int | None:
        return _whole(answers.get(key))

    def date(key: str) -> dt.date | None:
        value = answers.get(key)
        return value if isinstance(value, dt.date) else None

    reach = answers.get("leg_pain_reaches")
    # "geen pijn in mijn been" is a leg pain of 0: that answer gives the score, so it is not
    # asked again (and back pain, lying down and paracetamol still have a diary day to go in).
    leg_pain = 0 if reach == "none" else number("leg_pain")
    tablets = number("paracetamol_tablets")
    symptoms = Symptoms(
        # Before the scope question is answered the case says "below_knee", the reading that
        # keeps it in scope: so no scope finding can appear beside the alarm answers, and the
        # partial case is judged on its alarms exactly as a full one would be. Such a case is
        # never saved (see rughernia.cli.check).
        leg_pain_reaches=cast(LegPainReach, reach or "below_knee"),
        # An alarm question not asked yet stays None, "don't know": never read as "no".
        saddle_numbness=flag("saddle_numbness"),
        incontinence=flag("incontinence"),
        urinary_retention=flag("urinary_retention"),
        weakness=cast(Weakness | None, answers.get("weakness")),
        weakness_severe=flag("weakness_severe"),
        both_legs=flag("both_legs"),
        back_pain=(number("back_pain") or 0) > 0,
        sleep_disturbed=flag("sleep_disturbed") is True,
        red_flags=RedFlags(**{f.name: flag(f.name) is True for f in fields(RedFlags)}),
        course_reported=cast(CourseReported | None, answers.get("course_reported")),
    )
    diary: tuple[DiaryEntry, ...] = ()
    if leg_pain is not None:
        diary = (
            DiaryEntry(
                date=today,
                leg_pain=leg_pain,
                back_pain=number("back_pain"),
                pain_tolerable=flag("pain_tolerable"),
                painkillers_as_scheduled=flag("painkillers_as_scheduled"),
                paracetamol_mg=None if tablets is None else tablets * MG_PER_TABLET,
                hours_lying_daytime=_decimal(answers.get("hours_lying")),
            ),
        )
    patient = Patient(
        age=number("age"),
        pregnant=flag("pregnant"),
        weight_kg=_decimal(answers.get("weight_kg")),
        risk_factors=frozenset(
            q for q in (*PARACETAMOL_RISKS, *NSAID_RISKS) if answers.get(q) is True
        ),
        uses_stomach_protector=flag("uses_stomach_protector"),
    )
    return Case(
        today=today,
        symptoms=symptoms,
        language=language,
        patient=patient,
        onset=date("onset"),
        diary=diary,
        medication=Medication(
            step=number("medication_step") or 0,
            paracetamol_since=date("paracetamol_since"),
            opioid_since=date("opioid_since"),
        ),
    )


def saved(case: Case) -> dict[str, Any]:
    """The case as JSON data for ``--save``: only what the questions asked."""
    data = case_to_dict(case)
    for name in NEVER_ASKED:
        data["symptoms"].pop(name, None)
    return data


def _whole(value: Answer) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _decimal(value: Answer) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def next_question(answers: Answers, today: dt.date) -> str | None:
    """The first question in ORDER that applies and is not answered yet; None when done."""
    return next((q for q in ORDER if q not in answers and applies(q, answers, today)), None)


def result(answers: Answers, today: dt.date, language: Language) -> tuple[Case, Assessment]:
    """The case the answers so far describe and its assessment. A surface stops asking as
    soon as this is an emergency: an alarm is acted on before anything else is asked."""
    case = build_case(answers, today, language)
    return case, assess(case, load_content())


# The web app asks the same questions in two more places. The intake: what the record
# keeps of the complaint (alarm questions first); the medication is the clinician's.
INTAKE_QUESTIONS: tuple[str, ...] = (
    *ALARM_QUESTIONS,
    *(f.name for f in fields(RedFlags)),
    "leg_pain_reaches",
    "onset",
    "age",
    "weight_kg",
    "sleep_disturbed",
    *PARACETAMOL_RISKS,
)
# The daily diary: the day's pain and painkillers, then the alarm questions, every day.
DIARY_ONLY: tuple[str, ...] = ("nsaid_taken", "opioid_taken", "exercised")
DIARY_QUESTIONS: tuple[str, ...] = (
    "pain_tolerable",
    "painkillers_as_scheduled",
    "paracetamol_tablets",
    "nsaid_taken",
    "opioid_taken",
    "hours_lying",
    "exercised",
    *ALARM_QUESTIONS,
)


def intake_sections(answers: Answers, today: dt.date, language: Language) -> dict[str, Any]:
    """The intake (onset, patient, symptoms) the answers describe, in the contract's shape:
    the same mapping as the self-check's case, so both read an answer alike."""
    data = saved(build_case(answers, today, language))
    return {key: data[key] for key in ("onset", "patient", "symptoms") if key in data}


def diary_entry(answers: Answers, leg_pain: int, back_pain: int | None) -> dict[str, Any]:
    """A diary entry in the contract's shape (without its date) from the diary's answers."""
    tablets = _whole(answers.get("paracetamol_tablets"))
    entry: dict[str, Any] = {
        "leg_pain": leg_pain,
        "back_pain": back_pain,
        "pain_tolerable": answers.get("pain_tolerable"),
        "painkillers_as_scheduled": answers.get("painkillers_as_scheduled"),
        "paracetamol_mg": None if tablets is None else tablets * MG_PER_TABLET,
        "nsaid_taken": answers.get("nsaid_taken"),
        "opioid_taken": answers.get("opioid_taken"),
        "hours_lying_daytime": _decimal(answers.get("hours_lying")),
        "exercised": answers.get("exercised"),
    }
    return {k: v for k, v in entry.items() if v is not None}


def alarm_report(answers: Answers) -> dict[str, Any]:
    """The alarm questions as answered in the diary; an unanswered one counts as "don't
    know" (None), never as "no"."""
    return {q: answers.get(q) for q in ALARM_QUESTIONS}
