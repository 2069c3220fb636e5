"""The migrations build exactly the tables the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from rughernia.store.migrate import current_revision, head_revision, upgrade
from rughernia.store.tables import Base


def test_migrated_to_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine) is not None


def test_migrations_match_the_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)


def test_sqlite_is_durable_and_checks_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        # 2 = FULL: a commit is on disk (WAL synced) before it is acknowledged.
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_reads_may_relax_durability_writes_never(engine: Engine) -> None:
    from rughernia.store.engine import relax_durability, relaxed, session_factory

    if engine.dialect.name != "sqlite":
        return
    sessions = session_factory(engine)
    with sessions() as loose:
        relax_durability(loose)
        assert loose.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    with sessions() as strict:
        assert strict.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    with session_factory(relaxed(engine))() as read:
        assert read.execute(text("PRAGMA synchronous")).scalar() == 1
    with sessions() as strict:  # the shared connection is strict again
        assert strict.execute(text("PRAGMA synchronous")).scalar() == 2
