"""Assessing the stored record, its history, and acknowledging alarms: parse, call, render."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rughernia.care import alarms, assessment
from rughernia.care.alarms import Acknowledged
from rughernia.care.once import Answer
from rughernia.care.shapes import MAX_ID
from rughernia.web.api import views
from rughernia.web.api.inputs import AssessmentId, IdempotencyKey, PatientId, once
from rughernia.web.api.schemas import AckBody, AssessmentHistory, StoredAssessment
from rughernia.web.context import DB, UserCtx
from rughernia.web.ids import canonical
from rughernia.web.problem_responses import CONFLICT, PATIENT

router = APIRouter(tags=["assessments"])


@router.get(
    "/patients/{patient_id}/assessment",
    response_model=StoredAssessment,
    responses={**PATIENT, **CONFLICT},
    summary="Assess the stored record as of today (Europe/Amsterdam), store and return it",
    description=(
        "Stores the result unless the newest stored assessment is this same assessment of "
        "the same day; then that one is returned (same id, with its acknowledgement)."
    ),
)
def assess_now(
    patient_id: PatientId,
    ctx: UserCtx,
    session: DB,
    language: Annotated[Literal["nl", "en"] | None, Query()] = None,
) -> JSONResponse:
    found = assessment.assess_now(
        session, ctx.actor, patient_id, today=ctx.today, language=language, at=ctx.now
    )
    return JSONResponse(views.stored_assessment(*found))


@router.get(
    "/patients/{patient_id}/assessments",
    response_model=AssessmentHistory,
    responses=PATIENT,
    summary="Stored assessments, newest first",
)
def history(
    patient_id: PatientId,
    ctx: UserCtx,
    session: DB,
    limit: Annotated[int, Query(ge=1, le=200), canonical(200)] = 50,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID), canonical(MAX_ID)] = None,
) -> JSONResponse:
    rows, acks = assessment.history(
        session, ctx.actor, patient_id, limit=limit, before_id=before_id, at=ctx.now
    )
    out = {
        "assessments": [views.stored_assessment(r, acks.get(r.id)) for r in rows],
        "next_before_id": rows[-1].id if len(rows) == limit else None,
    }
    return JSONResponse(out)


@router.get(
    "/patients/{patient_id}/assessments/{assessment_id}",
    response_model=StoredAssessment,
    responses=PATIENT,
    summary="One stored assessment",
)
def one(
    patient_id: PatientId, assessment_id: AssessmentId, ctx: UserCtx, session: DB
) -> JSONResponse:
    found = assessment.one(session, ctx.actor, patient_id, assessment_id, at=ctx.now)
    return JSONResponse(views.stored_assessment(*found))


def _acknowledged(found: Acknowledged) -> Answer:
    return 200, views.stored_assessment(*found)


@router.post(
    "/patients/{patient_id}/alarms/{assessment_id}/acknowledge",
    response_model=StoredAssessment,
    responses={**PATIENT, **CONFLICT},
    summary="Acknowledge an alarm (clinicians); acknowledging twice keeps the first",
)
def acknowledge(
    patient_id: PatientId,
    assessment_id: AssessmentId,
    ctx: UserCtx,
    session: DB,
    body: AckBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    note = body.note if body else ""
    path = f"/patients/{patient_id}/alarms/{assessment_id}/acknowledge"
    retry = once(ctx, idempotency_key, "POST", path, {"note": note}, _acknowledged)
    found = alarms.acknowledge(
        session, ctx.actor, patient_id, assessment_id, note, today=ctx.today, at=ctx.now, once=retry
    )
    status, out = _acknowledged(found)
    return JSONResponse(out, status)
