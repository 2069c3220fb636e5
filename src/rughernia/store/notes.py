"""A clinician's notes on a record, and findings acknowledged until a review date.

The caller owns the transaction. Whether a finding may be acknowledged, and whether
an acknowledgement still counts, is the pathway's rule (``pathway.acknowledgement``);
here are the rows, and the one set-based query the worklist needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from rughernia.content import load
from rughernia.pathway.acknowledgement import in_force, may_acknowledge
from rughernia.pathway.model import Content
from rughernia.store.clock import when
from rughernia.store.tables import ClinicalNote, DiaryRow, FindingAck, Intake, MedicationRow

# --- notes --------------------------------------------------------------------------


def add_note(
    session: Session,
    patient_id: int,
    kind: str,
    text: str,
    *,
    by: int | None,
    by_name: str,
    at: dt.datetime | None = None,
) -> ClinicalNote:
    row = ClinicalNote(
        patient_id=patient_id, kind=kind, text=text, by_user_id=by, by_name=by_name, at=when(at)
    )
    session.add(row)
    session.flush()
    return row


def notes(session: Session, patient_id: int) -> list[ClinicalNote]:
    """Newest first (by id: two notes of the same instant keep the order they were written)."""
    stmt = select(ClinicalNote).where(ClinicalNote.patient_id == patient_id)
    return list(session.scalars(stmt.order_by(ClinicalNote.id.desc())))


# --- finding acknowledgements -------------------------------------------------------


def add_finding_ack(
    session: Session,
    patient_id: int,
    code: str,
    until: dt.date,
    note: str,
    *,
    by: int | None,
    by_name: str,
    at: dt.datetime | None = None,
) -> FindingAck:
    row = FindingAck(
        patient_id=patient_id,
        code=code,
        until=until,
        note=note,
        by_user_id=by,
        by_name=by_name,
        at=when(at),
    )
    session.add(row)
    session.flush()
    return row


def finding_acks(session: Session, patient_id: int) -> list[FindingAck]:
    """Every acknowledgement of the record, newest first."""
    stmt = select(FindingAck).where(FindingAck.patient_id == patient_id)
    return list(session.scalars(stmt.order_by(FindingAck.id.desc())))


_ACKS = cast(Table, FindingAck.__table__)
_INTAKES = cast(Table, Intake.__table__)
_DIARY = cast(Table, DiaryRow.__table__)
_MEDICATIONS = cast(Table, MedicationRow.__table__)


def _newest(column: Any, patient_id: Any) -> Any:
    """The newest ``column`` of one record's rows (a correlated subquery: an index lookup)."""
    table = column.table
    return (
        select(func.max(column))
        .where(table.c.patient_id == patient_id)
        .correlate(_ACKS)
        .scalar_subquery()
    )


# The newest acknowledgement of each code of each patient: it alone decides (a later one
# with an earlier date shortens the wait, one with a later date extends it: as the
# clinician said last). With the newest change of its record's intake, diary and
# medication: one query for any number of patients.
_NEWEST_PER_CODE = (
    select(func.max(_ACKS.c.id))
    .where(_ACKS.c.patient_id.in_(bindparam("patient_ids", expanding=True)))
    .group_by(_ACKS.c.patient_id, _ACKS.c.code)
)
_CANDIDATES = select(
    _ACKS.c.patient_id,
    _ACKS.c.code,
    _ACKS.c.until,
    _ACKS.c.at,
    _newest(_INTAKES.c.updated_at, _ACKS.c.patient_id).label("intake_at"),
    _newest(_DIARY.c.updated_at, _ACKS.c.patient_id).label("diary_at"),
    _newest(_MEDICATIONS.c.updated_at, _ACKS.c.patient_id).label("medication_at"),
).where(_ACKS.c.id.in_(_NEWEST_PER_CODE))


def _changed_at(*times: dt.datetime | None) -> dt.datetime | None:
    """The newest of the times given (an aggregate over no rows is None)."""
    known = [t for t in times if t is not None]
    return max(known) if known else None


def record_changed_at(session: Session, patient_id: int) -> dt.datetime | None:
    """The newest change of the record's intake, diary and medication (None: nothing yet)."""
    stmt = select(
        _newest(_INTAKES.c.updated_at, patient_id),
        _newest(_DIARY.c.updated_at, patient_id),
        _newest(_MEDICATIONS.c.updated_at, patient_id),
    )
    row = session.execute(stmt).one()
    return _changed_at(*row)


def acks_in_force(
    session: Session,
    patient_ids: Iterable[int],
    today: dt.date,
    *,
    content: Content | None = None,
) -> dict[int, set[str]]:
    """The codes acknowledged and still in force, per patient (those with none left out),
    in one query whatever the number of patients. No audit: the caller's step audits.
    Only the newest acknowledgement of a code counts (see ``_NEWEST_PER_CODE``).

    The rules are applied here as when the acknowledgement was given (``may_acknowledge``
    again, so a code later put on the content's never-list stops counting at once).
    """
    ids = list(patient_ids)
    if not ids:
        return {}
    rules = content or load()
    out: dict[int, set[str]] = {}
    rows = session.connection().execute(_CANDIDATES, {"patient_ids": ids})
    for row in rows:
        changed = _changed_at(row.intake_at, row.diary_at, row.medication_at)
        if may_acknowledge(row.code, rules) and in_force(row.until, row.at, today, changed):
            out.setdefault(int(row.patient_id), set()).add(str(row.code))
    return out
