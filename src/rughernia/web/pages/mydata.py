"""My data: everything stored (JSON), who looked at my record, and deleting my account."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from rughernia.care import privacy
from rughernia.care.privacy import LogEntry
from rughernia.web import signing
from rughernia.web.api import views
from rughernia.web.context import DB
from rughernia.web.pages.frame import PageCtx, takes_form
from rughernia.web.pages.patient import me
from rughernia.web.pages.render import Lang, tr

router = APIRouter()


def who_text(lang: Lang, entry: LogEntry) -> str:
    """A reader by name, or a refused outsider by role only (``care.privacy``)."""
    if entry.username is not None:
        return entry.who
    roles = {
        "patient": tr(lang, "a patient"),
        "clinician": tr(lang, "a clinician of another team"),
        "admin": tr(lang, "an administrator"),
    }
    return roles.get(entry.role or "", entry.who)


def action_text(lang: Lang, action: str) -> str:
    """What an audited action means, in the patient's words (the raw name if unknown)."""
    texts = {
        "assessment.read": tr(lang, "looked at the advice"),
        "assessment.history": tr(lang, "looked at earlier advice"),
        "assessment.reassess": tr(lang, "made the daily advice (automatic)"),
        "diary.read": tr(lang, "read the diary"),
        "diary.write": tr(lang, "wrote in the diary"),
        "intake.read": tr(lang, "read the answers about the complaints"),
        "intake.write": tr(lang, "changed the answers about the complaints"),
        "medication.read": tr(lang, "read the medication"),
        "medication.write": tr(lang, "changed the medication"),
        "alarm.acknowledge": tr(lang, "handled a warning sign"),
        "medication.preview": tr(lang, "looked at a change of the medication"),
        "note.write": tr(lang, "wrote a note"),
        "note.read": tr(lang, "read the notes"),
        "finding.acknowledge": tr(lang, "marked a finding as handled until a date"),
        "finding.read": tr(lang, "looked at the handled findings"),
        "worklist.read": tr(lang, "saw the record on the worklist"),
        "patient.read": tr(lang, "opened the record"),
        "patients.list": tr(lang, "saw the record in a list"),
        "patient.create": tr(lang, "made the record"),
        "patient.export": tr(lang, "downloaded all data"),
        "patient.language": tr(lang, "changed the language"),
        "access_log.read": tr(lang, "read this list"),
        "plan.read": tr(lang, "looked at the plan"),
        "course.read": tr(lang, "looked at the course"),
        "fhir.export": tr(lang, "sent the record to a GP system"),
        "invitation.redeem": tr(lang, "joined with the code"),
        "password_reset.issue": tr(lang, "made a new password code"),
        "password_reset.redeem": tr(lang, "set a new password with a code"),
    }
    return texts.get(action, action)


SHOWN_ROWS = 100


@dataclass(slots=True)
class Run:
    """Log entries in a row of one reader, action and outcome on one day: one line."""

    entry: LogEntry  # the newest
    first: dt.datetime  # the oldest
    count: int


def runs(log: list[LogEntry], zone: ZoneInfo) -> list[Run]:
    """``log`` (newest first) with each run of the same look on one day as one line.

    The worklist refreshes itself every few seconds and each refresh is a look, rightly
    audited; listed one by one, a clinician's working day pushed every other line (a
    download of all data, a look by someone else) off the list.
    """
    out: list[Run] = []
    for entry in log:
        last = out[-1] if out else None
        if (
            last is not None
            and (last.entry.who, last.entry.action, last.entry.outcome)
            == (entry.who, entry.action, entry.outcome)
            and last.first.astimezone(zone).date() == entry.at.astimezone(zone).date()
        ):
            last.first, last.count = entry.at, last.count + 1
        else:
            out.append(Run(entry, entry.at, 1))
    return out


@router.get("/my-data", response_class=HTMLResponse)
def my_data(page: PageCtx, session: DB) -> HTMLResponse:
    row = me(page, session)
    log = privacy.access_log(session, page.ctx.actor, row.id, at=page.ctx.now)
    return page.render(
        "mydata.html",
        log=runs(log, page.ctx.settings.zone)[:SHOWN_ROWS],
        zone=page.ctx.settings.zone,
        action_text=lambda action: action_text(page.lang, action),
        who_text=lambda entry: who_text(page.lang, entry),
    )


@router.get("/my-data/export.json")
def export(page: PageCtx, session: DB) -> Response:
    row = me(page, session)
    data = views.export(privacy.export(session, page.ctx.actor, row.id, at=page.ctx.now))
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="rughernia-my-data.json"'},
    )


@router.get("/my-data/delete", response_class=HTMLResponse)
def delete_confirm(page: PageCtx, session: DB) -> HTMLResponse:
    me(page, session)
    return page.render("delete.html", error=False)


@router.post("/my-data/delete", response_class=HTMLResponse)
@takes_form
async def delete(page: PageCtx, session: DB) -> Response:
    row = await run_in_threadpool(me, page, session)  # the database in a worker thread
    form = await page.form()
    if form.get("confirm") != "yes":
        return page.render("delete.html", 422, error=True)
    await run_in_threadpool(privacy.erase, session, page.ctx.actor, row.id, at=page.ctx.now)
    response = page.render("deleted.html")
    signing.clear_session_cookies(response)
    return response
