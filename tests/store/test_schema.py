"""The migrations build exactly the tables the code declares, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

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
    from rughernia.store.engine import relaxed, session_factory

    if engine.dialect.name != "sqlite":
        return
    sessions = session_factory(engine)
    with sessions() as strict:
        assert strict.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    with session_factory(relaxed(engine))() as read:
        assert read.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    with sessions() as strict:  # the shared connection is strict again
        assert strict.execute(text("PRAGMA synchronous")).scalar() == 2


def test_migrating_keeps_what_is_stored(tmp_path: Path) -> None:
    """0001 -> head on a database with a stored assessment: the row survives, unmatched."""
    import datetime as dt

    from rughernia.store import assessments
    from rughernia.store.engine import make_engine, session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    data = {
        "content_version": "1",
        "triage": "urgent",
        "phase": "acute",
        "days_since_onset": 12,
        "medication": {"step": 2},
    }
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, created_at) VALUES ('t', '2026-01-01')"))
        conn.execute(
            text(
                "INSERT INTO patients (team_id, display_name, language, created_at) "
                "VALUES (1, 'p', 'nl', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assessments (patient_id, created_at, today, content_version, "
                "triage, phase, cause, data) VALUES (1, '2026-03-01 10:00:00', '2026-03-01', "
                "'1', 'urgent', 'acute', 'read', :data)"
            ),
            {"data": json.dumps(data)},
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with session_factory(engine)() as session:
        rows = assessments.all_of(session, 1)
        assert [(r.triage, r.data, r.digest) for r in rows] == [("urgent", data, None)]
        # 0006 copied the day count and step out of the stored JSON for the worklist.
        assert [(r.days_since_onset, r.step) for r in rows] == [(12, 2)]
        # A row without a digest never stands in for a new assessment: a new one is stored.
        assert assessments.latest_matching(session, 1, dt.date(2026, 3, 1), data) is None
    engine.dispose()
