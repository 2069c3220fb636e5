"""The patients: a clinician's list, a new patient with an invitation, one patient."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rughernia.care.access import Actor, as_role, on_record
from rughernia.care.codes import code_hash, new_code
from rughernia.care.errors import invalid
from rughernia.care.names import checked_name
from rughernia.care.once import Once
from rughernia.store import accounts, assessments, record
from rughernia.store.record import Patient
from rughernia.store.tables import AssessmentRow, PatientRow


@dataclass(frozen=True, slots=True)
class Listed:
    """A patient with their newest assessment (None: none yet) and whether it is acknowledged."""

    patient: PatientRow | Patient
    latest: AssessmentRow | None
    acknowledged: bool


@dataclass(frozen=True, slots=True)
class Created:
    patient: PatientRow
    invitation_code: str  # shown once; only its hash is stored
    invitation_expires_at: dt.datetime


def _with_latest(session: Session, rows: Sequence[PatientRow | Patient]) -> list[Listed]:
    """Each patient with their newest assessment, in two queries for any number of patients."""
    latest = assessments.latest_per_patient(session, [r.id for r in rows])
    acked = assessments.acknowledgements(session, [a.id for a in latest.values()])
    return [Listed(r, latest.get(r.id), r.id in latest and latest[r.id].id in acked) for r in rows]


def list_patients(session: Session, actor: Actor, *, at: dt.datetime) -> list[Listed]:
    """A clinician's teams' patients, or a patient's own record."""
    with as_role(session, actor, "patients.list", "clinician", "patient", at=at) as step:
        assert actor.user_id is not None
        if actor.role == "clinician":
            rows = record.patients_in_teams(session, accounts.team_ids_of(session, actor.user_id))
        else:
            own = record.patient_of_user(session, actor.user_id)
            rows = [own] if own else []
        out = _with_latest(session, rows)
        # Every listed patient's record was looked at: one audit row each (none for none).
        step.audited = [r.id for r in rows]
    return out


def create_patient(
    session: Session,
    actor: Actor,
    *,
    display_name: str,
    language: str,
    team_id: int | None,
    invitation_days: int,
    at: dt.datetime,
    once: Once[Created] | None = None,
) -> Created:
    """A new patient in one of the clinician's teams, and the invitation code to join."""
    display_name = checked_name("display_name", display_name)
    with as_role(session, actor, "patient.create", "clinician", at=at) as step:
        if once is not None:
            once.replay(session, actor, at)
        assert actor.user_id is not None
        teams = accounts.team_ids_of(session, actor.user_id)
        if team_id is not None and team_id not in teams:
            raise invalid("team_id", "is not one of your teams")
        if team_id is None and len(teams) != 1:
            raise invalid(
                "team_id",
                "is required: you belong to several teams" if teams else "you belong to no team",
            )
        code = new_code()
        expires = at + dt.timedelta(days=invitation_days)
        row = record.add_patient(
            session,
            team_id=team_id if team_id is not None else teams[0],
            display_name=display_name,
            language=language,
            invitation_hash=code_hash(code),
            invitation_expires_at=expires,
            at=at,
        )
        out = Created(row, code, expires)
        if once is not None:
            once.remember(session, actor, out, row.id, at)
        step.audited = [row.id]
    return out


def read_patient(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> Listed:
    """One patient, with the newest assessment."""
    with on_record(session, actor, patient_id, "patient.read", at=at) as step:
        return _with_latest(session, [step.record])[0]


def own_record(session: Session, actor: Actor) -> Patient | None:
    """A signed-in patient's own record (its id and language), for the pages; None for
    anyone else. Reading one's own id reads no health data, so it is not audited."""
    if actor.role != "patient" or actor.user_id is None:
        return None
    return record.own_patient(session, actor.user_id)


def set_language(session: Session, actor: Actor, language: str, *, at: dt.datetime) -> None:
    """The language of a patient's own record: the pages and the assessments use it."""
    if language not in ("nl", "en"):
        raise invalid("language", "must be nl or en")
    with as_role(session, actor, "patient.language", "patient", at=at) as step:
        # The row itself, to change it (own_record gives plain data).
        row = record.patient_of_user(session, actor.user_id) if actor.user_id else None
        step.audited = [row.id] if row else [None]
        if row is not None:
            row.language = language
