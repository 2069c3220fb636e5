"""The clinician's worklist page: who needs them now, as of today, refreshing itself.

``care.worklist.read`` ranks (with ``pathway.worklist``); this lays it out. htmx polls
the rows every ``POLL_SECONDS`` (``?part=rows``); the status line above them is a live
region that a screen reader reads out when the number of open alarms changes. Without
JavaScript the same page is a plain list with a link to reload it.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from rughernia.care import worklist
from rughernia.care.worklist import Row
from rughernia.content.worklist import rules_and_words
from rughernia.pathway.worklist import PLACES
from rughernia.web.context import DB
from rughernia.web.pages.frame import PageCtx

router = APIRouter()
POLL_SECONDS = 10
SPARK_W, SPARK_H = 84, 24  # the sparkline's box, in SVG units


def spark(row: Row, today: dt.date) -> str:
    """The sparkline's SVG polyline points: one a day with an entry, 0 at the bottom."""
    days = worklist.SPARK_DAYS
    start = today - dt.timedelta(days=days - 1)

    def x(day: dt.date) -> float:
        return round((day - start).days * SPARK_W / (days - 1), 1)

    def y(pain: int) -> float:
        return round(SPARK_H - 2 - pain * (SPARK_H - 4) / 10, 1)

    return " ".join(f"{x(d)},{y(p)}" for d, p in row.leg_pain)


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return default if value in (None, "") else int(str(value))
    except ValueError:
        return default


@router.get("/worklist", response_class=HTMLResponse)
def worklist_page(page: PageCtx, session: DB) -> HTMLResponse:
    query = page.request.query_params
    reason = query.get("reason") if query.get("reason") in PLACES else None  # else: all
    team_id = _int(query.get("team"), None)
    found = worklist.read(
        session,
        page.ctx.actor,
        today=page.ctx.today,
        at=page.ctx.now,
        team_id=team_id,
        reason=reason,
        page=max(1, _int(query.get("page"), 1) or 1),
    )
    _, words = rules_and_words()
    template = "worklist_rows.html" if query.get("part") == "rows" else "worklist.html"
    return page.render(
        template,
        work=found,
        words=words,
        places=PLACES,
        reason=reason or "",
        team_id=team_id,
        sparks={r.patient_id: spark(r, found.today) for r in found.rows},
        spark_days=worklist.SPARK_DAYS,
        size=(SPARK_W, SPARK_H),
        poll=POLL_SECONDS,
        per_page=worklist.PER_PAGE,
    )
