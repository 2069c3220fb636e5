"""One Settings object, read from ``RUGHERNIA_*`` environment variables.

Nothing happens at import time: the working directory and the environment are
read when ``Settings.from_env()`` is called, so tests and the CLI decide when.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DB_FILE = "rughernia.db"


class SettingsError(ValueError):
    """A RUGHERNIA_* variable has a value we cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    timezone: str = "Europe/Amsterdam"
    session_hours: float = 12.0
    invitation_days: int = 14
    # Sign-in throttling (docs/api.md, "Throttling"): after this many failures within the
    # window a name is locked for the window.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    # An address is never locked: behind one NAT it is a whole practice. After this many
    # failures from it (within the window, which starts again at each failure), each further
    # attempt from it must wait 1, 2, 4, ... seconds after the one before, at most the maximum.
    login_address_free_failures: int = 10
    login_address_max_delay_seconds: int = 30
    # Redeeming an invitation: failures with one valid code (a taken name) before that code
    # is locked for the window; the address waits as at sign-in.
    redeem_max_failures: int = 5
    # Argon2 cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    # Tests lower them to stay fast; production never should.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # PostgreSQL connections per worker process, and so its requests that use the database
    # at once (the rest wait their turn, first come first served, on the event loop).
    # Few on purpose: on 2 cores, 4 instead of 20 took the p99 of signed-in requests at 32
    # concurrent clients from 160-230 ms to 70-90 ms at the same throughput, since fewer
    # threads compete for the interpreter (docs/benchmarks.md).
    db_pool_size: int = 4
    db_max_overflow: int = 0
    idempotency_hours: int = 24

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get("RUGHERNIA_DATABASE_URL") or default_database_url()
        settings = cls(database_url=url)
        overrides: dict[str, object] = {}
        for name, kind in _TUNABLE.items():
            raw = env.get("RUGHERNIA_" + name.upper())
            if raw is None or raw == "":
                continue
            try:
                value = kind(raw)
            except ValueError:
                what = "a whole number" if kind is int else "a number"
                msg = f"RUGHERNIA_{name.upper()}: {raw!r} is not {what}"
                raise SettingsError(msg) from None
            if isinstance(value, int | float):
                zero_allowed = name in _MAY_BE_ZERO
                if value < 0 or (value == 0 and not zero_allowed):
                    least = "0 or more" if zero_allowed else "above 0"
                    raise SettingsError(f"RUGHERNIA_{name.upper()}: must be {least}")
            overrides[name] = value
        checked = replace(settings, **overrides)  # type: ignore[arg-type]
        checked.zone  # noqa: B018 - checked now: a bad zone must not start a server (it answered 500)
        return checked

    @property
    def zone(self) -> ZoneInfo:
        """The time zone whose date is "today" for patients and clinicians."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            msg = (
                f"RUGHERNIA_TIMEZONE: {self.timezone!r} is not a time zone; "
                "use a name such as Europe/Amsterdam"
            )
            raise SettingsError(msg) from None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


# Every field but the URL is tunable as RUGHERNIA_<NAME>, read as the field's own type.
_HINTS = get_type_hints(Settings)
_TUNABLE: dict[str, type] = {
    f.name: _HINTS[f.name] for f in fields(Settings) if f.name != "database_url"
}


_MAY_BE_ZERO = frozenset({"db_max_overflow"})


def default_database_url() -> str:
    """A SQLite file in the working directory: ``rughernia serve`` needs nothing else."""
    return "sqlite:///" + str(Path.cwd() / DEFAULT_DB_FILE)
