"""The course chart's axis stays readable, however long ago the onset was."""

from __future__ import annotations

import datetime as dt

import pytest

from rughernia.pathway import DiaryEntry
from rughernia.web.pages.course import MAX_LABELS, chart

TODAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize("years", [0, 1, 5, 200, 2025])
def test_the_axis_has_at_most_its_labels_and_starts_at_week_0(years: int) -> None:
    start = TODAY.replace(year=TODAY.year - years) if years else TODAY - dt.timedelta(days=20)
    entries = (DiaryEntry(date=TODAY, leg_pain=5),)
    weeks = [w for w, _ in chart(entries, start, 5.0).weeks]
    assert weeks[0] == 0
    assert 2 <= len(weeks) <= MAX_LABELS + 1


def test_twelve_weeks_show_every_second_week() -> None:
    weeks = [w for w, _ in chart((), TODAY - dt.timedelta(days=20), None).weeks]
    assert weeks == [0, 2, 4, 6, 8, 10, 12]
