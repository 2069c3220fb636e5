"""Stored answers to POSTs that carried an ``Idempotency-Key``.

A retry with the same key gets the first answer instead of a second effect.
Keys are per user; the fingerprint (method, path, body) catches a key reused
for a different request. The caller owns the transaction, so the answer is
stored together with the effect it describes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import IdempotencyKey


def find(session: Session, user_id: int, key: str) -> IdempotencyKey | None:
    stmt = select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
    )
    return session.scalars(stmt).first()


def purge_user(session: Session, user_id: int, older_than: dt.datetime) -> None:
    """Forget this user's keys past their lifetime, so a key may be used again later."""
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < older_than
        )
    )


def save(
    session: Session,
    *,
    user_id: int,
    key: str,
    fingerprint: str,
    status_code: int,
    body: dict[str, Any],
    patient_id: int | None,
    at: dt.datetime | None = None,
) -> None:
    session.add(
        IdempotencyKey(
            user_id=user_id,
            key=key,
            patient_id=patient_id,
            fingerprint=fingerprint,
            status_code=status_code,
            body=body,
            created_at=when(at),
        )
    )
    session.flush()


def purge(session: Session, older_than: dt.datetime) -> None:
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < older_than))
