"""The audit log (NEN 7513 spirit): who did what to whose record, when, from where.

Rows hold no health data, only identities, the action and its outcome, so
they may outlive an erased record. The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import AuditRow

AUDIT_TABLE = cast(Table, AuditRow.__table__)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a signed-in user or, with no user, an anonymous caller."""

    user_id: int | None
    username: str | None
    role: str | None
    client_address: str | None


def write(
    session: Session,
    actor: Actor,
    action: str,
    outcome: str,
    patient_ids: Iterable[int | None] = (None,),
    *,
    at: dt.datetime | None = None,
) -> None:
    """One row per patient touched (a list read touches many) in one statement."""
    at = when(at)
    rows = [
        {
            "at": at,
            "user_id": actor.user_id,
            "username": actor.username,
            "role": actor.role,
            "patient_id": patient_id,
            "action": action,
            "outcome": outcome,
            "client_address": actor.client_address,
        }
        for patient_id in patient_ids
    ]
    if rows:
        # Core insert: no ORM bookkeeping for rows nobody reads back in this request.
        session.execute(insert(AUDIT_TABLE), rows)


def for_patient(session: Session, patient_id: int, limit: int = 500) -> list[AuditRow]:
    stmt = (
        select(AuditRow)
        .where(AuditRow.patient_id == patient_id)
        .order_by(AuditRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def recent(session: Session, limit: int = 100) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)))
