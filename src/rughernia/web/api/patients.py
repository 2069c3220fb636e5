"""The list of patients, creating a patient with an invitation, and one patient's summary."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from rughernia.pathway.checks import Problem
from rughernia.store import assessments, audit, record
from rughernia.store.record import Patient
from rughernia.store.tables import PatientRow
from rughernia.web import idempotency
from rughernia.web.access import done, patient_for, require_role
from rughernia.web.api import views
from rughernia.web.api.accounts import invitation_hash
from rughernia.web.api.errors import PATIENT, SIGNED_IN
from rughernia.web.api.params import IdempotencyKey, PatientId
from rughernia.web.api.schemas import NewPatient, PatientCreated, PatientOut
from rughernia.web.context import DB, UserCtx
from rughernia.web.problems import invalid

router = APIRouter(tags=["patients"])

# Unambiguous letters and digits (no 0/O, 1/I/L): the code is read aloud and typed.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_invitation_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))  # ~79 bits
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def with_latest(session: Session, rows: Sequence[PatientRow | Patient]) -> list[dict[str, object]]:
    """Each patient with their newest assessment, in two queries for any number of patients."""
    latest = assessments.latest_per_patient(session, [r.id for r in rows])
    acked = assessments.acknowledgements(session, [a.id for a in latest.values()])
    return [
        views.patient(r, views.summary(latest.get(r.id), latest[r.id].id in acked))
        if r.id in latest
        else views.patient(r)
        for r in rows
    ]


@router.get(
    "/patients",
    response_model=list[PatientOut],
    responses=SIGNED_IN,
    summary="Patients: a clinician's teams' patients, or a patient's own record",
)
def list_patients(ctx: UserCtx, session: DB) -> JSONResponse:
    require_role(session, ctx, "patients.list", "clinician", "patient")
    assert ctx.user is not None
    if ctx.user.role == "clinician":
        rows = record.patients_in_teams(session, ctx.team_ids(session))
    else:
        own = record.patient_of_user(session, ctx.user.id)
        rows = [own] if own else []
    out = with_latest(session, rows)
    # Every listed patient's record was looked at: one audit row each.
    if rows:
        done(session, ctx, "patients.list", [r.id for r in rows], commit=False)
    session.commit()
    return JSONResponse(out)


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
    require_role(session, ctx, "patient.create", "clinician")
    key = idempotency.check_key(idempotency_key)
    print_ = idempotency.fingerprint("POST", "/patients", body.model_dump())
    replayed = idempotency.replay(session, ctx, key, print_)
    if replayed is not None:
        return replayed
    teams = ctx.team_ids(session)
    if body.team_id is not None and body.team_id not in teams:
        raise invalid([Problem("team_id", "is not one of your teams")])
    if body.team_id is None and len(teams) != 1:
        message = "is required: you belong to several teams" if teams else "you belong to no team"
        raise invalid([Problem("team_id", message)])
    team_id = body.team_id if body.team_id is not None else teams[0]
    code = new_invitation_code()
    expires = ctx.now + dt.timedelta(days=ctx.settings.invitation_days)
    row = record.add_patient(
        session,
        team_id=team_id,
        display_name=body.display_name.strip() or body.display_name,
        language=body.language,
        invitation_hash=invitation_hash(code),
        invitation_expires_at=expires,
    )
    out = {
        "patient": views.patient(row),
        "invitation_code": code,
        "invitation_expires_at": views.iso(expires),
    }
    idempotency.remember(session, ctx, key, print_, 201, out, row.id)
    audit.write(session, ctx.actor, "patient.create", "success", [row.id])
    session.commit()
    return JSONResponse(out, 201)


@router.get(
    "/patients/{patient_id}",
    response_model=PatientOut,
    responses=PATIENT,
    summary="One patient, with the newest assessment",
)
def get_patient(patient_id: PatientId, ctx: UserCtx, session: DB) -> JSONResponse:
    row = patient_for(session, ctx, patient_id, "patient.read")
    out = with_latest(session, [row])[0]
    done(session, ctx, "patient.read", [row.id])
    return JSONResponse(out)
