"""CDS Hooks: the JWT ids seen (replay protection across processes) and card feedback.

The caller owns the transaction and gives the time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Table, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rughernia.store.tables import CdsFeedback, CdsJti

JTI_TABLE = cast(Table, CdsJti.__table__)
FEEDBACK_TABLE = cast(Table, CdsFeedback.__table__)


def first_use(
    session: Session, issuer: str, jti: str, expires_at: dt.datetime, *, at: dt.datetime
) -> bool:
    """Remember ``jti`` of ``issuer``; False when it was remembered already (a replay).

    One INSERT ... ON CONFLICT DO NOTHING: of two processes racing with the same token
    exactly one inserts, so exactly one accepts it. Ids whose token has expired are
    pruned first; such a token is refused for its ``exp`` anyway.
    """
    session.execute(delete(JTI_TABLE).where(JTI_TABLE.c.expires_at < at))
    dialect = session.connection().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        make(JTI_TABLE)
        .values(issuer=issuer, jti=jti, expires_at=expires_at)
        .on_conflict_do_nothing(index_elements=["issuer", "jti"])
        # RETURNING, not rowcount: psycopg's rowcount for this statement was not 1.
        .returning(JTI_TABLE.c.jti)
    )
    return session.execute(stmt).first() is not None


def add_feedback(
    session: Session,
    issuer: str | None,
    service_id: str,
    items: list[dict[str, Any]],
    *,
    at: dt.datetime,
) -> None:
    """One row per card acted on: ``card``, ``outcome``, ``outcome_at``, ``detail``."""
    if items:
        rows = [{"at": at, "issuer": issuer, "service_id": service_id, **item} for item in items]
        session.execute(insert(FEEDBACK_TABLE), rows)
