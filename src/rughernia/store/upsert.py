"""INSERT ... ON CONFLICT for both databases, so concurrent writers never collide."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


def upsert(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str],
) -> None:
    """Insert ``values``; when a row with the same ``keys`` exists, set the ``update`` columns."""
    connection = session.connection()
    stmt = _statement(connection.dialect.name, table, tuple(keys), tuple(update))
    connection.execute(stmt, dict(values))


@functools.cache
def _statement(
    dialect: str, table: Table, keys: tuple[str, ...], update: tuple[str, ...]
) -> Insert:
    # Built once per table and shape: diary writes run it on every request.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: stmt.excluded[name] for name in update},
    )
