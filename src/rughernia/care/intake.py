"""The intake (onset, patient, symptoms; the patient or a clinician); writing it re-assesses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care import case as record_case
from rughernia.care.access import Actor, on_record
from rughernia.care.case import INTAKE_FIELDS
from rughernia.care.errors import Invalid, NotFound
from rughernia.pathway.checks import Problem
from rughernia.store import record
from rughernia.store.assessments import Stored


@dataclass(frozen=True, slots=True)
class SavedIntake:
    intake: dict[str, Any]
    assessment: Stored


def read(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> dict[str, Any]:
    with on_record(session, actor, patient_id, "intake.read", at=at) as step:
        stored = record.intake(session, step.record.id)
    if stored is None:  # the look was audited all the same
        raise NotFound("No intake yet")
    return stored


def write(
    session: Session,
    actor: Actor,
    patient_id: int,
    body: dict[str, Any],
    *,
    today: dt.date,
    at: dt.datetime,
) -> SavedIntake:
    """Replace the intake with ``body`` (its sections) and re-assess as of ``today``."""
    unknown = [Problem(k, "is not a known field") for k in body if k not in INTAKE_FIELDS]
    if unknown:
        raise Invalid(unknown)
    with on_record(session, actor, patient_id, "intake.write", at=at, lock=True) as step:
        row = step.record
        intake = {k: body[k] for k in INTAKE_FIELDS if k in body}
        rest = record_case.record_json(session, row, today, need_intake=False)
        assert rest is not None
        base = {k: v for k, v in rest.items() if k not in INTAKE_FIELDS}
        case = record_case.with_input({**base, **intake})
        record.put_intake(session, row.id, intake, actor.user_id, at=at)
        stored = assessment.store(session, row.id, case, "intake", at)
    return SavedIntake(intake, stored)
