"""The intake (patient or clinician) and medication (clinicians) routes; both writes re-assess."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from rughernia.care import intake, medication
from rughernia.web.api import views
from rughernia.web.api.inputs import PatientId, documented, json_body, json_object
from rughernia.web.api.schemas import (
    IntakeBody,
    IntakeOut,
    MedicationBody,
    MedicationOut,
    MedicationPreview,
    MedicationPreviewBody,
)
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import CONFLICT, PATIENT

router = APIRouter(tags=["record"])


@router.get(
    "/patients/{patient_id}/intake",
    response_model=IntakeBody,
    responses=PATIENT,
    summary="The intake answers",
)
def get_intake(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    return JSONResponse(intake.read(session, ctx.actor, patient_id, at=ctx.now))


@router.put(
    "/patients/{patient_id}/intake",
    response_model=IntakeOut,
    responses={**PATIENT, **CONFLICT},
    openapi_extra=documented(IntakeBody),
    summary="Write the intake answers and re-assess",
)
def put_intake(
    patient_id: PatientId, data: Annotated[Any, Depends(json_body)], ctx: UserCtx, session: DB
) -> JSONResponse:
    body = json_object(data)
    saved = intake.write(session, ctx.actor, patient_id, body, today=ctx.today, at=ctx.now)
    return JSONResponse(
        {"intake": saved.intake, "assessment": views.stored_assessment(saved.assessment)}
    )


@router.get(
    "/patients/{patient_id}/medication",
    response_model=MedicationOut,
    responses=PATIENT,
    summary="The medication and its history (who, when, why)",
)
def get_medication(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    return JSONResponse(
        views.medication(medication.read(session, ctx.actor, patient_id, at=ctx.now))
    )


@router.put(
    "/patients/{patient_id}/medication",
    response_model=MedicationOut,
    responses=PATIENT,
    openapi_extra=documented(MedicationBody),
    summary="Change the medication step (clinicians; the reason is kept)",
)
def put_medication(
    patient_id: PatientId, data: Annotated[Any, Depends(json_body)], ctx: UserCtx, session: DB
) -> JSONResponse:
    body = json_object(data)
    changed = medication.write(session, ctx.actor, patient_id, body, today=ctx.today, at=ctx.now)
    return JSONResponse(views.medication(changed))


@router.post(
    "/patients/{patient_id}/medication/preview",
    response_model=MedicationPreview,
    responses={**PATIENT, **CONFLICT},
    openapi_extra=documented(MedicationPreviewBody),
    summary="What a medication change would bring, before saving it (clinicians)",
    description=(
        "Assesses the record as of today with the proposed medication and answers the "
        "assessment now and with the change, and the findings and advice the change would "
        "bring (NSAID cautions, stomach protection, the opioid's duration, a laxative). "
        "The body is validated as for PUT .../medication; nothing is stored."
    ),
)
def preview_medication(
    patient_id: PatientId,
    data: Annotated[Any, Depends(json_body)],
    ctx: UserCtx,
    session: DB,
    language: Annotated[Literal["nl", "en"] | None, Query()] = None,
) -> JSONResponse:
    body = json_object(data)
    found = medication.preview(
        session, ctx.actor, patient_id, body, today=ctx.today, at=ctx.now, language=language
    )
    return JSONResponse(views.preview(found))
