"""My plan: the painkillers at fixed times, the personal maximum, activity; and as iCalendar.

Every number comes from the assessment as of today (``care.assessment.current``) and
``pathway.plan``; the page only lays it out.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from icalendar import Alarm, Calendar, Event
from starlette.responses import HTMLResponse, Response

from rughernia.care import assessment
from rughernia.care.assessment import Current
from rughernia.content import load as load_content
from rughernia.pathway import plan
from rughernia.web.context import DB
from rughernia.web.pages.frame import Page, PageCtx, shown
from rughernia.web.pages.patient import me
from rughernia.web.pages.render import tr

router = APIRouter()
# Advice that belongs on the plan: the painkillers, then activity (the rest is on Today).
PLAN_ADVICE = (
    "PARACETAMOL_FIXED_TIMES",
    "PARACETAMOL_TAPER",
    "NSAID_USE",
    "OPIOID_USE",
    "OPIOID_LAXATIVE",
    "PAINKILLERS_NOT_REGULAR",
    "NO_BED_REST",
    "PHYSIO_NOT_YET",
    "BED_REST_EXCESSIVE",
    "MOVE_AND_WORK",
    "EXERCISE_THERAPY",
)
DIARY_REMINDER = dt.time(19, 0)  # the evening: the day's pain is known by then


def _current(page: Page, session: DB) -> Current:
    row = me(page, session)
    return assessment.current(
        session, page.ctx.actor, row.id, "plan.read", today=page.ctx.today, at=page.ctx.now
    )


def _times(now: Current) -> tuple[str, ...]:
    """The fixed dose times, only where the pathway advises paracetamol at fixed times: never
    beside "take no more today" (an amount above the maximum), nor once recovered."""
    data = shown(now.assessment)
    if not any(a["code"] == "PARACETAMOL_FIXED_TIMES" for a in data["advice"]):
        return ()
    return plan.dose_times(data["medication"]["paracetamol_max_mg_per_day"], load_content())


@router.get("/plan", response_class=HTMLResponse)
def plan_page(page: PageCtx, session: DB) -> HTMLResponse:
    now = _current(page, session)
    data = shown(now.assessment)
    by_code = {a["code"]: a for a in data["advice"] + data["findings"]}
    return page.render(
        "plan.html",
        assessment=data,
        times=_times(now),
        items=[by_code[c] for c in PLAN_ADVICE if c in by_code],
        checkpoint=plan.checkpoint_date(now.case, load_content()),
    )


@router.get("/plan.ics")
def plan_calendar(page: PageCtx, session: DB) -> Response:
    now = _current(page, session)
    zone = page.ctx.settings.zone
    cal = Calendar()
    cal.add("prodid", "-//Rughernia//plan//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Rughernia")
    stamp = page.ctx.now
    start = page.ctx.today
    for clock in _times(now):
        hour, minute = (int(x) for x in clock.split(":"))
        text = tr(page.lang, "Paracetamol: 1 tablet of 500 mg")
        cal.add_component(_daily(f"dose-{clock}", text, start, dt.time(hour, minute), zone, stamp))
    diary = tr(page.lang, "Rughernia: fill in your diary")
    cal.add_component(_daily("diary", diary, start, DIARY_REMINDER, zone, stamp))
    checkpoint = plan.checkpoint_date(now.case, load_content())
    if checkpoint is not None and checkpoint >= start:
        event = Event()
        event.add("uid", f"rughernia-review-{now.patient.id}@rughernia")
        event.add("dtstamp", stamp)
        review = tr(page.lang, "Week 8: discuss with your GP whether the pain is clearly less")
        event.add("summary", review)
        event.add("dtstart", checkpoint)
        event.add("dtend", checkpoint + dt.timedelta(days=1))
        cal.add_component(event)
    return Response(
        cal.to_ical(),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rughernia-plan.ics"'},
    )


def _daily(
    uid: str, summary: str, start: dt.date, at: dt.time, zone: ZoneInfo, stamp: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", f"rughernia-{uid}@rughernia")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    begin = dt.datetime.combine(start, at, tzinfo=zone)
    event.add("dtstart", begin)
    event.add("dtend", begin + dt.timedelta(minutes=10))
    event.add("rrule", {"freq": "daily"})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event
