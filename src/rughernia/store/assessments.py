"""Stored assessments and alarm acknowledgements. The caller owns the transaction.

An assessment is stored exactly as the pathway produced it (``to_dict()``);
the triage, phase and content version are copied into columns only so
worklists can filter with SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import AlarmAck, AssessmentRow


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored assessment as plain data (the hot paths do without ORM objects)."""

    id: int
    patient_id: int
    created_at: dt.datetime
    today: dt.date
    cause: str
    triage: str
    data: dict[str, Any]
    # Set when the answer is an earlier stored assessment that a clinician acknowledged.
    acknowledgement: AlarmAck | None = None


def digest_of(data: dict[str, Any]) -> str:
    """The same assessment always gives the same digest (keys sorted, no whitespace)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


_ASSESSMENTS = cast(Table, AssessmentRow.__table__)
_ACKS = cast(Table, AlarmAck.__table__)
_INSERT = insert(_ASSESSMENTS).returning(_ASSESSMENTS.c.id)


_LATEST = (
    select(
        _ASSESSMENTS.c.id,
        _ASSESSMENTS.c.created_at,
        _ASSESSMENTS.c.today,
        _ASSESSMENTS.c.cause,
        _ASSESSMENTS.c.triage,
        _ASSESSMENTS.c.digest,
        _ACKS.c.id.label("ack_id"),
        _ACKS.c.user_id,
        _ACKS.c.user_name,
        _ACKS.c.at,
        _ACKS.c.note,
    )
    .select_from(_ASSESSMENTS.outerjoin(_ACKS, _ACKS.c.assessment_id == _ASSESSMENTS.c.id))
    .where(_ASSESSMENTS.c.patient_id == bindparam("patient_id"))
    .order_by(_ASSESSMENTS.c.id.desc())
    .limit(1)
)


def latest_matching(
    session: Session, patient_id: int, today: dt.date, data: dict[str, Any]
) -> Stored | None:
    """The newest stored assessment, with its acknowledgement, if it is this very
    assessment of this very day.

    Without its JSON: an equal digest means equal data, so ``data`` stands in for it.
    """
    row = session.connection().execute(_LATEST, {"patient_id": patient_id}).first()
    if row is None or row.today != today or row.digest != digest_of(data):
        return None
    ack = None
    if row.ack_id is not None:
        ack = AlarmAck(
            id=row.ack_id,
            assessment_id=row.id,
            patient_id=patient_id,
            user_id=row.user_id,
            user_name=row.user_name,
            at=row.at,
            note=row.note,
        )
    return Stored(row.id, patient_id, row.created_at, row.today, row.cause, row.triage, data, ack)


def store(
    session: Session,
    patient_id: int,
    today: dt.date,
    data: dict[str, Any],
    cause: str,
    *,
    at: dt.datetime | None = None,
) -> Stored:
    """Store ``data`` unless the newest stored assessment is this very assessment of this
    very day: then that one is the answer, with its acknowledgement.

    Every caller (a read, each write, the demo) stores through here, so an unchanged
    record never adds to its history twice, whatever surface looked at or rewrote it.
    """
    same = latest_matching(session, patient_id, today, data)
    if same is not None:
        return same
    now = when(at)
    values = {
        "patient_id": patient_id,
        "created_at": now,
        "today": today,
        "content_version": str(data["content_version"]),
        "triage": str(data["triage"]),
        "phase": data.get("phase"),
        "cause": cause,
        "data": data,
        "digest": digest_of(data),
    }
    new_id = session.connection().execute(_INSERT, values).scalar_one()
    return Stored(new_id, patient_id, now, today, cause, str(data["triage"]), data)


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
    session: Session,
    row: AssessmentRow | Stored,
    *,
    user_id: int,
    user_name: str,
    note: str,
    at: dt.datetime | None = None,
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
        at=when(at),
        note=note,
    )
    session.add(ack)
    session.flush()
    return ack, True
