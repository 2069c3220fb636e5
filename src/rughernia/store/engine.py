"""Engines for SQLite (embedded default) and PostgreSQL (production).

SQLite is tuned for durability and many threads: WAL, synchronous=FULL (an
acknowledged commit survives a crash; reads may relax it for their audit row,
see ``relaxed``), foreign keys on, a busy timeout, and
every transaction opened with BEGIN IMMEDIATE. Our transactions nearly all
write (even reads write an audit record), and a deferred transaction that
upgrades from read to write fails at once with "database is locked" instead
of waiting; taking the write lock up front makes SQLite queue them instead.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option for transactions that only record reading (the audit row of a GET).
RELAXED_OPTION = "rughernia_relaxed_durability"


def make_engine(url: str, *, pool_size: int = 20, max_overflow: int = 20) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size=pool_size, max_overflow=max_overflow)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
    )


def _sqlite_engine(url: str, *, pool_size: int, max_overflow: int) -> Engine:
    # One connection per process: SQLite runs one writer at a time anyway, and threads
    # queueing on the pool are handed the connection at once, whereas threads waiting in
    # SQLite's busy handler sleep in steps of up to 100 ms. Other processes (more
    # workers, the CLI) wait in ``_begin_immediate``. The pool arguments are for PostgreSQL.
    del pool_size, max_overflow
    engine = create_engine(
        url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        record.info["synchronous"] = "FULL"
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight on the sqlite3 connection: these run for every request.
        raw = connection.connection.driver_connection
        # The safety level can only change between transactions, so it is set at a begin,
        # and only when it differs from the connection's current one.
        level = "NORMAL" if connection.get_execution_options().get(RELAXED_OPTION) else "FULL"
        info = connection.connection.info
        if info.get("synchronous") != level:
            raw.execute(f"PRAGMA synchronous={level}")
            info["synchronous"] = level
        _begin_immediate(raw)

    return engine


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting for another process's write lock in short steps.

    SQLite's own busy handler sleeps 1, 2, 5, 10 ... up to 100 ms between tries,
    so with several worker processes a waiting one kept missing the moments the
    lock was free (writes waited up to seconds). Here it tries again every 0.1 to
    1 ms, up to the same busy timeout; other statements keep SQLite's handler.
    """
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        delay = 0.0001
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    # As SQLAlchemy would have wrapped it: the app answers 503, not 500.
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.001)
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def relaxed(engine: Engine) -> Engine:
    """The same engine (and pool), whose transactions commit without waiting for the disk.

    For requests that change nothing but the audit trail of a read (and a
    re-computable assessment). On SQLite in WAL mode with synchronous=NORMAL a
    commit survives a crash of the process; only a power loss or OS crash may
    lose the newest such rows. Writes of health data keep synchronous=FULL.
    PostgreSQL ignores it.
    """
    return engine.execution_options(**{RELAXED_OPTION: True})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: handlers build their answer after the commit.
    return sessionmaker(engine, expire_on_commit=False)
