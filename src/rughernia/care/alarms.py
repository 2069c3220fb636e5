"""Acknowledging an alarm (clinicians): the clinician has seen it and acts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.care.access import Actor, on_record
from rughernia.care.errors import NoAlarm, NotFound
from rughernia.care.once import Once
from rughernia.store import assessments
from rughernia.store.tables import AlarmAck, AssessmentRow

# Levels at which the clinician must act the same hour or day (CLINICAL.md §1).
ALARM_TRIAGE = frozenset({"emergency", "urgent"})

Acknowledged = tuple[AssessmentRow, AlarmAck]


def acknowledge(
    session: Session,
    actor: Actor,
    patient_id: int,
    assessment_id: int,
    note: str,
    *,
    at: dt.datetime,
    once: Once[Acknowledged] | None = None,
) -> Acknowledged:
    """Acknowledge the alarm of this assessment; acknowledging twice keeps the first."""
    roles = ("clinician",)
    with on_record(session, actor, patient_id, "alarm.acknowledge", at=at, roles=roles) as step:
        if once is not None:
            once.replay(session, actor, at)
        found = assessments.assessment(session, step.record.id, assessment_id)
        if found is None:
            step.outcome = "not-found"  # audited and committed, then refused below
        else:
            if found.triage not in ALARM_TRIAGE:
                raise NoAlarm(f"This assessment's triage is {found.triage}: nothing to acknowledge")
            assert actor.user_id is not None
            assert actor.username is not None
            ack, _new = assessments.acknowledge(
                session, found, user_id=actor.user_id, user_name=actor.username, note=note, at=at
            )
            if once is not None:
                once.remember(session, actor, (found, ack), step.record.id, at)
    if found is None:
        raise NotFound("No such assessment for this patient")
    return found, ack
