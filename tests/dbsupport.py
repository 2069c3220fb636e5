"""Helpers for the database and API tests: the settable clock, intake data, the test world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event

from rughernia.contract import NO_ALARM_SYMPTOMS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The tests' "now": a Monday morning in Amsterdam (the date of the shared examples).
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
PASSWORD = "correct-horse-battery"


@dataclass
class Clock:
    """The app's clock, settable by tests."""

    now: dt.datetime = NOW

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.now = self.now + dt.timedelta(**delta)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(AMSTERDAM).date()


def intake_for(onset: dt.date, **symptoms: Any) -> dict[str, Any]:
    return {
        "onset": onset.isoformat(),
        "patient": {"age": 42, "sex": "female", "weight_kg": 70},
        "symptoms": {**NO_ALARM_SYMPTOMS, **symptoms},
    }


@dataclass
class World:
    """Accounts and records for API tests; ``h(name)`` gives a user's bearer headers."""

    client: Any
    tokens: dict[str, str] = field(default_factory=dict)
    patient_ids: dict[str, int] = field(default_factory=dict)
    team_ids: dict[str, int] = field(default_factory=dict)

    def h(self, name: str | None, **extra: str) -> dict[str, str]:
        out = dict(extra)
        if name is not None:
            out["Authorization"] = f"Bearer {self.tokens[name]}"
        return out

    def sign_in(self, username: str, password: str = PASSWORD) -> str:
        r = self.client.post("/api/v1/session", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        token: str = r.json()["token"]
        # The world speaks with bearer tokens only: no cookie may make a request signed in.
        self.client.cookies.clear()
        self.tokens[username] = token
        return token


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the block runs (to count queries)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
