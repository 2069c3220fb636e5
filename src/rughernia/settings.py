"""One Settings object, read from ``RUGHERNIA_*`` environment variables.

Nothing happens at import time: the working directory and the environment are
read when ``Settings.from_env()`` is called, so tests and the CLI decide when.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Annotated, get_args, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from rughernia import cds_settings

DEFAULT_DB_FILE = "rughernia.db"
# The databases the store is written and tested for (psycopg 3 is the PostgreSQL driver).
DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")
_URL_HELP = "use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"


class SettingsError(ValueError):
    """A RUGHERNIA_* variable has a value we cannot use."""


@dataclass(frozen=True, slots=True)
class Range:
    """The values a number setting allows, inclusive: stated so errors can say them."""

    low: float
    high: float

    def allowed(self, kind: type) -> str:
        what = "a whole number" if kind is int else "a number"
        return f"{what} from {self.low:g} to {self.high:g}"


@dataclass(frozen=True, slots=True)
class Settings:
    # Every number states its Range: a value outside it stops the service at start, naming
    # it, instead of failing later (an overflowing timedelta, a pool of a million).
    database_url: str
    timezone: str = "Europe/Amsterdam"
    session_hours: Annotated[float, Range(0.01, 24 * 366)] = 12.0
    invitation_days: Annotated[int, Range(1, 366)] = 14
    # A password reset code's lifetime: short, since it replaces a password (a week at most).
    reset_code_hours: Annotated[int, Range(1, 168)] = 24
    # Sign-in throttling (docs/api.md, "Throttling"): after this many failures within the
    # window a name is locked for the window.
    login_max_failures: Annotated[int, Range(1, 1000)] = 5
    login_window_minutes: Annotated[int, Range(1, 7 * 24 * 60)] = 15
    # An address is never locked: behind one NAT it is a whole practice. After this many
    # failures from it (within the window, which starts again at each failure), each further
    # attempt from it must wait 1, 2, 4, ... seconds after the one before, at most the maximum.
    login_address_free_failures: Annotated[int, Range(1, 100_000)] = 10
    login_address_max_delay_seconds: Annotated[int, Range(1, 3600)] = 30
    # Redeeming an invitation: failures with one valid code (a taken name) before that code
    # is locked for the window; the address waits as at sign-in.
    redeem_max_failures: Annotated[int, Range(1, 1000)] = 5
    # Argon2 cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    # Tests lower them to stay fast; production never should.
    argon2_time_cost: Annotated[int, Range(1, 100)] = 3
    argon2_memory_kib: Annotated[int, Range(1024, 4 * 1024 * 1024)] = 65536
    # PostgreSQL connections per worker process, and so its requests that use the database
    # at once (the rest wait their turn, first come first served, on the event loop).
    # Few on purpose: on 2 cores, 4 instead of 20 took the p99 of signed-in requests at 32
    # concurrent clients from 160-230 ms to 70-90 ms at the same throughput, since fewer
    # threads compete for the interpreter (docs/benchmarks.md).
    db_pool_size: Annotated[int, Range(1, 100)] = 4
    db_max_overflow: Annotated[int, Range(0, 100)] = 0
    idempotency_hours: Annotated[int, Range(1, 24 * 366)] = 24
    # How long a request may take to send its body (all of it, or the next part): a client
    # that sends less than its Content-Length otherwise holds a connection open for minutes.
    body_timeout_seconds: Annotated[float, Range(0.1, 600)] = 10.0
    # CDS Hooks (docs/interop.md): the EHRs' public keys (a JWKS file, read at start), the
    # issuers allowed (comma-separated), and our address as EHRs call it: the JWT audience
    # is PUBLIC_URL + the service's path, and the cards link to PUBLIC_URL/patients/{id}.
    cds_jwks_file: str = ""
    cds_issuers: str = ""
    public_url: str = ""
    # Demo mode: CDS Hooks calls without a JWT are accepted (a sandbox, a demo). Off in
    # production: an unsigned call is refused.
    demo_mode: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get("RUGHERNIA_DATABASE_URL") or default_database_url()
        settings = cls(database_url=_checked_url(url))
        overrides: dict[str, object] = {}
        for name, (kind, bounds) in TUNABLE.items():
            raw = env.get("RUGHERNIA_" + name.upper())
            if raw is None or raw == "":
                continue
            if kind is bool:
                overrides[name] = _flag(name, raw)
            else:
                overrides[name] = raw if bounds is None else _number(name, raw, kind, bounds)
        checked = replace(settings, **overrides)  # type: ignore[arg-type]
        checked.zone  # noqa: B018 - checked now: a bad zone must not start a server (it answered 500)
        try:
            cds_settings.check(checked.cds_jwks_file, checked.cds_issuers, checked.public_url)
        except cds_settings.CdsSettingsError as exc:
            raise SettingsError(str(exc)) from None
        return checked

    @property
    def zone(self) -> ZoneInfo:
        """The time zone whose date is "today" for patients and clinicians."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a directory
            msg = (
                f"RUGHERNIA_TIMEZONE: {self.timezone[:60]!r} is not a time zone; "
                "use a name such as Europe/Amsterdam"
            )
            raise SettingsError(msg) from None

    @property
    def cds_issuer_list(self) -> tuple[str, ...]:
        return cds_settings.issuers(self.cds_issuers)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _number(name: str, raw: str, kind: type, bounds: Range) -> int | float:
    """``raw`` as the field's type within its range, or one line saying what is allowed."""
    try:
        value: int | float = kind(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and bounds.low <= value <= bounds.high):  # nan, inf: refused
        msg = f"RUGHERNIA_{name.upper()}: {raw[:40]!r} is not allowed; use {bounds.allowed(kind)}"
        raise SettingsError(msg)
    return value


def _flag(name: str, raw: str) -> bool:
    try:
        return cds_settings.flag(name, raw)
    except cds_settings.CdsSettingsError as exc:
        raise SettingsError(str(exc)) from None


def _checked_url(url: str) -> str:
    """The URL if it names a database we support; the message never shows the URL itself,
    since it may hold a password."""
    try:
        scheme = make_url(url).drivername
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise SettingsError(f"RUGHERNIA_DATABASE_URL: not a database URL; {_URL_HELP}") from None
    if scheme not in DATABASE_SCHEMES:
        msg = f"RUGHERNIA_DATABASE_URL: the scheme {scheme[:40]!r} is not supported; {_URL_HELP}"
        raise SettingsError(msg)
    return url


# Every field but the URL is tunable as RUGHERNIA_<NAME>, read as its own type (a number
# within its Range; text as it is, the time zone checked by ``zone``).
_HINTS = get_type_hints(Settings, include_extras=True)
# For a number whose Range was forgotten (tests/test_settings.py insists on one).
UNSTATED = Range(0, 1_000_000)


def _tunable(hint: object) -> tuple[type, Range | None]:
    args = get_args(hint)
    if args:  # Annotated[kind, Range(...)]
        kind, *extras = args
        stated = [e for e in extras if isinstance(e, Range)]
        return kind, stated[0] if stated else UNSTATED
    assert isinstance(hint, type)
    return hint, (UNSTATED if hint in (int, float) else None)


TUNABLE: dict[str, tuple[type, Range | None]] = {
    f.name: _tunable(_HINTS[f.name]) for f in fields(Settings) if f.name != "database_url"
}


def default_database_url() -> str:
    """A SQLite file in the working directory: ``rughernia serve`` needs nothing else."""
    return "sqlite:///" + str(Path.cwd() / DEFAULT_DB_FILE)
