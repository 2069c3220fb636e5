"""Named pure facts about a case, each computed once per assessment.

Means are exact (``Fraction``): with floats 16/3 - 10/3 is 1.9999999999999996
and a 2-point drop would be missed (CLINICAL.md §5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from rughernia.pathway.model import (
    ALARM_QUESTIONS,
    Case,
    DiaryEntry,
    Phase,
    Thresholds,
    Trend,
)


def shifted(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held within the calendar: a window that would start
    before 0001-01-01 or end after 9999-12-31 holds no diary dates beyond it anyway
    (plain date arithmetic raised OverflowError there: a 500 for a valid case).
    """
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


@dataclass(frozen=True, slots=True)
class Facts:
    days_since_onset: int | None
    in_scope: bool
    trend: Trend | None
    phase: Phase | None
    latest: DiaryEntry | None  # newest entry dated today or yesterday
    paracetamol_today_max_mg: int | None  # highest amount among today's and yesterday's entries
    paracetamol_personal_max_mg: int


def alarm_answers(case: Case) -> dict[str, object]:
    s = case.symptoms
    return {name: getattr(s, name) for name in ALARM_QUESTIONS}


def under_age(case: Case, t: Thresholds) -> bool:
    """Known to be under age: an unknown age keeps the case in scope (the safer reading)."""
    age = case.patient.age
    return age is not None and age < t.adult_age


def in_scope(case: Case, t: Thresholds) -> bool:
    return case.symptoms.leg_pain_reaches != "none" and not under_age(case, t)


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def mean(values: list[int]) -> Fraction:
    return Fraction(sum(values), len(values))


def trend(case: Case, t: Thresholds) -> Trend | None:
    if not case.diary:
        return None
    first = min(entry.date for entry in case.diary)
    baseline_end = shifted(first, t.window_days - 1)
    current_start = shifted(case.today, -(t.window_days - 1))
    baseline_pain = [e.leg_pain for e in case.diary if first <= e.date <= baseline_end]
    current_pain = [e.leg_pain for e in case.diary if current_start <= e.date <= case.today]
    baseline = mean(baseline_pain)
    current = mean(current_pain) if len(current_pain) >= t.min_current_entries else None
    return Trend(
        baseline_leg_pain=baseline,
        current_leg_pain=current,
        entries_last_7_days=len(current_pain),
        clearly_decreasing=clearly_decreasing(baseline, current, t),
    )


def clearly_decreasing(baseline: Fraction, current: Fraction | None, t: Thresholds) -> bool:
    """OSTELO-2008 minimal important change, with a floor for low baselines."""
    if current is None:
        return False
    drop = baseline - current
    if baseline < t.low_baseline:
        return drop >= t.clear_drop_points or current <= t.low_baseline_current
    return drop >= t.clear_drop_points and drop >= t.clear_drop_fraction * baseline


def phase(
    case: Case, days: int | None, scope: bool, tr: Trend | None, t: Thresholds
) -> Phase | None:
    if days is None or not scope:
        return None
    current = tr.current_leg_pain if tr else None
    if current is not None and current <= t.recovered_max:
        return "recovered"
    if tr is not None and tr.clearly_decreasing:
        return "recovery"
    if days >= t.checkpoint_day:
        return "checkpoint"
    return "acute"


def latest_entry(case: Case) -> DiaryEntry | None:
    yesterday = shifted(case.today, -1)
    recent = [e for e in case.diary if yesterday <= e.date <= case.today]
    return max(recent, key=lambda e: e.date) if recent else None


def paracetamol_recent_max(case: Case) -> int | None:
    yesterday = shifted(case.today, -1)
    amounts = [
        e.paracetamol_mg
        for e in case.diary
        if e.paracetamol_mg is not None and yesterday <= e.date <= case.today
    ]
    return max(amounts) if amounts else None


def paracetamol_personal_max(case: Case, t: Thresholds) -> int:
    """CLINICAL.md §6; the result is never above the absolute maximum."""
    p = case.patient
    reduced = (
        (p.weight_kg is not None and p.weight_kg < t.low_weight_kg)
        or "liver_disease" in p.risk_factors
        or "alcohol_3_plus_daily" in p.risk_factors
    )
    since = case.medication.paracetamol_since
    if reduced:
        limit = t.paracetamol_reduced_max_mg
    elif since is not None and days_between(since, case.today) > t.paracetamol_long_use_days:
        limit = t.paracetamol_long_use_max_mg
    else:
        limit = t.paracetamol_standard_max_mg
    return min(limit, t.paracetamol_absolute_max_mg)


def gather(case: Case, t: Thresholds) -> Facts:
    days = days_between(case.onset, case.today) if case.onset is not None else None
    scope = in_scope(case, t)
    tr = trend(case, t)
    return Facts(
        days_since_onset=days,
        in_scope=scope,
        trend=tr,
        phase=phase(case, days, scope, tr, t),
        latest=latest_entry(case),
        paracetamol_today_max_mg=paracetamol_recent_max(case),
        paracetamol_personal_max_mg=paracetamol_personal_max(case, t),
    )
