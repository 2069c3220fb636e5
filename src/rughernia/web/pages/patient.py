"""A signed-in patient's pages: the intake, Today, and the daily diary.

Each handler finds the patient's own record, parses its form, calls ``rughernia.care``
(the same functions as the JSON routes: the same access, audit and re-assessment) and
renders. Another person's record is never reachable: every page works on one's own.
"""

from __future__ import annotations

import datetime as dt
import re

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from rughernia.care import assessment, diary, intake, patients, selfcheck
from rughernia.care.errors import Invalid, NotFound, NotSignedIn
from rughernia.care.shapes import Patient
from rughernia.content import load as load_content
from rughernia.content.questionnaire import load as load_questionnaire
from rughernia.content.questionnaire import whole_number
from rughernia.pathway import plan
from rughernia.web.context import DB
from rughernia.web.pages import answers
from rughernia.web.pages.frame import Page, PageCtx, shown, takes_form
from rughernia.web.pages.render import tr

router = APIRouter()
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SCALE = [(str(n), str(n)) for n in range(11)]


def me(page: Page, session: DB) -> Patient:
    """The signed-in patient's own record (a sign-in first, else not found)."""
    actor = page.ctx.actor
    if actor.user_id is None:
        raise NotSignedIn("Sign in first")
    row = patients.own_record(session, actor)
    if row is None:
        raise NotFound("These pages are for patients")
    # A patient's pages speak the language of their record, which is the language of the
    # assessment's texts too (the switch changes both): never English chrome around Dutch
    # advice because a cookie said otherwise.
    if row.language in ("nl", "en"):
        page.lang = "en" if row.language == "en" else "nl"
    return row


@router.get("/intake", response_class=HTMLResponse)
def intake_form(page: PageCtx, session: DB) -> HTMLResponse:
    me(page, session)
    return _intake(page, {}, {})


def _questions_page(
    page: Page,
    template: str,
    questions: tuple[str, ...],
    raw: dict[str, str],
    errors: dict[str, str],
    **data: object,
) -> HTMLResponse:
    """A form of questions (the intake, a diary day), with what was typed in ``raw``; with
    ``errors`` a 422 with each message beside its field."""
    texts = load_questionnaire(page.lang)
    return page.render(
        template,
        422 if errors else 200,
        questions=[texts.questions[q] for q in questions],
        raw=raw,
        errors=errors,
        today=page.ctx.today.isoformat(),
        **data,
    )


def _answers(
    page: Page, form: FormData, questions: tuple[str, ...], optional: tuple[str, ...]
) -> answers.Filled:
    texts = load_questionnaire(page.lang)
    return answers.read_all(texts, form, questions, page.ctx.today, page.lang, optional=optional)


def _intake(page: Page, raw: dict[str, str], errors: dict[str, str]) -> HTMLResponse:
    return _questions_page(page, "intake.html", selfcheck.INTAKE_QUESTIONS, raw, errors)


@router.post("/intake", response_class=HTMLResponse)
@takes_form
async def intake_save(page: PageCtx, session: DB) -> Response:
    # Async only to read the form; the rest in one worker thread, as ``diary_save``.
    posted = await page.posted()
    return await run_in_threadpool(_save_intake, page, session, posted)


def _save_intake(page: Page, session: DB, posted: FormData | None) -> Response:
    row = me(page, session)
    form = page.checked(posted)
    filled = _answers(page, form, selfcheck.INTAKE_QUESTIONS, ("age", "weight_kg"))
    if filled.errors:
        return _intake(page, filled.raw, filled.errors)
    body = selfcheck.intake_sections(filled.answers, page.ctx.today, page.lang)
    try:
        intake.write(session, page.ctx.actor, row.id, body, today=page.ctx.today, at=page.ctx.now)
    except Invalid as refused:
        # Filled in, it can still break one rule: a diary day already kept lies before the
        # new onset (pathway.checks, named "onset" by care.case). Shown at the onset, with
        # every answer kept.
        if not refused.problems or not all(p.path == "onset" for p in refused.problems):
            raise
        filled.errors["onset"] = tr(
            page.lang,
            "Your diary already has days before this date. Choose the day your leg pain "
            "began, on or before your first diary day.",
        )
        return _intake(page, filled.raw, filled.errors)
    return page.redirect("/today")


@router.get("/today", response_class=HTMLResponse)
def today(page: PageCtx, session: DB) -> HTMLResponse:
    row = me(page, session)
    now = assessment.current(
        session, page.ctx.actor, row.id, "assessment.read", today=page.ctx.today, at=page.ctx.now
    )
    content = load_content()
    filled = any(e.date == page.ctx.today for e in now.case.diary)
    return page.render(
        "today.html",
        assessment=shown(now.assessment),
        week=plan.week_of(now.case),
        checkpoint=plan.checkpoint_date(now.case, content),
        checkpoint_week=content.thresholds.checkpoint_day // 7,
        filled=filled,
        today=page.ctx.today,
        saved=page.request.query_params.get("saved") == "1",
    )


def _day(text: str, page: Page) -> dt.date:
    # One way to write a day: fromisoformat also takes 2026-W01-5 and 20260105.
    if not _ISO_DAY.fullmatch(text):
        raise NotFound("No such day")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise NotFound("No such day") from None
    if day > page.ctx.today:
        raise NotFound("No such day")
    return day


@router.get("/diary", response_class=HTMLResponse)
def diary_list(page: PageCtx, session: DB) -> HTMLResponse:
    row = me(page, session)
    entries = diary.days(session, page.ctx.actor, row.id, None, None, at=page.ctx.now)
    days = {e["date"] for e in entries}
    return page.render(
        "diary_list.html",
        entries=list(reversed(entries)),
        today=page.ctx.today,
        today_done=page.ctx.today.isoformat() in days,
        parse=dt.date.fromisoformat,
    )


@router.get("/diary/{day}", response_class=HTMLResponse)
def diary_form(day: str, page: PageCtx, session: DB) -> HTMLResponse:
    row = me(page, session)
    date = _day(day, page)
    entries = diary.days(session, page.ctx.actor, row.id, date, date, at=page.ctx.now)
    raw = _raw_of(entries[0], page) if entries else {}
    return _diary(page, date, raw, {}, edit=bool(entries))


def _raw_of(entry: dict[str, object], page: Page) -> dict[str, str]:
    """A stored entry as the form's values, to edit it. The alarm questions are never
    filled in: they are answered anew each time."""
    texts = load_questionnaire(page.lang)
    raw = {k: str(entry[k]) for k in ("leg_pain", "back_pain") if entry.get(k) is not None}
    fields = {
        "pain_tolerable": "pain_tolerable",
        "painkillers_as_scheduled": "painkillers_as_scheduled",
        "nsaid_taken": "nsaid_taken",
        "opioid_taken": "opioid_taken",
        "exercised": "exercised",
    }
    for qid, key in fields.items():
        options: list[object] = [o.value for o in texts.questions[qid].options]
        if key in entry and entry[key] in options:
            raw[qid] = str(options.index(entry[key]))
    mg = entry.get("paracetamol_mg")
    if isinstance(mg, int):
        raw["paracetamol_tablets"] = str(mg // selfcheck.MG_PER_TABLET)
    hours = entry.get("hours_lying_daytime")
    if isinstance(hours, int | float):
        raw["hours_lying"] = f"{hours:g}".replace(".", "," if page.lang == "nl" else ".")
    if isinstance(entry.get("note"), str):
        raw["note"] = str(entry["note"])
    return raw


def _diary(
    page: Page, date: dt.date, raw: dict[str, str], errors: dict[str, str], *, edit: bool
) -> HTMLResponse:
    texts = load_questionnaire(page.lang)
    return _questions_page(
        page,
        "diary_form.html",
        selfcheck.DIARY_QUESTIONS,
        raw,
        errors,
        date=date,
        is_today=date == page.ctx.today,
        edit=edit,
        leg=texts.questions["leg_pain"],
        back=texts.questions["back_pain"],
        scale=SCALE,
    )


@router.post("/diary/{day}", response_class=HTMLResponse)
@takes_form
async def diary_save(day: str, page: PageCtx, session: DB) -> Response:
    # One hop to a worker thread for everything but reading the form. The request holds
    # its database connection (on SQLite the process's only one) from the start, so each
    # further hop would be a wait for the busy event loop with that connection idle: with
    # three hops (the record, the CSRF check, the save) the form post did 0.6 x the JSON's
    # writes under load, and it does the same work in one.
    posted = await page.posted()
    return await run_in_threadpool(_save_diary, page, session, day, posted)


def _save_diary(page: Page, session: DB, day: str, posted: FormData | None) -> Response:
    row = me(page, session)
    date = _day(day, page)
    form = page.checked(posted)
    filled = _answers(page, form, selfcheck.DIARY_QUESTIONS, ("paracetamol_tablets", "hours_lying"))
    pain: dict[str, int | None] = {}
    for key in ("leg_pain", "back_pain"):
        value = str(form.get(key) or "")
        filled.raw[key] = value
        pain[key] = whole_number(value, 10)
        if pain[key] is None:
            filled.errors[key] = tr(page.lang, "Choose a number from 0 to 10.")
    # CRLF as one character, as the browser counts it against maxlength.
    note = str(form.get("note") or "").replace("\r\n", "\n").strip()
    filled.raw["note"] = note
    if len(note) > 2000:
        filled.errors["note"] = tr(page.lang, "Write at most 2000 characters.")
    elif "\x00" in note:  # no keyboard types it; a pasted one cannot be stored
        filled.errors["note"] = tr(page.lang, "Remove the invisible characters from the note.")
    if filled.errors:
        return _diary(page, date, filled.raw, filled.errors, edit=False)
    leg = pain["leg_pain"]
    assert leg is not None
    entry = selfcheck.diary_entry(filled.answers, leg, pain["back_pain"])
    if note:
        entry["note"] = note
    try:
        diary.save_day(
            session,
            page.ctx.actor,
            row.id,
            date,
            entry,
            today=page.ctx.today,
            at=page.ctx.now,
            alarms=selfcheck.alarm_report(filled.answers),
        )
    except Invalid as refused:
        # The one rule a filled-in form can still break is the day's (pathway.checks: not
        # before the onset). Shown on the form, with what was typed, not as an error page.
        if not refused.problems or not all(p.path.endswith("date") for p in refused.problems):
            raise
        filled.errors["date"] = tr(
            page.lang,
            "This day is before your leg pain began. You gave that date in the first "
            "questions. Choose a later day. Is that date not right? Talk to your GP.",
        )
        return _diary(page, date, filled.raw, filled.errors, edit=False)
    return page.redirect("/today?saved=1")
