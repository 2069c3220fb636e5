"""Intake (patient or clinician) and medication (clinicians only); both re-assess."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from rughernia.contract import CaseInvalid, parse_case
from rughernia.pathway import Case
from rughernia.pathway.checks import Problem
from rughernia.store import record
from rughernia.store.record import Patient
from rughernia.store.tables import MEDICATION_FIELDS
from rughernia.web import reassess
from rughernia.web.access import done, patient_for
from rughernia.web.api import views
from rughernia.web.api.body import documented, json_body, json_object
from rughernia.web.api.errors import CONFLICT, PATIENT
from rughernia.web.api.params import PatientId
from rughernia.web.api.schemas import IntakeBody, IntakeOut, MedicationBody, MedicationOut
from rughernia.web.context import DB, Ctx, UserCtx
from rughernia.web.problems import ApiError, invalid

router = APIRouter(tags=["record"])

INTAKE_FIELDS = ("onset", "patient", "symptoms")
# Only to validate medication fields before any intake exists; never stored or assessed.
_PLACEHOLDER_SYMPTOMS = {
    "leg_pain_reaches": "below_knee",
    **dict.fromkeys(
        (
            "both_legs",
            "weakness",
            "weakness_severe",
            "saddle_numbness",
            "incontinence",
            "urinary_retention",
        )
    ),
}


def _base(session: Session, row: Patient, ctx: Ctx) -> dict[str, Any]:
    """The stored record as case JSON, also when there is no intake yet."""
    return {
        "today": ctx.today.isoformat(),
        "language": row.language,
        **(record.intake(session, row.id) or {}),
        "diary": [record.diary_dict(e) for e in record.diary(session, row.id)],
        "medication": record.medication_dict(record.medication(session, row.id)),
    }


def _parse(candidate: dict[str, Any], *, body: str | None = None) -> Case:
    """Parse the candidate record; problems are named as the client sent them.

    With ``body`` (the section the client sent, e.g. "medication") its prefix is
    dropped; a problem elsewhere in the stored record is a conflict with the new
    answer, named after the field the client sent that caused it.
    """
    try:
        return parse_case(candidate)
    except CaseInvalid as exc:
        problems = []
        for p in exc.problems:
            head = p.path.split(".")[0].split("[")[0]
            if body is not None and head == body:
                problems.append(Problem(p.path[len(body) + 1 :] or "body", p.message))
            elif head == "diary":
                problems.append(Problem("onset", f"conflicts with the stored diary: {p}"))
            else:
                problems.append(p)
        raise invalid(problems) from None


@router.get(
    "/patients/{patient_id}/intake",
    response_model=IntakeBody,
    responses=PATIENT,
    summary="The intake answers",
)
def get_intake(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    row = patient_for(session, ctx, patient_id, "intake.read")
    stored = record.intake(session, row.id)
    done(session, ctx, "intake.read", [row.id])
    if stored is None:
        raise ApiError(404, "not-found", "No intake yet")
    return JSONResponse(stored)


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
    unknown = [Problem(k, "is not a known field") for k in body if k not in INTAKE_FIELDS]
    if unknown:
        raise invalid(unknown)
    row = patient_for(session, ctx, patient_id, "intake.write", lock=True)
    intake = {k: body[k] for k in INTAKE_FIELDS if k in body}
    base = {k: v for k, v in _base(session, row, ctx).items() if k not in INTAKE_FIELDS}
    case = _parse({**base, **intake})
    record.put_intake(session, row.id, intake, ctx.user.id if ctx.user else None)
    stored = reassess.store(session, row.id, case, "intake")
    out = {"intake": intake, "assessment": views.stored_assessment(stored)}
    done(session, ctx, "intake.write", [row.id])
    return JSONResponse(out)


def _medication_out(session: Session, row: Patient) -> dict[str, Any]:
    history = [
        views.medication_change(c, record.medication_dict(c))
        for c in record.medication_history(session, row.id)
    ]
    current = record.medication_dict(record.medication(session, row.id))
    return {"medication": current, "history": history, "assessment": None}


@router.get(
    "/patients/{patient_id}/medication",
    response_model=MedicationOut,
    responses=PATIENT,
    summary="The medication and its history (who, when, why)",
)
def get_medication(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    row = patient_for(session, ctx, patient_id, "medication.read")
    out = _medication_out(session, row)
    done(session, ctx, "medication.read", [row.id])
    return JSONResponse(out)


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
    body = dict(json_object(data))
    reason = body.pop("reason", None)
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 1000:
        raise invalid([Problem("reason", "is required: say why, in 1 to 1000 characters")])
    row = patient_for(session, ctx, patient_id, "medication.write", roles=("clinician",), lock=True)
    base = _base(session, row, ctx)
    has_intake = "symptoms" in base
    if not has_intake:
        base["symptoms"] = _PLACEHOLDER_SYMPTOMS
    case = _parse({**base, "medication": body}, body="medication")
    assert ctx.user is not None
    values = {name: getattr(case.medication, name) for name in MEDICATION_FIELDS}
    record.set_medication(
        session, row.id, values, by=ctx.user.id, by_name=ctx.user.username, reason=reason.strip()
    )
    out = _medication_out(session, row)
    if has_intake:
        out["assessment"] = views.stored_assessment(
            reassess.store(session, row.id, case, "medication")
        )
    done(session, ctx, "medication.write", [row.id])
    return JSONResponse(out)
