"""Password reset codes, kept by their hash. The caller owns the transaction and gives the time.

Rows stay after use or voiding: with ``issued_by`` they say who gave whom a code when.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rughernia.store.tables import PasswordReset


def issue(
    session: Session,
    *,
    user_id: int,
    code_hash: str,
    issued_by: int | None,
    at: dt.datetime,
    expires_at: dt.datetime,
) -> PasswordReset:
    """A new code for the user; every older code of theirs still open is voided."""
    session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user_id,
            PasswordReset.used_at.is_(None),
            PasswordReset.voided_at.is_(None),
        )
        .values(voided_at=at)
    )
    row = PasswordReset(
        user_id=user_id,
        code_hash=code_hash,
        issued_by=issued_by,
        created_at=at,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


def usable(
    session: Session, code_hash: str, at: dt.datetime, *, lock: bool = False
) -> PasswordReset | None:
    """The code's row if it is unused, not voided and not expired; ``lock`` holds it until
    the transaction ends, so that two redeems of one code cannot both use it."""
    stmt = select(PasswordReset).where(
        PasswordReset.code_hash == code_hash,
        PasswordReset.used_at.is_(None),
        PasswordReset.voided_at.is_(None),
        PasswordReset.expires_at > at,
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).first()
