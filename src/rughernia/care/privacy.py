"""The patient's rights: everything stored about them, who looked, and erasure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care.access import Actor, on_record
from rughernia.store import accounts, assessments, audit, notes, record
from rughernia.store.record import Patient
from rughernia.store.tables import (
    AlarmAck,
    AssessmentRow,
    AuditRow,
    ClinicalNote,
    FindingAck,
    MedicationChange,
)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of the access log as the record's readers may see it.

    ``who`` is the username of the patient and of their care team, and of anyone who
    did reach the record; a refused outsider is named by role only, since that another
    person is a patient here (or a clinician elsewhere) is not this reader's to know.
    """

    at: dt.datetime
    who: str
    username: str | None  # None when named by role only
    role: str | None
    action: str
    outcome: str


OUTSIDERS = {
    "patient": "a patient",
    "clinician": "a clinician of another team",
    "admin": "an administrator",
}


def _as_seen(rows: list[AuditRow], insiders: set[int]) -> list[LogEntry]:
    out = []
    for row in rows:
        named = row.username is not None and (
            row.outcome == "success" or (row.user_id is not None and row.user_id in insiders)
        )
        if named:
            who, username = str(row.username), row.username
        else:
            who = OUTSIDERS.get(row.role or "", "someone not signed in")
            username = None
        out.append(LogEntry(row.at, who, username, row.role, row.action, row.outcome))
    return out


def _log(session: Session, patient: Patient) -> list[LogEntry]:
    insiders = accounts.member_ids(session, patient.team_id)
    if patient.user_id is not None:
        insiders.add(patient.user_id)
    return _as_seen(audit.for_patient(session, patient.id), insiders)


@dataclass(frozen=True, slots=True)
class Export:
    at: dt.datetime
    patient: Patient
    intake: dict[str, Any] | None
    diary: list[dict[str, Any]]
    medication: dict[str, Any]
    medication_history: list[tuple[MedicationChange, dict[str, Any]]]
    assessments: list[tuple[AssessmentRow, AlarmAck | None]]
    # The clinicians' notes and acknowledged findings are about the patient too: theirs to see.
    notes: list[ClinicalNote]
    finding_acknowledgements: list[FindingAck]
    access_log: list[LogEntry]


def export(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> Export:
    """Everything stored about the patient (GDPR art. 15 and 20)."""
    with on_record(session, actor, patient_id, "patient.export", at=at) as step:
        row = step.record
        stored = assessments.all_of(session, row.id)
        acks = assessments.acknowledgements(session, [a.id for a in stored])
        out = Export(
            at=at,
            patient=row,
            intake=record.intake(session, row.id),
            diary=[record.diary_dict(e) for e in record.diary(session, row.id)],
            medication=record.medication_dict(record.medication(session, row.id)),
            medication_history=[
                (c, record.medication_dict(c)) for c in record.medication_history(session, row.id)
            ],
            assessments=[(a, acks.get(a.id)) for a in stored],
            notes=notes.notes(session, row.id),
            finding_acknowledgements=notes.finding_acks(session, row.id),
            access_log=_log(session, row),
        )
    return out


def access_log(
    session: Session, actor: Actor, patient_id: int, *, at: dt.datetime
) -> list[LogEntry]:
    """Who read or changed this record, newest first."""
    with on_record(session, actor, patient_id, "access_log.read", at=at) as step:
        return _log(session, step.record)


def erase(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> None:
    """Erase the record and the patient's account (the patient, or an admin on request).

    The audit record names the action and the old id, nothing of the record itself.
    ON DELETE CASCADE takes the clinicians' notes and acknowledged findings along.
    """
    roles = ("patient", "admin")
    with on_record(session, actor, patient_id, "patient.erase", at=at, roles=roles) as step:
        user_id = step.record.user_id
        record.erase_patient(session, step.record.id)
        if user_id is not None:
            accounts.delete_user(session, user_id)
