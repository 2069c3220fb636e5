"""`rughernia reassess` as a real process, on both databases: the counts it prints, a
second run that stores nothing, --team, and one line with exit 2 for an unknown team."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rughernia.store import accounts, record
from rughernia.store.tables import AssessmentRow
from tests.care.test_reassess import DAY_56, _patients

EXE = shutil.which("rughernia", path=str(Path(sys.executable).parent)) or "rughernia"


def reassess(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RUGHERNIA_DATABASE_URL": database_url}
    return subprocess.run(
        [EXE, "reassess", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _assessments_of(session: Session, day: dt.date) -> int:
    stmt = select(func.count()).where(AssessmentRow.today == day)
    found = int(session.scalar(stmt) or 0)
    session.rollback()  # SQLite: let go of the write lock each transaction takes at its start
    return found


def test_reassess_prints_what_it_did_and_a_second_run_nothing(
    database_url: str, session: Session
) -> None:
    _patients(session, "A", 2)
    _patients(session, "B", 3)
    team_a = accounts.team_by_name(session, "A")
    assert team_a is not None
    record.add_patient(
        session,
        team_id=team_a.id,
        display_name="invited, no intake",
        language="nl",
        invitation_hash=None,
        invitation_expires_at=None,
    )
    session.commit()
    session.close()
    day = DAY_56.isoformat()

    first = reassess(database_url, "--team", "A", "--today", day)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"As of {day} (team A): 2 re-assessed, 0 unchanged, 1 skipped\n"
    assert _assessments_of(session, DAY_56) == 2

    every = reassess(database_url, "--today", day)
    assert every.returncode == 0, every.stderr
    assert every.stdout == f"As of {day} (all teams): 3 re-assessed, 2 unchanged, 1 skipped\n"

    again = reassess(database_url, "--today", day)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"As of {day} (all teams): 0 re-assessed, 5 unchanged, 1 skipped\n"
    assert _assessments_of(session, DAY_56) == 5


def test_an_unknown_team_is_one_line_and_exit_2(database_url: str) -> None:
    done = reassess(database_url, "--team", "Nope")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "Unknown team: there is no team named 'Nope'\n"


def test_a_bad_date_is_a_usage_error(database_url: str) -> None:
    done = reassess(database_url, "--today", "2026-13-01")
    assert done.returncode == 2
    assert "--today" in done.stderr


def test_without_a_database_setting_or_file_it_stops_instead_of_making_one(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RUGHERNIA_DATABASE_URL"}
    done = subprocess.run(
        [EXE, "reassess"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "RUGHERNIA_DATABASE_URL is not set" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no new, empty database left behind
