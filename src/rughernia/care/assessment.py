"""Assessing the record: as of a date (stored when it changed), after each write, its history.

No clinical logic here: the case is the stored record (``care.case``), and
every triage and finding comes from ``rughernia.pathway.assess``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care import case as record_case
from rughernia.care.access import Actor, on_record
from rughernia.care.errors import IntakeRequired, NotFound
from rughernia.content import load
from rughernia.pathway import Assessment, Case, assess
from rughernia.store import assessments
from rughernia.store.assessments import Stored
from rughernia.store.record import Patient
from rughernia.store.tables import AlarmAck, AssessmentRow

# A stored assessment and its acknowledgement (None: not acknowledged).
Seen = tuple[Stored, AlarmAck | None]


def store(session: Session, patient_id: int, case: Case, cause: str, at: dt.datetime) -> Stored:
    """Assess an already validated case of this patient's record and store the result,
    unless it is the newest stored one already (then that one, see ``assessments.store``)."""
    result = assess(case, load()).to_dict()
    return assessments.store(session, patient_id, case.today, result, cause, at=at)


def assess_and_store(
    session: Session, patient_id: int, today: dt.date, language: str, cause: str, at: dt.datetime
) -> Seen | None:
    """Assess the stored record as of ``today``; None without an intake. No audit, no commit.

    The result is stored unless the newest stored assessment is this same
    assessment of the same day: then that one (and its acknowledgement) is the
    answer, so looking at an unchanged record adds nothing to its history.
    """
    case = record_case.stored(session, patient_id, today, language)
    if case is None:
        return None
    return _store_if_new(session, patient_id, today, assess(case, load()).to_dict(), cause, at)


def _store_if_new(
    session: Session,
    patient_id: int,
    today: dt.date,
    result: dict[str, Any],
    cause: str,
    at: dt.datetime,
) -> Seen:
    stored = assessments.store(session, patient_id, today, result, cause, at=at)
    return stored, stored.acknowledgement


@dataclass(frozen=True, slots=True)
class Current:
    """The record as a case and its assessment as of a date: for surfaces that show both."""

    patient: Patient
    case: Case
    assessment: Assessment
    stored: Stored  # the assessment as stored (new, or the same one of today)
    acknowledged: bool  # its alarm was acknowledged by a clinician


def current(
    session: Session,
    actor: Actor,
    patient_id: int,
    action: str,
    *,
    today: dt.date,
    at: dt.datetime,
) -> Current:
    """The record as of ``today`` with its assessment (stored when it changed), audited as
    ``action``: the FHIR export's data. The same assessment as ``assess_now`` gives."""
    with on_record(session, actor, patient_id, action, at=at) as step:
        row = step.record
        case = record_case.stored(session, row.id, today, row.language)
        if case is not None:
            result = assess(case, load())
            seen, ack = _store_if_new(session, row.id, today, result.to_dict(), "read", at)
    if case is None:  # the look was audited all the same
        raise IntakeRequired("No intake yet, so nothing to export")
    return Current(row, case, result, seen, ack is not None)


def assess_now(
    session: Session,
    actor: Actor,
    patient_id: int,
    *,
    today: dt.date,
    language: str | None,
    at: dt.datetime,
) -> Seen:
    """The record's assessment as of ``today`` (stored if new), in ``language`` or the patient's."""
    with on_record(session, actor, patient_id, "assessment.read", at=at) as step:
        row = step.record
        found = assess_and_store(session, row.id, today, language or row.language, "read", at)
    if found is None:  # the look was audited all the same
        raise IntakeRequired("No intake yet, so nothing to assess")
    return found


def history(
    session: Session,
    actor: Actor,
    patient_id: int,
    *,
    limit: int,
    before_id: int | None,
    at: dt.datetime,
) -> tuple[list[AssessmentRow], dict[int, AlarmAck]]:
    """Stored assessments newest first (``limit`` of them, below ``before_id``), with their acks."""
    with on_record(session, actor, patient_id, "assessment.history", at=at) as step:
        rows = assessments.history(session, step.record.id, limit=limit, before_id=before_id)
        acks = assessments.acknowledgements(session, [r.id for r in rows])
    return rows, acks


def one(
    session: Session, actor: Actor, patient_id: int, assessment_id: int, *, at: dt.datetime
) -> tuple[AssessmentRow, AlarmAck | None]:
    with on_record(session, actor, patient_id, "assessment.history", at=at) as step:
        found = assessments.assessment(session, step.record.id, assessment_id)
        ack = None if found is None else assessments.acknowledgement(session, found.id)
    if found is None:
        raise NotFound("No such assessment for this patient")
    return found, ack
