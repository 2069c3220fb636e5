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
    days_since_onset: int | None  # from the onset, or else from the first diary date
    in_scope: bool
    trend: Trend | None  # the diary alone
    # The course as the rules read it: the diary's current value where it has one,
    # else the patient's reported course (CLINICAL.md §5).
    course_known: bool  # a current value, or a reported course
    improving: bool  # clearly decreasing
    worsening: bool
    phase: Phase | None
    latest: DiaryEntry | None  # newest entry dated today or yesterday
    paracetamol_today_max_mg: int | None  # highest amount among today's and yesterday's entries
    paracetamol_personal_max_mg: int
    paracetamol_days_above_personal: int  # entries of the last 7 days above the personal maximum
    nsaid_in_use: bool  # step 2 or more, or an NSAID in the diary of the last 7 days


def alarm_answers(case: Case) -> dict[str, object]:
    s = case.symptoms
    return {name: getattr(s, name) for name in ALARM_QUESTIONS}


def under_age(case: Case, t: Thresholds) -> bool:
    """Known to be under age: an unknown age keeps the case in scope (the safer reading)."""
    age = case.patient.age
    return age is not None and age < t.adult_age


def in_scope(case: Case, t: Thresholds) -> bool:
    """Leg pain below the knee in an adult (L1): the pathway the leaflet describes."""
    return case.symptoms.leg_pain_reaches == "below_knee" and not under_age(case, t)


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def mean(values: list[int]) -> Fraction:
    return Fraction(sum(values), len(values))


def clock_start(case: Case) -> dt.date | None:
    """The onset, or else the first diary date: the latest the onset can have been,
    so the clock never runs ahead of the real one (CLINICAL.md §5, v2)."""
    if case.onset is not None:
        return case.onset
    return min((e.date for e in case.diary), default=None)


def last_week(case: Case, t: Thresholds) -> list[DiaryEntry]:
    start = shifted(case.today, -(t.window_days - 1))
    return [e for e in case.diary if start <= e.date <= case.today]


def trend(case: Case, t: Thresholds) -> Trend | None:
    if not case.diary:
        return None
    first = min(entry.date for entry in case.diary)
    baseline_end = shifted(first, t.window_days - 1)
    baseline_pain = [e.leg_pain for e in case.diary if first <= e.date <= baseline_end]
    current_pain = [e.leg_pain for e in last_week(case, t)]
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


def best_earlier_week(case: Case, t: Thresholds) -> Fraction | None:
    """The lowest mean of any 7-day window ``d - 6 .. d`` with enough entries, for every
    day ``d`` from the first entry date + 6 up to today - 7 (never overlapping the
    current window); None when no such window has enough entries."""
    days = sorted((e.date.toordinal(), e.leg_pain) for e in case.diary)
    if not days:
        return None
    width = t.window_days
    first_end = days[0][0] + width - 1
    last_end = min(case.today.toordinal() - width, days[-1][0] + width - 1)
    best: Fraction | None = None
    lo = hi = total = 0  # the window holds days[lo:hi]; one date per entry (checks.py)
    for end in range(first_end, last_end + 1):
        while hi < len(days) and days[hi][0] <= end:
            total += days[hi][1]
            hi += 1
        while lo < hi and days[lo][0] < end - width + 1:
            total -= days[lo][1]
            lo += 1
        count = hi - lo
        if count >= t.min_current_entries:
            m = Fraction(total, count)
            best = m if best is None or m < best else best
    return best


def diary_worsening(case: Case, tr: Trend | None, t: Thresholds) -> bool:
    """NHG-M55: pain that increases needs the GP again; against the baseline, and against
    the best week so far (a course of 9, then 2, creeping back to 6 is worsening)."""
    if tr is None or tr.current_leg_pain is None or tr.baseline_leg_pain is None:
        return False
    current = tr.current_leg_pain
    if current < t.worsening_min_current:
        return False
    if current - tr.baseline_leg_pain >= t.worsening_points:
        return True
    best = best_earlier_week(case, t)
    return best is not None and current - best >= t.worsening_points


def phase(
    days: int | None,
    scope: bool,
    current: Fraction | None,
    improving: bool,
    worsening: bool,
    reported_much_better: bool,
    t: Thresholds,
) -> Phase | None:
    if days is None or not scope:
        return None
    if current is not None and current <= t.recovered_max:
        return "recovered"
    if improving and not worsening:
        # From week 8 moderate pain that remains is insufficient improvement (NHG-M55).
        late = days >= t.checkpoint_day
        mild = current <= t.recovery_late_max if current is not None else reported_much_better
        if not late or mild:
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
    med = case.medication
    since = med.paracetamol_since
    if since is None:
        # v2: on painkillers with no start date, assume long use (the lower maximum).
        long_use = med.step >= 1
    else:
        long_use = days_between(since, case.today) > t.paracetamol_long_use_days
    if reduced:
        limit = t.paracetamol_reduced_max_mg
    elif long_use:
        limit = t.paracetamol_long_use_max_mg
    else:
        limit = t.paracetamol_standard_max_mg
    return min(limit, t.paracetamol_absolute_max_mg)


def mg_per_kg_at_least(case: Case, mg: int, per_kg: int, t: Thresholds) -> bool:
    """``mg`` is at least ``per_kg`` mg per kg body weight, exactly, with the weight as the
    decimal it was given (str of a float is its shortest decimal: 49.9 stays 49.9);
    an unknown weight is taken as the assumed weight (NVIC)."""
    w = case.patient.weight_kg
    weight = Fraction(str(w)) if w is not None else Fraction(t.assumed_weight_kg)
    return mg >= per_kg * weight


def gather(case: Case, t: Thresholds) -> Facts:
    start = clock_start(case)
    days = days_between(start, case.today) if start is not None else None
    scope = in_scope(case, t)
    tr = trend(case, t)
    current = tr.current_leg_pain if tr is not None else None
    reported = case.symptoms.course_reported
    if current is not None:
        improving = tr is not None and tr.clearly_decreasing
        worsening = diary_worsening(case, tr, t)
    else:
        # The patient's own answer stands in only when the diary gives no current value.
        improving = reported == "much_better"
        worsening = reported == "worse"
    personal = paracetamol_personal_max(case, t)
    week = last_week(case, t)
    return Facts(
        days_since_onset=days,
        in_scope=scope,
        trend=tr,
        course_known=current is not None or reported is not None,
        improving=improving,
        worsening=worsening,
        phase=phase(days, scope, current, improving, worsening, reported == "much_better", t),
        latest=latest_entry(case),
        paracetamol_today_max_mg=paracetamol_recent_max(case),
        paracetamol_personal_max_mg=personal,
        paracetamol_days_above_personal=sum(
            1 for e in week if e.paracetamol_mg is not None and e.paracetamol_mg > personal
        ),
        nsaid_in_use=case.medication.step >= 2 or any(e.nsaid_taken is True for e in week),
    )
