"""Sign-in checks the password outside any transaction, and the throttle still holds.

argon2 takes about 0.1 s of CPU at production cost. Checked inside a transaction it
held the process's database connection (on SQLite: the write lock of every process),
so all other requests waited for each sign-in. Attempts are counted before their
password is checked, so guesses sent in parallel cannot get past the lock.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rughernia.settings import Settings
from rughernia.store import accounts
from rughernia.web.app import create_app
from tests.dbsupport import PASSWORD, Clock

SIGN_IN = "/api/v1/session"


def _client(settings: Settings, clock: Clock, connections: int) -> TestClient:
    tuned = dataclasses.replace(settings, db_pool_size=connections, db_max_overflow=0)
    app = create_app(tuned, clock=clock)
    state = app.state.rughernia
    with state.sessions() as s:
        team = accounts.ensure_team(s, "Team A")
        for name in ("doc_a", "doc_b"):
            hashed = state.passwords.hash(PASSWORD)
            accounts.add_user(
                s, username=name, password_hash=hashed, role="clinician", team_ids=[team.id]
            )
        s.commit()
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def one_connection(settings: Settings, clock: Clock) -> Iterator[TestClient]:
    """An app whose process has a single database connection (SQLite's own setting)."""
    with _client(settings, clock, 1) as client:
        yield client


@pytest.fixture
def eight_connections(settings: Settings, clock: Clock) -> Iterator[TestClient]:
    """On PostgreSQL, eight sign-ins at once in their transactions (SQLite has one)."""
    with _client(settings, clock, 8) as client:
        yield client


def _patch_verify(client: TestClient, make: Callable[[Any], Any]) -> None:
    passwords = client.app.state.rughernia.passwords  # type: ignore[attr-defined]
    passwords.verify = make(passwords.verify)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post(SIGN_IN, json={"username": username, "password": password})


def test_other_requests_use_the_database_while_a_password_is_checked(
    one_connection: TestClient,
) -> None:
    client = one_connection
    token = _sign_in(client, "doc_b").json()["token"]
    checking, release = threading.Event(), threading.Event()

    def blocking(verify: Any) -> Any:
        def wait_then_verify(stored: str | None, password: str) -> bool:
            checking.set()
            release.wait(10)
            return bool(verify(stored, password))

        return wait_then_verify

    _patch_verify(client, blocking)
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(_sign_in, client, "doc_a")
        assert checking.wait(5), "the sign-in never reached its password check"
        # The only connection is free: who-am-I looks up its token and answers now.
        quick = pool.submit(client.get, SIGN_IN, headers={"Authorization": f"Bearer {token}"})
        try:
            answer = quick.result(timeout=5)
            still_checking = not slow.done()
        finally:
            release.set()
        assert still_checking
        assert answer.status_code == 200
        assert answer.json()["username"] == "doc_b"
        assert slow.result(timeout=10).status_code == 200


def test_guesses_sent_in_parallel_meet_the_lock(eight_connections: TestClient) -> None:
    client = eight_connections

    def slow(verify: Any) -> Any:
        def sleep_then_verify(stored: str | None, password: str) -> bool:
            time.sleep(0.2)  # every attempt is in its password check at the same time
            return bool(verify(stored, password))

        return sleep_then_verify

    _patch_verify(client, slow)
    with ThreadPoolExecutor(10) as pool:
        codes = sorted(
            pool.map(lambda _: _sign_in(client, "doc_a", "wrong-guess").status_code, range(10))
        )
    # Five failures lock the name (login_max_failures); the other five never get a check.
    assert codes == [401] * 5 + [429] * 5
    assert _sign_in(client, "doc_a").status_code == 429
    assert _sign_in(client, "doc_b").status_code == 200  # another name from the same address


def test_a_successful_sign_in_does_not_count_against_the_address(
    one_connection: TestClient,
) -> None:
    # An address starts to wait after 10 failures; each attempt is counted before its check
    # and taken back when the password was right, so sign-ins never lock it.
    for _ in range(25):
        assert _sign_in(one_connection, "doc_a").status_code == 200
    for _ in range(4):
        assert _sign_in(one_connection, "doc_b", "wrong-guess").status_code == 401
    assert _sign_in(one_connection, "doc_b").status_code == 200
