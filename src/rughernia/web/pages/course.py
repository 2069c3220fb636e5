"""My course: leg and back pain per day since the onset, as a chart and as a table.

The chart is SVG made here (no script, no network); the band is the expected course
of ``content/information.toml``, scaled to the patient's first week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from rughernia.care import assessment
from rughernia.content import information
from rughernia.pathway import DiaryEntry
from rughernia.web.context import DB
from rughernia.web.pages.frame import PageCtx, shown
from rughernia.web.pages.patient import me

router = APIRouter()
W, H, LEFT, TOP, BOTTOM = 420, 260, 30, 20, 40  # the chart's box and margins, in SVG units
MIN_DAYS = 84  # the chart always shows 12 weeks
MAX_LABELS = 12


@dataclass(frozen=True, slots=True)
class Chart:
    leg: str  # SVG polyline points
    back: str
    band: str  # SVG polygon points
    weeks: list[tuple[int, float]]  # (week, x) for the axis
    marks: list[tuple[int, float]]  # (week, x) of the 8- and 12-week lines
    levels: list[tuple[int, float]]  # (pain, y) for the axis
    dots: list[tuple[float, float]]  # leg pain points, for a single day's entry


def chart(entries: tuple[DiaryEntry, ...], start: dt.date, baseline: float | None) -> Chart:
    days = max([MIN_DAYS, *((e.date - start).days for e in entries)])
    plot_w, plot_h = W - LEFT - 10, H - TOP - BOTTOM

    def x(day: float) -> float:
        return round(LEFT + plot_w * day / days, 1)

    def y(pain: float) -> float:
        return round(TOP + plot_h * (1 - pain / 10), 1)

    ordered = sorted(entries, key=lambda e: e.date)
    leg = [(x((e.date - start).days), y(e.leg_pain)) for e in ordered]
    back = [(x((e.date - start).days), y(e.back_pain)) for e in ordered if e.back_pain is not None]
    band = ""
    if baseline:
        course = information.expected_course()
        upper = [
            (x(w * 7), y(baseline * f)) for w, f in zip(course.weeks, course.high, strict=True)
        ]
        lower = [(x(w * 7), y(baseline * f)) for w, f in zip(course.weeks, course.low, strict=True)]
        band = _points(upper + lower[::-1])
    return Chart(
        leg=_points(leg),
        back=_points(back),
        band=band,
        weeks=[(w, x(w * 7)) for w in range(0, days // 7 + 1, _week_step(days // 7))],
        marks=[(w, x(w * 7)) for w in (8, 12)],
        levels=[(p, y(p)) for p in range(0, 11, 2)],
        dots=leg,
    )


def _week_step(weeks: int) -> int:
    """Every 2nd week, or every 4th, 8th, ...: at most ``MAX_LABELS`` labels on the axis. An
    onset years ago (the contract allows any past date) made thousands of labels, a page
    of megabytes."""
    step = 2
    while weeks // step > MAX_LABELS:
        step *= 2
    return step


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{a},{b}" for a, b in points)


@router.get("/course", response_class=HTMLResponse)
def course(page: PageCtx, session: DB) -> HTMLResponse:
    row = me(page, session)
    now = assessment.current(
        session, page.ctx.actor, row.id, "course.read", today=page.ctx.today, at=page.ctx.now
    )
    case = now.case
    start = case.onset or min((e.date for e in case.diary), default=page.ctx.today)
    trend = shown(now.assessment).get("trend") or {}
    baseline = trend.get("baseline_leg_pain")
    entries = sorted(case.diary, key=lambda e: e.date)
    return page.render(
        "course.html",
        chart=chart(case.diary, start, baseline),
        size=(W, H, LEFT, TOP, BOTTOM),
        entries=entries,
        start=start,
        has_band=bool(baseline),
        source=information.expected_course().source,
    )
