"""The case the questionnaire builds, and which questions it asks (in-process)."""

from __future__ import annotations

import datetime as dt

import pytest

from rughernia.care.selfcheck import (
    COURSE_FROM_DAY,
    MG_PER_TABLET,
    NEVER_ASKED,
    NSAID_QUESTIONS,
    ORDER,
    Answers,
    applies,
    build_case,
    saved,
)
from rughernia.content import load
from rughernia.contract import parse_case
from rughernia.pathway import Symptoms, Triage, assess
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
    assert len(set(ORDER)) == len(ORDER)


def test_an_alarm_question_is_asked_whatever_the_answers() -> None:
    odd: Answers = {"leg_pain_reaches": "none", "medication_step": 0, "age": 90}
    for qid in ALARM_QUESTIONS:
        assert applies(qid, odd, TODAY)
        assert applies(qid, {}, TODAY)


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


def test_no_leg_pain_skips_its_score_date_and_course_and_scores_it_0() -> None:
    answers: Answers = {"leg_pain_reaches": "none", "back_pain": 4}
    for qid in ("onset", "leg_pain", "course_reported"):
        assert not applies(qid, answers, TODAY)
    assert applies("back_pain", answers, TODAY)
    (entry,) = build_case(answers, TODAY, "nl").diary
    assert (entry.leg_pain, entry.back_pain) == (0, 4)


@pytest.mark.parametrize(
    ("onset", "asked"),
    [
        (TODAY - dt.timedelta(days=COURSE_FROM_DAY - 1), False),
        (TODAY - dt.timedelta(days=COURSE_FROM_DAY), True),
        (TODAY - dt.timedelta(days=63), True),
        (None, True),  # "weet ik niet": the person can still tell how the pain went
    ],
)
def test_the_course_is_asked_from_day_14_or_with_the_onset_unknown(
    onset: dt.date | None, asked: bool
) -> None:
    answers: Answers = {"leg_pain_reaches": "below_knee", "onset": onset, "leg_pain": 5}
    assert applies("course_reported", answers, TODAY) is asked
    assert applies("course_reported", answers | {"leg_pain_reaches": "above_knee"}, TODAY) is asked


@pytest.mark.parametrize(("step", "asked"), [(0, False), (1, False), (2, True), (3, True)])
def test_the_nsaid_questions_are_asked_from_step_2(step: int, asked: bool) -> None:
    for qid in NSAID_QUESTIONS:
        assert applies(qid, {"medication_step": step}, TODAY) is asked


def test_pregnancy_is_asked_below_50_or_with_the_age_unknown() -> None:
    assert applies("pregnant", {"medication_step": 2, "age": None}, TODAY)
    assert applies("pregnant", {"medication_step": 2, "age": 49}, TODAY)
    assert not applies("pregnant", {"medication_step": 2, "age": 50}, TODAY)
    assert applies("uses_stomach_protector", {"medication_step": 2, "age": 80}, TODAY)


def test_painkiller_questions_follow_the_step() -> None:
    assert not applies("paracetamol_tablets", {"medication_step": 0}, TODAY)
    assert not applies("paracetamol_since", {"medication_step": 0}, TODAY)
    assert applies("paracetamol_tablets", {"medication_step": 1}, TODAY)
    assert not applies("opioid_since", {"medication_step": 2}, TODAY)
    assert applies("opioid_since", {"medication_step": 3}, TODAY)


def test_todays_answers_become_one_diary_entry_dated_today() -> None:
    answers: Answers = dict.fromkeys(ALARM_QUESTIONS, False) | {
        "weakness": "none",
        "fever": True,
        "leg_pain_reaches": "above_knee",
        "age": 70,
        "onset": dt.date(2026, 2, 1),
        "leg_pain": 6,
        "course_reported": "a_little_better",
        "back_pain": 0,
        "hours_lying": 2.5,
        "medication_step": 2,
        "paracetamol_since": dt.date(2026, 2, 2),
        "painkillers_as_scheduled": None,
        "pain_tolerable": False,
        "paracetamol_tablets": 6,
        "sleep_disturbed": True,
        "weight_kg": 72.5,
        "liver_disease": False,
        "alcohol_3_plus_daily": True,
        "stomach_ulcer_history": True,
        "heart_failure": False,
        "uses_stomach_protector": None,
        "pregnant": False,
    }
    case = build_case(answers, TODAY, "nl")
    (entry,) = case.diary
    assert entry.date == TODAY
    assert (entry.leg_pain, entry.back_pain) == (6, 0)
    assert entry.paracetamol_mg == 6 * MG_PER_TABLET == 3000
    assert entry.hours_lying_daytime == 2.5
    assert entry.pain_tolerable is False
    assert entry.painkillers_as_scheduled is None
    assert case.symptoms.red_flags.fever is True
    assert case.symptoms.red_flags.trauma is False
    assert case.symptoms.leg_pain_reaches == "above_knee"
    assert case.symptoms.course_reported == "a_little_better"
    assert case.symptoms.sleep_disturbed is True
    assert case.symptoms.back_pain is False
    assert case.patient.age == 70
    assert case.patient.weight_kg == 72.5
    assert case.patient.pregnant is False
    assert case.patient.uses_stomach_protector is None
    assert case.patient.risk_factors == {"alcohol_3_plus_daily", "stomach_ulcer_history"}
    assert case.onset == dt.date(2026, 2, 1)
    assert case.medication.step == 2
    assert case.medication.paracetamol_since == dt.date(2026, 2, 2)


def test_the_saved_form_leaves_out_what_no_question_asks() -> None:
    assert set(NEVER_ASKED) <= set(Symptoms.__dataclass_fields__)
    answers: Answers = dict.fromkeys(ALARM_QUESTIONS, False) | {
        "weakness": "none",
        "leg_pain_reaches": "below_knee",
        "leg_pain": 5,
    }
    data = saved(build_case(answers, TODAY, "en"))
    for name in NEVER_ASKED:
        assert name not in data["symptoms"]
    assert parse_case(data) == build_case(answers, TODAY, "en")  # nothing else is lost
