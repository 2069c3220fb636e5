"""pathway.plan: the checkpoint date, the plan's dose times, the standing alarm answers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rughernia.content import load
from rughernia.pathway import Case, DiaryEntry, Symptoms
from rughernia.pathway.plan import checkpoint_date, dose_times, standing_alarm_answer, week_of

CONTENT = load()
BOOL_ANSWERS = st.sampled_from([True, False, None])
WEAKNESS = st.sampled_from(["none", "stable", "progressive", None])
# Least urgent first, as CLINICAL.md §2 reads the answers ("don't know" never below "no").
URGENCY_BOOL = {False: 0, None: 1, True: 2}
URGENCY_WEAKNESS = {"none": 0, "stable": 1, None: 2, "progressive": 3}


@given(BOOL_ANSWERS, BOOL_ANSWERS)
def test_a_diary_answer_never_lowers_an_alarm_answer(before: object, reported: object) -> None:
    stands = standing_alarm_answer("saddle_numbness", before, reported)
    assert stands in (before, reported)
    assert URGENCY_BOOL[stands] == max(URGENCY_BOOL[before], URGENCY_BOOL[reported])


@given(WEAKNESS, WEAKNESS)
def test_weakness_keeps_the_more_urgent_answer(before: object, reported: object) -> None:
    stands = standing_alarm_answer("weakness", before, reported)
    assert URGENCY_WEAKNESS[stands] == max(URGENCY_WEAKNESS[before], URGENCY_WEAKNESS[reported])


def test_a_no_after_an_alarm_keeps_the_alarm_and_a_yes_raises_it() -> None:
    assert standing_alarm_answer("incontinence", True, False) is True
    assert standing_alarm_answer("incontinence", False, True) is True
    assert standing_alarm_answer("incontinence", False, None) is None
    assert standing_alarm_answer("weakness", "progressive", "none") == "progressive"


@given(st.sampled_from([2000, 2500, 3000, 3500, 4000]))
def test_the_plans_doses_stay_within_the_maximum(max_mg: int) -> None:
    times = dose_times(max_mg, CONTENT)
    tablet = CONTENT.thresholds.paracetamol_tablet_mg
    assert 1 <= len(times) * tablet <= max_mg
    assert list(times) == sorted(times)
    assert len(times) == min(CONTENT.thresholds.paracetamol_min_times, max_mg // tablet)


def _case(today: dt.date, onset: dt.date | None, first_entry: dt.date | None) -> Case:
    symptoms = Symptoms(
        leg_pain_reaches="below_knee",
        saddle_numbness=False,
        incontinence=False,
        urinary_retention=False,
        weakness="none",
        weakness_severe=False,
        both_legs=False,
    )
    diary = () if first_entry is None else (DiaryEntry(date=first_entry, leg_pain=5),)
    return Case(today=today, symptoms=symptoms, onset=onset, diary=diary)


def test_the_checkpoint_is_eight_weeks_after_the_onset_or_the_first_diary_day() -> None:
    today = dt.date(2026, 3, 1)
    onset = dt.date(2026, 2, 1)
    assert checkpoint_date(_case(today, onset, None), CONTENT) == dt.date(2026, 3, 29)
    assert week_of(_case(today, onset, None)) == 4
    first = dt.date(2026, 2, 15)
    assert checkpoint_date(_case(today, None, first), CONTENT) == dt.date(2026, 4, 12)
    assert checkpoint_date(_case(today, None, None), CONTENT) is None
    assert week_of(_case(today, None, None)) is None
