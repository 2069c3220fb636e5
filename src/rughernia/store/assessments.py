"""Stored assessments and alarm acknowledgements. The caller owns the transaction.

An assessment is stored exactly as the pathway produced it (``to_dict()``);
the triage, phase and content version are copied into columns only so
worklists can filter with SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rughernia.store.clock import utcnow
from rughernia.store.tables import AlarmAck, AssessmentRow


def add_assessment(
    session: Session, patient_id: int, today: dt.date, data: dict[str, Any], cause: str
) -> AssessmentRow:
    row = AssessmentRow(
        patient_id=patient_id,
        created_at=utcnow(),
        today=today,
        content_version=str(data["content_version"]),
        triage=str(data["triage"]),
        phase=data.get("phase"),
        cause=cause,
        data=data,
    )
    session.add(row)
    session.flush()
    return row


def assessment(session: Session, patient_id: int, assessment_id: int) -> AssessmentRow | None:
    stmt = select(AssessmentRow).where(
        AssessmentRow.id == assessment_id, AssessmentRow.patient_id == patient_id
    )
    return session.scalars(stmt).first()


def history(
    session: Session, patient_id: int, *, limit: int = 50, before_id: int | None = None
) -> list[AssessmentRow]:
    """Newest first; page with ``before_id`` (the smallest id of the previous page)."""
    stmt = select(AssessmentRow).where(AssessmentRow.patient_id == patient_id)
    if before_id is not None:
        stmt = stmt.where(AssessmentRow.id < before_id)
    return list(session.scalars(stmt.order_by(AssessmentRow.id.desc()).limit(limit)))


def all_of(session: Session, patient_id: int) -> list[AssessmentRow]:
    stmt = select(AssessmentRow).where(AssessmentRow.patient_id == patient_id)
    return list(session.scalars(stmt.order_by(AssessmentRow.id)))


def latest_per_patient(session: Session, patient_ids: list[int]) -> dict[int, AssessmentRow]:
    """The newest assessment of each patient, in one query."""
    if not patient_ids:
        return {}
    newest = (
        select(func.max(AssessmentRow.id))
        .where(AssessmentRow.patient_id.in_(patient_ids))
        .group_by(AssessmentRow.patient_id)
    )
    rows = session.scalars(select(AssessmentRow).where(AssessmentRow.id.in_(newest)))
    return {row.patient_id: row for row in rows}


# --- alarm acknowledgements -------------------------------------------------------


def acknowledgement(session: Session, assessment_id: int) -> AlarmAck | None:
    return session.scalars(select(AlarmAck).where(AlarmAck.assessment_id == assessment_id)).first()


def acknowledgements(session: Session, assessment_ids: list[int]) -> dict[int, AlarmAck]:
    if not assessment_ids:
        return {}
    rows = session.scalars(select(AlarmAck).where(AlarmAck.assessment_id.in_(assessment_ids)))
    return {row.assessment_id: row for row in rows}


def acknowledge(
    session: Session, row: AssessmentRow, *, user_id: int, user_name: str, note: str
) -> tuple[AlarmAck, bool]:
    """Acknowledge once; a second acknowledgement returns the first (False = not new)."""
    existing = acknowledgement(session, row.id)
    if existing is not None:
        return existing, False
    ack = AlarmAck(
        assessment_id=row.id,
        patient_id=row.patient_id,
        user_id=user_id,
        user_name=user_name,
        at=utcnow(),
        note=note,
    )
    session.add(ack)
    session.flush()
    return ack, True
