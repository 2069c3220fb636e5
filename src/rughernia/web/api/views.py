"""Stored rows as the JSON the API answers with (the shapes of ``schemas``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rughernia.store.accounts import SignedIn
from rughernia.store.assessments import Stored
from rughernia.store.record import Patient
from rughernia.store.tables import (
    AlarmAck,
    AssessmentRow,
    AuditRow,
    MedicationChange,
    PatientRow,
    User,
)


def iso(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def user(row: User | SignedIn, teams: list[str], patient_id: int | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "role": row.role,
        "display_name": row.display_name,
        "teams": teams,
        "patient_id": patient_id,
    }


def acknowledgement(ack: AlarmAck | None) -> dict[str, Any] | None:
    if ack is None:
        return None
    return {"by": ack.user_name, "at": iso(ack.at), "note": ack.note}


def stored_assessment(row: AssessmentRow | Stored, ack: AlarmAck | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "patient_id": row.patient_id,
        "created_at": iso(row.created_at),
        "today": row.today.isoformat(),
        "cause": row.cause,
        "assessment": row.data,
        "acknowledgement": acknowledgement(ack),
    }


def summary(row: AssessmentRow | None, acked: bool) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.id,
        "created_at": iso(row.created_at),
        "triage": row.triage,
        "phase": row.phase,
        "acknowledged": acked,
    }


def patient(row: PatientRow | Patient, latest: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "display_name": row.display_name,
        "team_id": row.team_id,
        "language": row.language,
        "has_account": row.user_id is not None,
        "created_at": iso(row.created_at),
        "latest_assessment": latest,
    }


def medication_change(row: MedicationChange, medication: dict[str, Any]) -> dict[str, Any]:
    return {
        "medication": medication,
        "changed_at": iso(row.changed_at),
        "changed_by": row.changed_by_name,
        "reason": row.reason,
    }


def access_entry(row: AuditRow) -> dict[str, Any]:
    return {
        "at": iso(row.at),
        "username": row.username,
        "role": row.role,
        "action": row.action,
        "outcome": row.outcome,
    }
