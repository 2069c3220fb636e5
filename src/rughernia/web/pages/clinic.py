"""A patient's page for their clinician: the course, the diary, the assessments with their
findings and sources, the medication and its history, notes; and the clinician's actions.

Every action is a plain form post (htmx boosts it), calls the same ``rughernia.care``
function as the JSON route (the same access check for the team, audit, idempotency,
re-assessment) and comes back to this page. Changing the medication shows first what
the new step would bring (``care.medication.preview``: ``assess()`` on the record with
the proposed step); only the second press, with a reason, stores it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from rughernia.care import alarms, assessment, findings, medication, notes, worklist
from rughernia.care.errors import Invalid, NotFound, Superseded
from rughernia.care.shapes import MAX_ID
from rughernia.content import information
from rughernia.content import load as load_content
from rughernia.content.worklist import rules_and_words
from rughernia.contract.case import NSAIDS
from rughernia.pathway import plan
from rughernia.pathway.acknowledgement import may_acknowledge
from rughernia.web.context import DB
from rughernia.web.ids import canonical_int
from rughernia.web.pages.course import BOTTOM, LEFT, TOP, H, W, chart
from rughernia.web.pages.frame import Page, PageCtx, shown, takes_form
from rughernia.web.pages.render import tr

router = APIRouter()
HISTORY = 20  # assessments shown
NOTE_KINDS = ("note", "mri", "referral")


def _patient_id(patient_id: str) -> int:
    """The path's patient id, written canonically and in range (as the API's ``PatientId``);
    anything else names no patient: the 404 page, not a database error."""
    found = canonical_int(patient_id, MAX_ID)
    if found is None:
        raise NotFound("No such patient")
    return found


PatientPath = Annotated[int, Depends(_patient_id)]


def _view(
    page: Page,
    session: DB,
    patient_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    preview: medication.Preview | None = None,
) -> HTMLResponse:
    actor, today, at = page.ctx.actor, page.ctx.today, page.ctx.now
    # First a read for clinicians only: anyone else is refused (and audited) before any
    # of the record is read, a patient even for their own record.
    kept = notes.read(session, actor, patient_id, at=at)
    now = assessment.current(session, actor, patient_id, "assessment.read", today=today, at=at)
    history, acks = assessment.history(
        session, actor, patient_id, limit=HISTORY, before_id=None, at=at
    )
    meds = medication.read(session, actor, patient_id, at=at)
    acked = findings.read(session, actor, patient_id, today=today, at=at)
    # The worklist's rule: an acknowledgement holds until the record changes, also past
    # the day's new assessment; the page says the same.
    standing = worklist.standing_alarm_acknowledgement(session, patient_id, now.stored.triage)
    content = load_content()
    case = now.case
    start = case.onset or min((e.date for e in case.diary), default=today)
    data = shown(now.assessment)
    trend = data.get("trend") or {}
    baseline = trend.get("baseline_leg_pain")
    _, words = rules_and_words()
    return page.render(
        "clinic_patient.html",
        status,
        patient=now.patient,
        assessment=data,
        stored=now.stored,
        alarm_open=now.stored.triage in alarms.ALARM_TRIAGE
        and not now.acknowledged
        and not standing,
        acknowledgement=now.stored.acknowledgement,
        standing=standing,
        week=plan.week_of(case),
        checkpoint=plan.checkpoint_date(case, content),
        chart=chart(case.diary, start, baseline),
        size=(W, H, LEFT, TOP, BOTTOM),
        entries=sorted(case.diary, key=lambda e: e.date),
        start=start,
        has_band=bool(baseline),
        source=information.expected_course().source,
        history=history,
        history_acks=acks,
        medication=meds,
        notes=kept,
        finding_acks=acked,
        acknowledgeable=[f for f in data["findings"] if may_acknowledge(str(f["code"]), content)],
        words=words,
        nsaids=NSAIDS,
        note_kinds=NOTE_KINDS,
        preview=preview,
        errors=errors or {},
        raw=raw or {},
        today=today,
        tomorrow=(today + dt.timedelta(days=1)).isoformat(),
        yesno=lambda value: _yes_no(value, page),
        saved=page.request.query_params.get("saved", ""),
    )


def _yes_no(value: bool | None, page: Page) -> str:
    if value is None:
        return "–"
    return tr(page.lang, "yes") if value else tr(page.lang, "no")


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(patient_id: PatientPath, page: PageCtx, session: DB) -> HTMLResponse:
    return _view(page, session, patient_id)


def _superseded(page: Page) -> str:
    return tr(
        page.lang,
        "The record changed since you opened this page. Look at today's assessment above,"
        " then acknowledge the alarm again.",
    )


def _text(form: FormData, name: str) -> str:
    # A browser sends a textarea's line break as CRLF but counts it as one character
    # against maxlength; so do we, and store it as one.
    return str(form.get(name) or "").replace("\r\n", "\n").strip()


def _problems(page: Page, error: Invalid, fields: dict[str, str] | None = None) -> dict[str, str]:
    """The care layer's problems by field (the last part of each path), named as the form
    names them where ``fields`` says the form's name differs, each said in the page's
    language: the care layer's own messages are the API's, in English."""
    out: dict[str, str] = {}
    for problem in error.problems:
        name = problem.path.split(".")[-1] or "form"
        out.setdefault((fields or {}).get(name, name), _field_text(page, name))
    return out


def _field_text(page: Page, name: str) -> str:
    if name == "until":
        return tr(page.lang, "Choose a review date after today, at most a year ahead.")
    if name.endswith("_since"):
        return tr(page.lang, "Choose a start date that is not after today.")
    if name in ("step", "nsaid", "kind"):
        return tr(page.lang, "Choose one from the list.")
    if name == "code":
        return tr(
            page.lang,
            "This finding cannot be acknowledged until a date: it is not in today's "
            "assessment, or it must be acted on each time.",
        )
    if name in ("note", "text", "reason"):
        return tr(page.lang, "Write this again: it is too long or holds invisible characters.")
    return tr(page.lang, "This was not accepted. Check the form and try again.")


async def _act(
    page: Page,
    session: DB,
    patient_id: int,
    form: FormData,
    errors: dict[str, str],
    work: Any,
    saved: str,
    fields: dict[str, str] | None = None,
) -> Response:
    """Run ``work`` (a care call) unless the form has errors; back to the page either way."""
    raw = {k: str(v) for k, v in form.items() if k != "csrf"}
    if not errors:
        try:
            await run_in_threadpool(work)
        except Invalid as error:
            errors = _problems(page, error, fields)
        except Superseded:  # the page re-rendered below shows today's assessment
            errors = {"form": _superseded(page)}
    if errors:
        return await run_in_threadpool(
            lambda: _view(page, session, patient_id, status=422, errors=errors, raw=raw)
        )
    return page.redirect(f"/patients/{patient_id}?saved={saved}")


@router.post("/patients/{patient_id}/alarm", response_class=HTMLResponse)
@takes_form
async def acknowledge_alarm(patient_id: PatientPath, page: PageCtx, session: DB) -> Response:
    form = await page.form()
    note = _text(form, "note")
    errors = {} if note else {"note": tr(page.lang, "Write what was done.")}
    sent = _text(form, "assessment_id")
    assessment_id = canonical_int(sent, MAX_ID) or 0  # 0: no such assessment, a 404
    return await _act(
        page,
        session,
        patient_id,
        form,
        errors,
        lambda: alarms.acknowledge(
            session,
            page.ctx.actor,
            patient_id,
            assessment_id,
            note,
            today=page.ctx.today,
            at=page.ctx.now,
        ),
        "alarm",
    )


@router.post("/patients/{patient_id}/notes", response_class=HTMLResponse)
@takes_form
async def add_note(patient_id: PatientPath, page: PageCtx, session: DB) -> Response:
    form = await page.form()
    kind, text = _text(form, "kind"), _text(form, "text")
    errors = {} if text else {"text": tr(page.lang, "Write the note.")}
    return await _act(
        page,
        session,
        patient_id,
        form,
        errors,
        lambda: notes.add(session, page.ctx.actor, patient_id, kind, text, at=page.ctx.now),
        "note",
    )


@router.post("/patients/{patient_id}/findings", response_class=HTMLResponse)
@takes_form
async def acknowledge_finding(patient_id: PatientPath, page: PageCtx, session: DB) -> Response:
    form = await page.form()
    code, note = _text(form, "code"), _text(form, "ack_note")
    errors: dict[str, str] = {}
    until: dt.date | None = None
    try:
        until = dt.date.fromisoformat(_text(form, "until"))
    except ValueError:
        errors["until"] = tr(page.lang, "Choose the review date.")
    if not note:
        errors["ack_note"] = tr(page.lang, "Write why, for example what was arranged.")

    def work() -> None:
        assert until is not None
        findings.acknowledge(
            session,
            page.ctx.actor,
            patient_id,
            code,
            until,
            note,
            today=page.ctx.today,
            at=page.ctx.now,
        )

    # The care layer's "note" is this form's "ack_note" ("note" is the alarm form's).
    fields = {"note": "ack_note"}
    return await _act(page, session, patient_id, form, errors, work, "finding", fields)


def _medication_body(form: FormData) -> dict[str, Any]:
    """The medication form in the contract's shape; empty fields are left out (unknown)."""
    body: dict[str, Any] = {"step": _text(form, "step")}
    if body["step"].isascii() and body["step"].isdigit() and len(body["step"]) <= 2:
        body["step"] = int(body["step"])  # anything else: the contract names the field
    for name in ("nsaid", "paracetamol_since", "nsaid_since", "opioid_since"):
        if _text(form, name):
            body[name] = _text(form, name)
    return body


@router.post("/patients/{patient_id}/medication", response_class=HTMLResponse)
@takes_form
async def change_medication(patient_id: PatientPath, page: PageCtx, session: DB) -> Response:
    form = await page.form()
    body = _medication_body(form)
    raw = {k: str(v) for k, v in form.items() if k != "csrf"}
    actor, today, at = page.ctx.actor, page.ctx.today, page.ctx.now
    if _text(form, "action") != "save":
        try:
            found = await run_in_threadpool(
                lambda: medication.preview(
                    session, actor, patient_id, body, today=today, at=at, language=page.lang
                )
            )
        except Invalid as error:
            problems = _problems(page, error)
            return await run_in_threadpool(
                lambda: _view(page, session, patient_id, status=422, errors=problems, raw=raw)
            )
        return await run_in_threadpool(
            lambda: _view(page, session, patient_id, raw=raw, preview=found)
        )
    reason = _text(form, "reason")
    errors = {} if reason else {"reason": tr(page.lang, "Write why the medication changes.")}
    if not errors:
        try:
            await run_in_threadpool(
                lambda: medication.write(
                    session, actor, patient_id, {**body, "reason": reason}, today=today, at=at
                )
            )
            return page.redirect(f"/patients/{patient_id}?saved=medication")
        except Invalid as error:
            errors = _problems(page, error)
    # Not saved: the preview again, as the reason field and the save button are part of it.
    shown: medication.Preview | None = None
    try:
        shown = await run_in_threadpool(
            lambda: medication.preview(
                session, actor, patient_id, body, today=today, at=at, language=page.lang
            )
        )
    except Invalid as error:
        errors = {**_problems(page, error), **errors}
    return await run_in_threadpool(
        lambda: _view(page, session, patient_id, status=422, errors=errors, raw=raw, preview=shown)
    )
