"""Assessing the stored record, its history, and acknowledging alarms."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rughernia.store import assessments, audit
from rughernia.store.tables import MAX_ID
from rughernia.web import idempotency, reassess
from rughernia.web.access import done, patient_for
from rughernia.web.api import views
from rughernia.web.api.errors import CONFLICT, PATIENT
from rughernia.web.api.params import AssessmentId, IdempotencyKey, PatientId
from rughernia.web.api.schemas import AckBody, AssessmentHistory, StoredAssessment
from rughernia.web.context import DB, UserCtx
from rughernia.web.problems import ApiError

router = APIRouter(tags=["assessments"])

# Levels at which the clinician must act the same hour or day (CLINICAL.md §1).
ALARM_TRIAGE = frozenset({"emergency", "urgent"})


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
    row = patient_for(session, ctx, patient_id, "assessment.read")
    found = reassess.assess_and_store(session, row.id, ctx.today, language or row.language, "read")
    if found is None:
        done(session, ctx, "assessment.read", [row.id])
        raise ApiError(409, "intake-required", "No intake yet, so nothing to assess")
    out = views.stored_assessment(*found)
    done(session, ctx, "assessment.read", [row.id])
    return JSONResponse(out)


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
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> JSONResponse:
    row = patient_for(session, ctx, patient_id, "assessment.history")
    rows = assessments.history(session, row.id, limit=limit, before_id=before_id)
    acks = assessments.acknowledgements(session, [r.id for r in rows])
    out = {
        "assessments": [views.stored_assessment(r, acks.get(r.id)) for r in rows],
        "next_before_id": rows[-1].id if len(rows) == limit else None,
    }
    done(session, ctx, "assessment.history", [row.id])
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
    row = patient_for(session, ctx, patient_id, "assessment.history")
    found = assessments.assessment(session, row.id, assessment_id)
    done(session, ctx, "assessment.history", [row.id])
    if found is None:
        raise ApiError(404, "not-found", "No such assessment for this patient")
    return JSONResponse(
        views.stored_assessment(found, assessments.acknowledgement(session, found.id))
    )


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
    row = patient_for(session, ctx, patient_id, "alarm.acknowledge", roles=("clinician",))
    note = body.note if body else ""
    key = idempotency.check_key(idempotency_key)
    path = f"/patients/{row.id}/alarms/{assessment_id}/acknowledge"
    print_ = idempotency.fingerprint("POST", path, {"note": note})
    replayed = idempotency.replay(session, ctx, key, print_)
    if replayed is not None:
        return replayed
    found = assessments.assessment(session, row.id, assessment_id)
    if found is None:
        audit.write(session, ctx.actor, "alarm.acknowledge", "not-found", [row.id])
        session.commit()
        raise ApiError(404, "not-found", "No such assessment for this patient")
    if found.triage not in ALARM_TRIAGE:
        raise ApiError(
            409, "no-alarm", f"This assessment's triage is {found.triage}: nothing to acknowledge"
        )
    assert ctx.user is not None
    ack, _new = assessments.acknowledge(
        session, found, user_id=ctx.user.id, user_name=ctx.user.username, note=note
    )
    out = views.stored_assessment(found, ack)
    idempotency.remember(session, ctx, key, print_, 200, out, row.id)
    done(session, ctx, "alarm.acknowledge", [row.id])
    return JSONResponse(out)
