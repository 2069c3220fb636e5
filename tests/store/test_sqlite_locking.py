"""SQLite with several processes: a writer waits for another's lock in short steps."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from rughernia.store import engine as store_engine
from rughernia.store.engine import make_engine
from rughernia.store.migrate import upgrade


def _engines(tmp_path: Path) -> tuple[Engine, Engine]:
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    first, second = make_engine(url), make_engine(url)  # two pools: like two processes
    upgrade(first)
    return first, second


def test_a_writer_gets_the_lock_soon_after_it_is_released(tmp_path: Path) -> None:
    first, second = _engines(tmp_path)
    holder = first.connect()
    holder.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is held
    waited: list[float] = []

    def write() -> None:
        start = time.monotonic()
        with second.begin() as conn:
            conn.execute(text("INSERT INTO teams (name, created_at) VALUES ('t', '2026-01-01')"))
        waited.append(time.monotonic() - start)

    thread = threading.Thread(target=write)
    thread.start()
    hold = 0.95
    time.sleep(hold)
    assert thread.is_alive(), "the second writer did not wait for the lock"
    holder.commit()
    holder.close()
    thread.join(5)
    assert waited, "the second writer never got the lock"
    # SQLite's own back-off tries at 0.928 s and then 1.028 s: 78 ms after the release.
    assert waited[0] < hold + 0.06
    with first.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM teams")).scalar() == 1


def test_a_writer_that_waits_too_long_gets_a_database_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    first, second = _engines(tmp_path)
    holder = first.connect()
    holder.execute(text("SELECT 1"))
    start = time.monotonic()
    with pytest.raises(OperationalError, match="locked"), second.begin() as conn:
        conn.execute(text("SELECT 1"))
    assert 0.2 <= time.monotonic() - start < 2
    holder.rollback()
    holder.close()
    # The waiting connection is usable again, with its busy timeout restored.
    with second.begin() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 200
