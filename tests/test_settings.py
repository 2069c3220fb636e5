"""RUGHERNIA_* settings: defaults, and a clear error naming the variable for a bad value."""

from __future__ import annotations

import pytest

from rughernia.settings import Settings, SettingsError
from rughernia.web.app import create_app

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_postgres_requests_use_the_database_four_at_a_time_per_process() -> None:
    # create_app does not connect: the engine opens its first connection on first use.
    app = create_app(Settings.from_env({"RUGHERNIA_DATABASE_URL": PG}))
    assert app.state.rughernia.db_slots == 4
    tuned = {"RUGHERNIA_DATABASE_URL": PG, "RUGHERNIA_DB_POOL_SIZE": "6"}
    tuned["RUGHERNIA_DB_MAX_OVERFLOW"] = "2"
    assert create_app(Settings.from_env(tuned)).state.rughernia.db_slots == 8


def test_no_overflow_is_allowed_and_fractions_of_hours_too() -> None:
    env = {"RUGHERNIA_DB_MAX_OVERFLOW": "0", "RUGHERNIA_SESSION_HOURS": "0.5"}
    settings = Settings.from_env(env)
    assert (settings.db_max_overflow, settings.session_hours) == (0, 0.5)


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("DB_POOL_SIZE", "0", "'0' is not allowed; use a whole number from 1 to 100"),
        ("DB_MAX_OVERFLOW", "-1", "'-1' is not allowed; use a whole number from 0 to 100"),
        ("SESSION_HOURS", "0", "'0' is not allowed; use a number from 0.01 to 8784"),
        ("DB_POOL_SIZE", "four", "'four' is not allowed; use a whole number from 1 to 100"),
        ("SESSION_HOURS", "lang", "'lang' is not allowed; use a number from 0.01 to 8784"),
        # Accepted before, and then an overflowing timedelta answered 500.
        ("SESSION_HOURS", "inf", "'inf' is not allowed; use a number from 0.01 to 8784"),
        ("SESSION_HOURS", "nan", "'nan' is not allowed; use a number from 0.01 to 8784"),
        (
            "INVITATION_DAYS",
            "99999999",
            "'99999999' is not allowed; use a whole number from 1 to 366",
        ),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_allows(
    name: str, raw: str, message: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({f"RUGHERNIA_{name}": raw})
    assert str(caught.value) == f"RUGHERNIA_{name}: {message}"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///x.db",
        "sqlite+pysqlite:///x.db",
        "postgresql://u@h/db",
        "postgresql+psycopg://u:pw@h:5432/db",
    ],
)
def test_the_databases_we_support_are_allowed(url: str) -> None:
    assert Settings.from_env({"RUGHERNIA_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:secret@h/db", "the scheme 'mysql' is not supported"),
        ("postgresql+asyncpg://u:secret@h/db", "the scheme 'postgresql+asyncpg' is not supported"),
        ("postgresql+psycopg://u:secret@h:port/db", "not a database URL"),
        ("secret", "not a database URL"),
    ],
)
def test_another_database_url_is_refused_without_showing_it(url: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"RUGHERNIA_DATABASE_URL": url})
    help_ = "use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
    assert str(caught.value) == f"RUGHERNIA_DATABASE_URL: {message}; {help_}"
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../etc/passwd", "Europe/", "Europe"])
def test_a_time_zone_that_does_not_exist_is_refused_at_start(zone: str) -> None:
    # It started the server before, and every assessment then answered 500.
    with pytest.raises(SettingsError, match=r"RUGHERNIA_TIMEZONE: .* is not a time zone"):
        Settings.from_env({"RUGHERNIA_TIMEZONE": zone})
    assert Settings.from_env({"RUGHERNIA_TIMEZONE": "Asia/Tokyo"}).zone.key == "Asia/Tokyo"
