"""Acknowledging an alarm (clinicians): the clinician has seen it and acts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care.access import Actor, on_record
from rughernia.care.errors import NoAlarm, NotFound, Superseded
from rughernia.care.notes import checked_text
from rughernia.care.once import Once
from rughernia.pathway.acknowledgement import alarm_seen_covers
from rughernia.pathway.model import Triage
from rughernia.store import assessments
from rughernia.store.assessments import Stored
from rughernia.store.tables import AlarmAck, AssessmentRow

# Levels at which the clinician must act the same hour or day (CLINICAL.md §1).
ALARM_TRIAGE = frozenset({"emergency", "urgent"})
MAX_NOTE = 2000  # as the API's AckBody

Acknowledged = tuple[AssessmentRow, AlarmAck]


def _findings(stored: AssessmentRow | Stored) -> list[tuple[str, Triage]]:
    """An assessment's findings as stored: (code, triage)."""
    found = stored.data.get("findings") or []
    return [(str(f["code"]), Triage.from_code(str(f["triage"]))) for f in found]


def acknowledge(
    session: Session,
    actor: Actor,
    patient_id: int,
    assessment_id: int,
    note: str,
    *,
    today: dt.date,
    at: dt.datetime,
    once: Once[Acknowledged] | None = None,
) -> Acknowledged:
    """Acknowledge the alarm of this assessment; acknowledging twice keeps the first.

    An acknowledgement covers its level until the record changes after it, so one of an
    older assessment (a page left open while the patient wrote a new alarm) would cover
    alarms the clinician never saw: refused with ``Superseded`` unless the assessment
    shows every urgent and emergency finding of today's decision
    (``pathway.acknowledgement.alarm_seen_covers``), and the clinician looks again.
    """
    roles = ("clinician",)
    with on_record(session, actor, patient_id, "alarm.acknowledge", at=at, roles=roles) as step:
        # After the access check: another team's patient is a 404 first. The API's note
        # may be empty (the pages ask for one).
        note = checked_text(note, "note", MAX_NOTE) if note.strip() else ""
        if once is not None:
            once.replay(session, actor, at)
        found = assessments.assessment(session, step.record.id, assessment_id)
        if found is None:
            step.outcome = "not-found"  # audited and committed, then refused below
        else:
            if found.triage not in ALARM_TRIAGE:
                raise NoAlarm(f"This assessment's triage is {found.triage}: nothing to acknowledge")
            row = step.record
            now = assessment.assess_and_store(session, row.id, today, row.language, "read", at)
            if now is not None and not alarm_seen_covers(_findings(found), _findings(now[0])):
                raise Superseded(
                    f"Assessment {found.id} does not show every alarm of today's decision: the"
                    f" record changed. Look at today's assessment ({now[0].id}) and acknowledge"
                    " that one."
                )
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
