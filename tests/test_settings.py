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
        ("DB_POOL_SIZE", "0", "RUGHERNIA_DB_POOL_SIZE: must be above 0"),
        ("DB_MAX_OVERFLOW", "-1", "RUGHERNIA_DB_MAX_OVERFLOW: must be 0 or more"),
        ("SESSION_HOURS", "0", "RUGHERNIA_SESSION_HOURS: must be above 0"),
        ("DB_POOL_SIZE", "four", "RUGHERNIA_DB_POOL_SIZE: 'four' is not a whole number"),
        ("SESSION_HOURS", "lang", "RUGHERNIA_SESSION_HOURS: 'lang' is not a number"),
    ],
)
def test_a_bad_value_names_the_variable(name: str, raw: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({f"RUGHERNIA_{name}": raw})
    assert str(caught.value) == message


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../etc/passwd", "Europe/"])
def test_a_time_zone_that_does_not_exist_is_refused_at_start(zone: str) -> None:
    # It started the server before, and every assessment then answered 500.
    with pytest.raises(SettingsError, match=r"RUGHERNIA_TIMEZONE: .* is not a time zone"):
        Settings.from_env({"RUGHERNIA_TIMEZONE": zone})
    assert Settings.from_env({"RUGHERNIA_TIMEZONE": "Asia/Tokyo"}).zone.key == "Asia/Tokyo"
