"""INSERT ... ON CONFLICT for both databases, so concurrent writers never collide."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str],
) -> None:
    """Insert ``values``; when a row with the same ``keys`` exists, set the ``update`` columns."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: stmt.excluded[name] for name in update},
    )
    session.execute(stmt)
