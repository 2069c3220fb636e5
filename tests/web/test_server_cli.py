"""``rughernia db upgrade``, ``user add`` and ``demo`` on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rughernia.cli import app
from rughernia.store import accounts
from rughernia.store.tables import AssessmentRow, DiaryRow, User

runner = CliRunner()


def _run(database_url: str, *args: str) -> tuple[int, str]:
    env = {
        "RUGHERNIA_DATABASE_URL": database_url,
        "RUGHERNIA_ARGON2_TIME_COST": "1",
        "RUGHERNIA_ARGON2_MEMORY_KIB": "1024",
    }
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_db_upgrade(database_url: str) -> None:
    code, out = _run(database_url, "db", "upgrade")
    assert code == 0, out
    assert "up to date" in out


def test_user_add(database_url: str, session: Session) -> None:
    code, out = _run(
        database_url,
        "user",
        "add",
        "dr.jansen",
        "--role",
        "clinician",
        "--team",
        "Neuro",
        "--team",
        "HAP",
        "--password",
        "lang-genoeg-1",
    )
    assert code == 0, out
    user = accounts.user_by_name(session, "dr.jansen")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert accounts.team_names_of(session, [user.id]) == {user.id: ["HAP", "Neuro"]}
    session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    code, out = _run(database_url, "user", "add", "dr.jansen", "--password", "lang-genoeg-1")
    assert code == 1
    assert "taken" in out


@pytest.mark.parametrize(
    "args",
    [
        ["user", "add", "x", "--password", "lang-genoeg-1"],  # name too short
        ["user", "add", "okname", "--password", "short"],
        ["user", "add", "okname", "--role", "patient", "--password", "lang-genoeg-1"],
    ],
)
def test_user_add_refuses_bad_input(database_url: str, args: list[str]) -> None:
    code, _out = _run(database_url, *args)
    assert code == 2


def test_user_add_names_every_wrong_field(database_url: str) -> None:
    # A bad name hid the bad password: only "username: ..." was said.
    code, out = _run(database_url, "user", "add", "Dr Jansen", "--password", "short")
    assert code == 2
    lines = out.strip().splitlines()
    assert lines[0].startswith("username: ")
    assert lines[1] == "password: must be at least 10 characters"
    code, out = _run(database_url, "user", "add", "okname", "--password", "  short  ")
    assert (code, out.strip()) == (2, "password: must be at least 10 characters")


def test_demo_fills_every_phase_and_only_once(database_url: str, session: Session) -> None:
    code, out = _run(database_url, "demo", "--if-empty")
    assert code == 0, out
    assert "dokter" in out
    assert "rughernia-demo" in out
    phases = set(session.scalars(select(AssessmentRow.phase)))
    assert {"acute", "recovery", "checkpoint", "recovered"} <= phases
    triages = set(session.scalars(select(AssessmentRow.triage)))
    assert "emergency" in triages
    users = session.scalar(select(func.count()).select_from(User))
    session.rollback()
    code, out = _run(database_url, "demo", "--if-empty")
    assert code == 0
    assert "no demo data added" in out
    assert session.scalar(select(func.count()).select_from(User)) == users
    newest = session.scalar(select(func.max(DiaryRow.date)))
    assert newest is not None
    assert newest <= dt.date.today() + dt.timedelta(days=1)


def test_bad_database_url_is_a_message_not_a_trace(tmp_path: Path) -> None:
    code, out = _run("nonsense://x", "db", "upgrade")
    assert code == 2
    assert "Traceback" not in out
    assert out.startswith("Configuration error: RUGHERNIA_DATABASE_URL: the scheme 'nonsense'")


def test_no_configuration_means_sqlite_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RUGHERNIA_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rughernia.db").exists()
