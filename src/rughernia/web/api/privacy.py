"""The patient's rights: export everything, see who looked, and erasure."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from rughernia.store import accounts, assessments, audit, record
from rughernia.web.access import done, patient_for
from rughernia.web.api import views
from rughernia.web.api.errors import PATIENT
from rughernia.web.api.params import PatientId
from rughernia.web.api.schemas import AccessLog, Export
from rughernia.web.context import DB, UserCtx

router = APIRouter(tags=["privacy"])


@router.get(
    "/patients/{patient_id}/export",
    response_model=Export,
    responses=PATIENT,
    summary="Everything stored about the patient, as JSON",
)
def export(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    row = patient_for(session, ctx, patient_id, "patient.export")
    stored = assessments.all_of(session, row.id)
    acks = assessments.acknowledgements(session, [a.id for a in stored])
    out = {
        "exported_at": views.iso(ctx.now),
        "patient": views.patient(row),
        "intake": record.intake(session, row.id),
        "diary": [record.diary_dict(e) for e in record.diary(session, row.id)],
        "medication": record.medication_dict(record.medication(session, row.id)),
        "medication_history": [
            views.medication_change(c, record.medication_dict(c))
            for c in record.medication_history(session, row.id)
        ],
        "assessments": [views.stored_assessment(a, acks.get(a.id)) for a in stored],
        "access_log": [views.access_entry(a) for a in audit.for_patient(session, row.id)],
    }
    done(session, ctx, "patient.export", [row.id])
    return JSONResponse(out)


@router.get(
    "/patients/{patient_id}/access-log",
    response_model=AccessLog,
    responses=PATIENT,
    summary="Who read or changed this record, newest first",
)
def access_log(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    row = patient_for(session, ctx, patient_id, "access_log.read")
    entries = [views.access_entry(a) for a in audit.for_patient(session, row.id)]
    done(session, ctx, "access_log.read", [row.id])
    return JSONResponse({"entries": entries})


@router.delete(
    "/patients/{patient_id}",
    status_code=204,
    responses=PATIENT,
    summary="Erase the patient's record and account (the patient, or an admin on request)",
)
def erase(patient_id: PatientId, ctx: UserCtx, session: DB) -> Response:
    row = patient_for(session, ctx, patient_id, "patient.erase", roles=("patient", "admin"))
    user_id = row.user_id
    record.erase_patient(session, row.id)
    if user_id is not None:
        accounts.delete_user(session, user_id)
    # The audit entry names the action and the old id, nothing of the record itself.
    done(session, ctx, "patient.erase", [patient_id])
    return Response(status_code=204)
