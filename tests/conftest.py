"""Shared database fixtures: every storage and API test runs on SQLite and on PostgreSQL.

PostgreSQL is the test machine's server (127.0.0.1:5432, trust auth, database
``test``; override with RUGHERNIA_TEST_PG_URL). Each test session (each xdist
worker) migrates its own schema, so parallel runs never collide, and drops it
at the end. When PostgreSQL is unreachable its variants skip, unless
RUGHERNIA_REQUIRE_PG=1 (CI), where they fail.

Fixtures, from the bottom up:
- ``database_url``: a migrated, emptied database (parametrized: sqlite, postgresql)
- ``settings``, ``engine``, ``session``: for store tests
- ``clock``, ``app``, ``client``: an in-process app on that database
- ``world``: two teams, their clinicians, two patients with records, an admin
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from rughernia.settings import Settings
from rughernia.store.engine import make_engine, session_factory
from rughernia.store.migrate import upgrade
from rughernia.store.tables import Base
from tests.dbsupport import PASSWORD, Clock, World, intake_for

PG_URL = os.environ.get(
    "RUGHERNIA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_available() -> str | None:
    """None when reachable, else why not."""
    import psycopg

    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {exc}".strip()


def _with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)],
)
def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A freshly migrated database for this test session; yields its URL."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "rughernia-test.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url, pool_size=2, max_overflow=2)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    why = _pg_available()
    if why is not None:
        message = f"PostgreSQL at {PG_URL} is unreachable ({why})"
        if os.environ.get("RUGHERNIA_REQUIRE_PG") == "1":
            pytest.fail(message + " and RUGHERNIA_REQUIRE_PG=1")
        pytest.skip(message)
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL, pool_size=1, max_overflow=1)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _with_schema(PG_URL, schema)
    engine = make_engine(url, pool_size=2, max_overflow=2)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def empty_all_tables(engine: Engine) -> None:
    names = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture
def database_url(migrated: str) -> str:
    """The session's database, emptied before this test."""
    engine = make_engine(migrated, pool_size=1, max_overflow=1)
    try:
        empty_all_tables(engine)
    finally:
        engine.dispose()
    return migrated


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Cheap argon2 keeps the suite fast; the production cost is tested on its own.
    return Settings(database_url=database_url, argon2_time_cost=1, argon2_memory_kib=1024)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url, pool_size=5, max_overflow=5)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings: Settings, clock: Clock) -> Any:
    from rughernia.web.app import create_app

    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def world(client: Any, app: Any, clock: Clock) -> World:
    """Teams A and B, clinicians ``doc_a`` and ``doc_b``, patients ``pat_a`` (team A) and
    ``pat_b`` (team B), each with an intake (onset three weeks ago), and ``admin``."""
    from rughernia.store import accounts

    state = app.state.rughernia
    hashed = state.passwords.hash(PASSWORD)
    with state.sessions() as s:
        for team in ("A", "B"):
            t = accounts.ensure_team(s, f"Team {team}")
            accounts.add_user(
                s,
                username=f"doc_{team.lower()}",
                password_hash=hashed,
                role="clinician",
                team_ids=[t.id],
            )
        accounts.add_user(s, username="admin", password_hash=hashed, role="admin")
        s.commit()
    w = World(client)
    for name in ("doc_a", "doc_b", "admin"):
        w.sign_in(name)
    onset = clock.today - dt.timedelta(days=21)
    for team in ("a", "b"):
        r = client.post(
            "/api/v1/patients",
            json={"display_name": f"Patient {team.upper()}"},
            headers=w.h(f"doc_{team}"),
        )
        assert r.status_code == 201, r.text
        pid = r.json()["patient"]["id"]
        w.patient_ids[f"pat_{team}"] = pid
        w.team_ids[team] = r.json()["patient"]["team_id"]
        redeem = {
            "code": r.json()["invitation_code"],
            "username": f"pat_{team}",
            "password": PASSWORD,
        }
        assert client.post("/api/v1/invitations/redeem", json=redeem).status_code == 201
        w.sign_in(f"pat_{team}")
        r = client.put(
            f"/api/v1/patients/{pid}/intake", json=intake_for(onset), headers=w.h(f"pat_{team}")
        )
        assert r.status_code == 200, r.text
    return w
