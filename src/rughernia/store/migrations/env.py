"""Alembic environment: runs on the engine handed over by rughernia.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from rughernia.store.tables import Base

config = context.config
engine: Engine = config.attributes["engine"]


def run_migrations_online() -> None:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
