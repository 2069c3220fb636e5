"""The case the questionnaire builds, and the order it asks in (in-process)."""

from __future__ import annotations

import datetime as dt

from rughernia.check_cli import ORDER, build_case
from rughernia.content import load
from rughernia.pathway import Triage, assess
from rughernia.pathway.model import ALARM_QUESTIONS

TODAY = dt.date(2026, 3, 2)


def test_the_alarm_questions_come_first_then_the_red_flags() -> None:
    assert ORDER[:6] == ALARM_QUESTIONS
    assert ORDER[6:12] == (
        "fever",
        "cancer_history",
        "trauma",
        "recent_spinal_procedure",
        "immunosuppression",
        "weight_loss",
    )


def test_before_any_answer_every_alarm_question_is_dont_know() -> None:
    case = build_case({}, TODAY, "nl")
    for name in ALARM_QUESTIONS:
        assert getattr(case.symptoms, name) is None
    # The placeholder keeps the case in scope; no diary before the pain is asked.
    assert case.symptoms.leg_pain_reaches == "below_knee"
    assert case.diary == ()
    result = assess(case, load())
    assert result.triage is Triage.URGENT  # unanswered never reads as "no"
    assert "ALARM_UNCERTAIN" in {f.code for f in result.findings}


def test_one_alarm_in_a_partial_case_is_an_emergency() -> None:
    case = build_case({"saddle_numbness": False, "incontinence": True}, TODAY, "en")
    assert assess(case, load()).triage is Triage.EMERGENCY


def test_todays_answers_become_one_diary_entry_dated_today() -> None:
    answers = dict.fromkeys(ALARM_QUESTIONS, False) | {
        "weakness": "none",
        "fever": True,
        "leg_pain_reaches": "above_knee",
        "age": 70,
        "onset": dt.date(2026, 2, 1),
        "leg_pain": 6,
        "back_pain": 0,
        "medication_step": 2,
        "painkillers_as_scheduled": None,
        "pain_tolerable": False,
        "paracetamol_mg": 3000,
        "sleep_disturbed": True,
    }
    case = build_case(dict(answers), TODAY, "nl")
    (entry,) = case.diary
    assert entry.date == TODAY
    assert (entry.leg_pain, entry.back_pain, entry.paracetamol_mg) == (6, 0, 3000)
    assert entry.pain_tolerable is False
    assert entry.painkillers_as_scheduled is None
    assert case.symptoms.red_flags.fever is True
    assert case.symptoms.red_flags.trauma is False
    assert case.symptoms.leg_pain_reaches == "above_knee"
    assert case.symptoms.sleep_disturbed is True
    assert case.symptoms.back_pain is False
    assert case.patient.age == 70
    assert case.onset == dt.date(2026, 2, 1)
    assert case.medication.step == 2
