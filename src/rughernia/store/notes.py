"""A clinician's notes on a record, and findings acknowledged until a review date.

The caller owns the transaction. Whether a finding may be acknowledged, and whether
an acknowledgement still counts, is the pathway's rule (``pathway.acknowledgement``);
here are the rows (the worklist reads them for a whole team, ``store.worklist``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import ClinicalNote, FindingAck

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
