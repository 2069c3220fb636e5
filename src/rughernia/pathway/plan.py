"""What a patient's plan shows, as pure functions of a case: the 8-week checkpoint's
date, the fixed times of the paracetamol doses, and the standing alarm answers."""

from __future__ import annotations

import datetime as dt

from rughernia.pathway.facts import clock_start, shifted
from rughernia.pathway.model import Case, Content

# Answers to one alarm question, least urgent first: "don't know" is never below "no"
# (CLINICAL.md §2), and the alarm itself is above both.
_RANK: dict[str, tuple[object, ...]] = {
    "weakness": ("none", "stable", None, "progressive"),
}
_YES_NO: tuple[object, ...] = (False, None, True)


def checkpoint_date(case: Case, content: Content) -> dt.date | None:
    """The day of the 8-week checkpoint (L8), from the onset or the first diary date."""
    start = clock_start(case)
    return None if start is None else shifted(start, content.thresholds.checkpoint_day)


def week_of(case: Case) -> int | None:
    """The week since the onset, 0 in the first seven days."""
    start = clock_start(case)
    return None if start is None else max(0, (case.today - start).days) // 7


def dose_times(max_mg: int, content: Content) -> tuple[str, ...]:
    """The fixed clock times of the paracetamol doses: min(4, n) of them (CLINICAL.md §6),
    n the personal maximum in 500 mg tablets, so the schedule stays within the maximum."""
    t = content.thresholds
    count = min(t.paracetamol_min_times, max_mg // t.paracetamol_tablet_mg)
    return content.dose_clock[:count]


def standing_alarm_answer(question: str, before: object, reported: object) -> object:
    """The alarm answer that stands after the diary reports one: the more urgent of the two.

    A "no" in the diary never clears an alarm or a "don't know" given before: the
    clinician acts on the alarm and acknowledges it, and the patient clears their own
    answers only by filling in the whole intake again (safety: missing or changed data
    never lowers urgency). An unknown value ranks as "don't know".
    """
    order = _RANK.get(question, _YES_NO)
    rank = {value: i for i, value in enumerate(order)}
    low, high = rank.get(before, rank[None]), rank.get(reported, rank[None])
    return order[max(low, high)]
