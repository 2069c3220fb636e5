"""Acknowledging a finding until a review date (clinicians), and the acknowledgements seen.

An acknowledgement ranks the clinician's worklist only: the patient's assessment
and advice stay as ``assess()`` gives them. Which findings may be acknowledged,
and whether an acknowledgement still counts, is ``pathway.acknowledgement``'s rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rughernia.care import case as record_case
from rughernia.care.access import Actor, on_record
from rughernia.care.errors import invalid
from rughernia.care.notes import CLINICIAN, checked_text
from rughernia.care.once import Once
from rughernia.content import load
from rughernia.pathway import assess
from rughernia.pathway.acknowledgement import counting, may_acknowledge, review_date_problem
from rughernia.store import notes, record
from rughernia.store.tables import FindingAck

MAX_NOTE = 1000


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    ack: FindingAck
    # Up to its date, nothing in the record changed since, still allowed, and the newest of
    # its code (a later acknowledgement of the same finding replaces it).
    in_force: bool


def acknowledge(
    session: Session,
    actor: Actor,
    patient_id: int,
    code: str,
    until: dt.date,
    note: str,
    *,
    today: dt.date,
    at: dt.datetime,
    once: Once[FindingAck] | None = None,
) -> FindingAck:
    """Acknowledge ``code``, a finding of the record's assessment as of ``today``, until
    the review date ``until``, with a note of what was done and why."""
    content = load()
    with on_record(
        session, actor, patient_id, "finding.acknowledge", at=at, roles=CLINICIAN
    ) as step:
        # The input is checked after the access check: another team's patient is a
        # 404, audited, whatever the form holds.
        if not isinstance(code, str) or code not in content.codes:
            raise invalid("code", "is not a finding code; use one of the current assessment's")
        if not may_acknowledge(code, content):
            raise invalid(
                "code",
                f"{code} may not be acknowledged until a date: an emergency, a cauda equina "
                "sign, fever and the paracetamol findings must be acted on each time",
            )
        problem = review_date_problem(until, today, content)
        if problem is not None:
            raise invalid("until", problem)
        note = checked_text(note, "note", MAX_NOTE)
        if once is not None:
            once.replay(session, actor, at)
        row = step.record
        # Today's decision, not the newest stored one: the calendar alone brings findings.
        case = record_case.stored(session, row.id, today, row.language)
        codes = set() if case is None else {f.code for f in assess(case, content).findings}
        if code not in codes:
            raise invalid("code", f"{code} is not a finding of the assessment as of today")
        assert actor.username is not None
        ack = notes.add_finding_ack(
            session, row.id, code, until, note, by=actor.user_id, by_name=actor.username, at=at
        )
        if once is not None:
            once.remember(session, actor, ack, row.id, at)
    return ack


def read(
    session: Session, actor: Actor, patient_id: int, *, today: dt.date, at: dt.datetime
) -> list[Acknowledgement]:
    """Every acknowledgement of the record, newest first, with whether it is in force."""
    content = load()
    with on_record(session, actor, patient_id, "finding.read", at=at, roles=CLINICIAN) as step:
        acks = notes.finding_acks(session, step.record.id)
        changed = record.changed_at(session, step.record.id) if acks else None
    counts = counting(acks, today, changed, content)  # as the worklist counts them
    return [Acknowledgement(a, c) for a, c in zip(acks, counts, strict=True)]
