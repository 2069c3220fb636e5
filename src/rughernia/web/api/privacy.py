"""The patient's rights: export everything, see who looked, and erasure."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from rughernia.care import privacy
from rughernia.web.api import views
from rughernia.web.api.inputs import PatientId
from rughernia.web.api.schemas import AccessLog, Export
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import PATIENT

router = APIRouter(tags=["privacy"])


@router.get(
    "/patients/{patient_id}/export",
    response_model=Export,
    responses=PATIENT,
    summary="Everything stored about the patient, as JSON",
)
def export(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    return JSONResponse(views.export(privacy.export(session, ctx.actor, patient_id, at=ctx.now)))


@router.get(
    "/patients/{patient_id}/access-log",
    response_model=AccessLog,
    responses=PATIENT,
    summary="Who read or changed this record, newest first",
)
def access_log(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    rows = privacy.access_log(session, ctx.actor, patient_id, at=ctx.now)
    return JSONResponse({"entries": [views.access_entry(a) for a in rows]})


@router.delete(
    "/patients/{patient_id}",
    status_code=204,
    responses=PATIENT,
    summary="Erase the patient's record and account (the patient, or an admin on request)",
)
def erase(patient_id: PatientId, ctx: UserCtx, session: DB) -> Response:
    privacy.erase(session, ctx.actor, patient_id, at=ctx.now)
    return Response(status_code=204)
