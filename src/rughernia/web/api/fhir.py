"""The record as FHIR R4 (a Bundle of type collection), for the clinician's EHR.

The route only calls care (access, audit, the assessment as of today) and renders
with the pure mapping of ``rughernia.interop``; see docs/interop.md.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rughernia.care import assessment
from rughernia.interop.fhir_export import PatientRef, bundle
from rughernia.web.api.inputs import PatientId
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import CONFLICT, PATIENT

router = APIRouter(tags=["fhir"])

FHIR_JSON = "application/fhir+json"


@router.get(
    "/patients/{patient_id}/fhir",
    responses={
        **PATIENT,
        **CONFLICT,
        200: {"description": "A FHIR R4 Bundle (collection)", "content": {FHIR_JSON: {}}},
    },
    summary="The record as a FHIR R4 Bundle: Patient, Condition, pain scores, medication, "
    "the assessment as of today (RiskAssessment, Flags, CarePlan)",
)
def fhir_export(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    now = assessment.current(
        session, ctx.actor, patient_id, "fhir.export", today=ctx.today, at=ctx.now
    )
    patient = now.patient
    ref = PatientRef(str(patient.id), patient.display_name, now.case.language)
    data = bundle(now.case, now.assessment, ref, alarm_acknowledged=now.acknowledged)
    return JSONResponse(data, media_type=FHIR_JSON)
