"""Stored assessments and alarm acknowledgements. The caller owns the transaction.

An assessment is stored exactly as the pathway produced it (``to_dict()``);
the triage, phase, day count, medication step and content version are copied
into columns only so worklists can filter and read them with SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import AlarmAck, AssessmentRow, Intake, PatientRow


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
    if row is None or not _is_same(today, digest_of(data), row.today, row.digest):
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

    Every caller (a read, each write, the demo, ``store_many``) stores through this rule,
    so an unchanged record never adds to its history twice, whatever surface looked at
    or rewrote it.
    """
    same = latest_matching(session, patient_id, today, data)
    if same is not None:
        return same
    now = when(at)
    values = _values(patient_id, today, data, cause, now)
    new_id = session.connection().execute(_INSERT, values).scalar_one()
    return Stored(new_id, patient_id, now, today, cause, str(data["triage"]), data)


def _values(
    patient_id: int, today: dt.date, data: dict[str, Any], cause: str, now: dt.datetime
) -> dict[str, Any]:
    """An assessment's row: the triage, phase, day count, step and version copied out for
    the worklist's SQL."""
    return {
        "patient_id": patient_id,
        "created_at": now,
        "today": today,
        "content_version": str(data["content_version"]),
        "triage": str(data["triage"]),
        "phase": data.get("phase"),
        "days_since_onset": data.get("days_since_onset"),
        "step": (data.get("medication") or {}).get("step"),
        "cause": cause,
        "data": data,
        "digest": digest_of(data),
    }


def _is_same(today: dt.date, digest: str, newest_today: dt.date, newest_digest: str | None) -> bool:
    """The dedupe rule of ``store``: the newest stored one is this assessment of this day."""
    return newest_today == today and newest_digest == digest


_NEWEST_OF_MANY = select(
    _ASSESSMENTS.c.patient_id, _ASSESSMENTS.c.today, _ASSESSMENTS.c.digest
).where(
    _ASSESSMENTS.c.id.in_(
        select(func.max(_ASSESSMENTS.c.id))
        .where(_ASSESSMENTS.c.patient_id.in_(bindparam("patient_ids", expanding=True)))
        .group_by(_ASSESSMENTS.c.patient_id)
    )
)


Newest = tuple[dt.date, str | None]  # a patient's newest stored assessment: its day and digest


def store_many(
    session: Session,
    today: dt.date,
    results: dict[int, dict[str, Any]],
    cause: str,
    *,
    at: dt.datetime | None = None,
    newest: dict[int, Newest] | None = None,
) -> list[int]:
    """``store`` for many patients at once (patient id -> assessment as of ``today``), in two
    statements: the newest stored assessment of each, then one insert of those that differ.

    The same rule as ``store``: a patient whose newest stored assessment is this very
    assessment of this very day gets nothing new. A caller that read the newest of each
    (with the patients locked, as ``stale_patients`` does) passes them as ``newest``, and
    the first statement is saved: a patient missing from it has none. Returns the
    patients that got one.
    """
    if not results:
        return []
    connection = session.connection()
    if newest is None:
        newest = {
            row.patient_id: (row.today, row.digest)
            for row in connection.execute(_NEWEST_OF_MANY, {"patient_ids": list(results)})
        }
    now = when(at)
    rows = []
    for patient_id, data in results.items():
        values = _values(patient_id, today, data, cause, now)
        found = newest.get(patient_id)
        if found is None or not _is_same(today, values["digest"], *found):
            rows.append(values)
    if rows:
        connection.execute(insert(_ASSESSMENTS), rows)
    return [row["patient_id"] for row in rows]


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


# --- stale assessments: the patients whose newest decision is of an earlier day -------

_PATIENTS = cast(Table, PatientRow.__table__)
_INTAKES = cast(Table, Intake.__table__)


def _of_newest(column: ColumnElement[Any]) -> ScalarSelect[Any]:
    """``column`` of each patient's newest assessment: a backward step on the (patient_id,
    id) index a patient. Not a join on the newest id: for a large team PostgreSQL then
    hashed every assessment of every patient (343 ms for 10,000 patients of 111,000)."""
    return (
        select(column)
        .where(_ASSESSMENTS.c.patient_id == _PATIENTS.c.id)
        .order_by(_ASSESSMENTS.c.id.desc())
        .limit(1)
        .correlate(_PATIENTS)
        .scalar_subquery()
    )


_NEWEST_TODAY = _of_newest(_ASSESSMENTS.c.today)
_NEWEST_DIGEST = _of_newest(_ASSESSMENTS.c.digest)
_WITH_INTAKE = _PATIENTS.outerjoin(_INTAKES, _INTAKES.c.patient_id == _PATIENTS.c.id)
# Stale: an intake (so there is a case) and no assessment yet, or only one of an earlier day.
# One of a later day (the clock went back) is left alone, as is one of today.
_STALE = and_(
    _INTAKES.c.patient_id.is_not(None),
    or_(_NEWEST_TODAY.is_(None), bindparam("today") > _NEWEST_TODAY),
)


def _in_team(team_ids: Sequence[int] | None) -> ColumnElement[bool]:
    return true() if team_ids is None else _PATIENTS.c.team_id.in_(list(team_ids))


@dataclass(frozen=True, slots=True)
class Freshness:
    """How current the stored decisions of a set of patients are, as of one day."""

    patients: int
    with_intake: int  # the others have no case to assess yet
    stale: int  # with an intake, and no assessment of that day (or later)


def freshness(
    session: Session, today: dt.date, *, team_ids: Sequence[int] | None = None
) -> Freshness:
    """The counts of ``Freshness`` for every patient (or some teams'), in one query."""
    stale: ColumnElement[int] = case((_STALE, 1), else_=0)
    stmt = (
        select(
            func.count(_PATIENTS.c.id),
            func.count(_INTAKES.c.patient_id),
            func.coalesce(func.sum(stale), 0),
        )
        .select_from(_WITH_INTAKE)
        .where(_in_team(team_ids))
    )
    row = session.execute(stmt, {"today": today}).one()
    return Freshness(int(row[0]), int(row[1]), int(row[2]))


@dataclass(frozen=True, slots=True)
class Stale:
    """A patient to re-assess: the record's language and its newest stored assessment."""

    patient_id: int
    language: str
    newest: Newest | None  # None: no assessment yet


def stale_patients(
    session: Session,
    today: dt.date,
    *,
    team_ids: Sequence[int] | None = None,
    after: int = 0,
    limit: int | None,
) -> list[Stale]:
    """Up to ``limit`` stale patients with an id above ``after``, by id, in one query: page
    on with the last id, so a record that stays stale is passed, not redone.

    Their patient rows are locked (PostgreSQL; SQLite holds its write lock anyway) as a
    single record's writers lock theirs, so a diary day saved meanwhile is either read
    here or written after this transaction, never overwritten by an older decision; and
    each one's newest assessment, read here, stays the newest (``store_many``'s dedupe).
    """
    stmt = (
        select(_PATIENTS.c.id, _PATIENTS.c.language, _NEWEST_TODAY, _NEWEST_DIGEST)
        .select_from(_WITH_INTAKE)
        .where(_STALE, _PATIENTS.c.id > after, _in_team(team_ids))
        .order_by(_PATIENTS.c.id)
        .limit(limit)
        .with_for_update(of=_PATIENTS)
    )
    rows = session.execute(stmt, {"today": today})
    return [Stale(int(r[0]), str(r[1]), None if r[2] is None else (r[2], r[3])) for r in rows]


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
