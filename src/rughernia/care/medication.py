"""The medication step (clinicians change it, with a reason kept); a change re-assesses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care import case as record_case
from rughernia.care.access import Actor, on_record
from rughernia.care.errors import invalid
from rughernia.pathway.model import ALARM_QUESTIONS
from rughernia.store import record
from rughernia.store.assessments import Stored
from rughernia.store.tables import MEDICATION_FIELDS, MedicationChange

# Only to validate medication fields before any intake exists; never stored or assessed.
_PLACEHOLDER_SYMPTOMS = {"leg_pain_reaches": "below_knee", **dict.fromkeys(ALARM_QUESTIONS)}


@dataclass(frozen=True, slots=True)
class Medication:
    current: dict[str, Any]  # in the contract's shape
    history: list[tuple[MedicationChange, dict[str, Any]]]  # each change, oldest first
    assessment: Stored | None = None  # after a change, when there is an intake to assess


def _medication(session: Session, patient_id: int) -> Medication:
    history = [
        (c, record.medication_dict(c)) for c in record.medication_history(session, patient_id)
    ]
    return Medication(record.medication_dict(record.medication(session, patient_id)), history)


def read(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> Medication:
    with on_record(session, actor, patient_id, "medication.read", at=at) as step:
        return _medication(session, step.record.id)


def write(
    session: Session,
    actor: Actor,
    patient_id: int,
    body: dict[str, Any],
    *,
    today: dt.date,
    at: dt.datetime,
) -> Medication:
    """Set the medication to ``body`` (with its ``reason``); re-assess if there is an intake."""
    body = dict(body)
    reason = body.pop("reason", None)
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 1000:
        raise invalid("reason", "is required: say why, in 1 to 1000 characters")
    roles = ("clinician",)
    with on_record(
        session, actor, patient_id, "medication.write", at=at, roles=roles, lock=True
    ) as step:
        row = step.record
        base = record_case.record_json(session, row, today, need_intake=False)
        assert base is not None
        has_intake = "symptoms" in base
        if not has_intake:
            base["symptoms"] = _PLACEHOLDER_SYMPTOMS
        case = record_case.with_input({**base, "medication": body}, body="medication")
        values = {name: getattr(case.medication, name) for name in MEDICATION_FIELDS}
        assert actor.user_id is not None
        assert actor.username is not None
        record.set_medication(
            session,
            row.id,
            values,
            by=actor.user_id,
            by_name=actor.username,
            reason=reason.strip(),
            at=at,
        )
        out = _medication(session, row.id)
        if has_intake:
            stored = assessment.store(session, row.id, case, "medication", at)
            out = Medication(out.current, out.history, stored)
    return out
