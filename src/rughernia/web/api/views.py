"""The care layer's results as the JSON the API answers with (the shapes of ``schemas``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rughernia.care.accounts import Account
from rughernia.care.findings import Acknowledgement
from rughernia.care.medication import Medication, Preview
from rughernia.care.password_reset import Issued
from rughernia.care.patients import Listed
from rughernia.care.privacy import Export, LogEntry
from rughernia.care.shapes import (
    AlarmAck,
    AssessmentRow,
    ClinicalNote,
    FindingAck,
    MedicationChange,
    Patient,
    PatientRow,
    SignedIn,
    Stored,
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
    if ack is None and isinstance(row, Stored):
        ack = row.acknowledgement  # a write that changed nothing answers with the stored one
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


def access_entry(row: LogEntry) -> dict[str, Any]:
    return {
        "at": iso(row.at),
        "who": row.who,
        "username": row.username,
        "role": row.role,
        "action": row.action,
        "outcome": row.outcome,
    }


def account(found: Account) -> dict[str, Any]:
    return user(found.user, found.teams, found.patient_id)


def reset_issued(found: Issued) -> dict[str, Any]:
    return {"code": found.code, "expires_at": iso(found.expires_at), "username": found.username}


def listed(found: Listed) -> dict[str, Any]:
    return patient(found.patient, summary(found.latest, found.acknowledged))


def medication(found: Medication) -> dict[str, Any]:
    return {
        "medication": found.current,
        "history": [medication_change(c, m) for c, m in found.history],
        "assessment": None if found.assessment is None else stored_assessment(found.assessment),
    }


def export(found: Export) -> dict[str, Any]:
    return {
        "exported_at": iso(found.at),
        "patient": patient(found.patient),
        "intake": found.intake,
        "diary": found.diary,
        "medication": found.medication,
        "medication_history": [medication_change(c, m) for c, m in found.medication_history],
        "assessments": [stored_assessment(a, ack) for a, ack in found.assessments],
        "notes": [note(n) for n in found.notes],
        # In the export as stored; whether each is still in force is a worklist matter.
        "finding_acknowledgements": [finding_ack(a) for a in found.finding_acknowledgements],
        "access_log": [access_entry(a) for a in found.access_log],
    }


def preview(found: Preview) -> dict[str, Any]:
    return {
        "medication": found.medication,
        "current": found.current,
        "proposed": found.proposed,
        "new_findings": found.new_findings,
        "new_advice": found.new_advice,
    }


def note(row: ClinicalNote) -> dict[str, Any]:
    return {
        "id": row.id,
        "patient_id": row.patient_id,
        "kind": row.kind,
        "text": row.text,
        "by": row.by_name,
        "at": iso(row.at),
    }


def finding_ack(row: FindingAck, in_force: bool | None = None) -> dict[str, Any]:
    out = {
        "id": row.id,
        "patient_id": row.patient_id,
        "code": row.code,
        "until": row.until.isoformat(),
        "note": row.note,
        "by": row.by_name,
        "at": iso(row.at),
    }
    return out if in_force is None else {**out, "in_force": in_force}


def acknowledgement_seen(found: Acknowledgement) -> dict[str, Any]:
    return finding_ack(found.ack, found.in_force)
