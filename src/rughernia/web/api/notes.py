"""The clinician's notes and findings acknowledged until a review date: parse, call, render."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rughernia.care import findings, notes
from rughernia.care.once import Answer
from rughernia.care.shapes import ClinicalNote, FindingAck
from rughernia.web.api import views
from rughernia.web.api.inputs import IdempotencyKey, PatientId, once, parse_date
from rughernia.web.api.schemas import (
    FindingAckBody,
    FindingAckList,
    FindingAckOut,
    NoteBody,
    NoteList,
    NoteOut,
)
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import PATIENT

router = APIRouter(tags=["notes"])


@router.get(
    "/patients/{patient_id}/notes",
    response_model=NoteList,
    responses=PATIENT,
    summary="The clinicians' notes on the record, newest first (clinicians)",
)
def list_notes(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    rows = notes.read(session, ctx.actor, patient_id, at=ctx.now)
    return JSONResponse({"notes": [views.note(n) for n in rows]})


def _note_added(row: ClinicalNote) -> Answer:
    return 201, views.note(row)


@router.post(
    "/patients/{patient_id}/notes",
    response_model=NoteOut,
    status_code=201,
    responses=PATIENT,
    summary="Add a note, or record that an MRI or a referral was arranged (clinicians)",
)
def add_note(
    patient_id: PatientId,
    body: NoteBody,
    ctx: UserCtx,
    session: DB,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    path = f"/patients/{patient_id}/notes"
    retry = once(ctx, idempotency_key, "POST", path, body.model_dump(), _note_added)
    row = notes.add(session, ctx.actor, patient_id, body.kind, body.text, at=ctx.now, once=retry)
    status, out = _note_added(row)
    return JSONResponse(out, status)


@router.get(
    "/patients/{patient_id}/finding-acknowledgements",
    response_model=FindingAckList,
    responses=PATIENT,
    summary="Findings acknowledged until a review date, newest first, each with whether it "
    "is still in force (clinicians)",
)
def list_finding_acks(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    found = findings.read(session, ctx.actor, patient_id, today=ctx.today, at=ctx.now)
    return JSONResponse({"acknowledgements": [views.acknowledgement_seen(a) for a in found]})


def _acknowledged(row: FindingAck) -> Answer:
    # Just given, on the record as it stands and before its date: in force.
    return 201, views.finding_ack(row, in_force=True)


@router.post(
    "/patients/{patient_id}/finding-acknowledgements",
    response_model=FindingAckOut,
    status_code=201,
    responses=PATIENT,
    summary="Acknowledge a finding until a review date (clinicians)",
    description=(
        "The worklist then ranks the patient by their other reasons until the date has "
        "passed or anything in the record changes. The patient's own assessment and advice "
        "do not change. Never for an emergency, a cauda equina sign, fever or a paracetamol "
        "finding; the code must be a finding of the assessment as of today."
    ),
)
def acknowledge_finding(
    patient_id: PatientId,
    body: FindingAckBody,
    ctx: UserCtx,
    session: DB,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    until = parse_date(body.until, "until")
    path = f"/patients/{patient_id}/finding-acknowledgements"
    retry = once(ctx, idempotency_key, "POST", path, body.model_dump(), _acknowledged)
    row = findings.acknowledge(
        session,
        ctx.actor,
        patient_id,
        body.code,
        until,
        body.note,
        today=ctx.today,
        at=ctx.now,
        once=retry,
    )
    status, out = _acknowledged(row)
    return JSONResponse(out, status)
