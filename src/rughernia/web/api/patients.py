"""The list of patients, creating a patient with an invitation, one patient's summary, and
a password reset code for a patient's account (clinicians)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rughernia.care import password_reset, patients
from rughernia.care.once import Answer
from rughernia.care.patients import Created
from rughernia.web.api import views
from rughernia.web.api.inputs import IdempotencyKey, PatientId, once
from rughernia.web.api.schemas import NewPatient, PatientCreated, PatientOut, ResetIssued
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import CONFLICT, PATIENT, SIGNED_IN

router = APIRouter(tags=["patients"])


@router.get(
    "/patients",
    response_model=list[PatientOut],
    responses=SIGNED_IN,
    summary="Patients: a clinician's teams' patients, or a patient's own record",
)
def list_patients(ctx: UserCtx, session: DB) -> JSONResponse:
    found = patients.list_patients(session, ctx.actor, at=ctx.now)
    return JSONResponse([views.listed(p) for p in found])


def _created(found: Created) -> Answer:
    return 201, {
        "patient": views.patient(found.patient),
        "invitation_code": found.invitation_code,
        "invitation_expires_at": views.iso(found.invitation_expires_at),
    }


@router.post(
    "/patients",
    status_code=201,
    response_model=PatientCreated,
    responses=SIGNED_IN,
    summary="Create a patient with an invitation code (clinicians)",
)
def create_patient(
    body: NewPatient, ctx: UserCtx, session: DB, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    created = patients.create_patient(
        session,
        ctx.actor,
        display_name=body.display_name,
        language=body.language,
        team_id=body.team_id,
        invitation_days=ctx.settings.invitation_days,
        at=ctx.now,
        once=once(ctx, idempotency_key, "POST", "/patients", body.model_dump(), _created),
    )
    status, out = _created(created)
    return JSONResponse(out, status)


@router.get(
    "/patients/{patient_id}",
    response_model=PatientOut,
    responses=PATIENT,
    summary="One patient, with the newest assessment",
)
def get_patient(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    return JSONResponse(
        views.listed(patients.read_patient(session, ctx.actor, patient_id, at=ctx.now))
    )


@router.post(
    "/patients/{patient_id}/password-reset",
    status_code=201,
    response_model=ResetIssued,
    responses={**PATIENT, **CONFLICT},
    summary="A one-time password reset code for a patient of one's team (clinicians)",
)
def reset_patient_password(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    hours = ctx.settings.reset_code_hours
    issued = password_reset.for_patient(session, ctx.actor, patient_id, hours=hours, at=ctx.now)
    return JSONResponse(views.reset_issued(issued), 201)
