"""Every setting with a bad value stops ``serve``, ``demo``, ``db upgrade`` and ``reassess`` at
start: one line naming the variable and what it allows, exit status 2, no traceback.

Driven by the fields of ``Settings``, so a new setting is covered as soon as it exists
(a new number by its Range; new text needs its bad value in ``BAD_TEXT``). Most runs are
in-process through Typer's runner; a few real processes prove the same on a terminal.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rughernia.cli import app
from rughernia.settings import TUNABLE, Settings

RUGHERNIA = str(Path(sys.executable).with_name("rughernia"))
COMMANDS = [["serve", "--port", "1"], ["demo"], ["db", "upgrade"], ["reassess"]]
# A bad value for each text setting; the URL's password must never be echoed.
BAD_TEXT = {
    "timezone": ["Mars/Olympus", "Europe"],
    "database_url": ["mysql://user:s3cret@db.example/rughernia", "postgresql://h:port/db"],
    "cds_jwks_file": ["/nonexistent/jwks.json", "/"],
    "cds_issuers": ["ftp://ehr.example", "https://ehr.example, not a url"],
    "public_url": ["rughernia.example", "https://host/with space"],
    "demo_mode": ["maybe", "2"],
}


def _bad_values() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for f in dataclasses.fields(Settings):
        kind, bounds = TUNABLE.get(f.name, (str, None))
        if bounds is not None:
            below = bounds.low - 1 if kind is int else bounds.low / 2 if bounds.low > 0 else -1
            found += [
                (f.name, "many"),
                (f.name, repr(kind(below))),
                (f.name, repr(bounds.high * 2)),
            ]
            if kind is float:
                found += [(f.name, "nan"), (f.name, "inf")]
        else:
            assert f.name in BAD_TEXT, f"state a bad value for the new setting {f.name!r}"
            found += [(f.name, value) for value in BAD_TEXT[f.name]]
    return found


BAD = _bad_values()


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a check be missing, ``serve`` must fail the test, not start listening."""
    import uvicorn

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("serve started despite a bad setting")

    monkeypatch.setattr(uvicorn, "run", refuse)


@pytest.mark.usefixtures("no_server")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_setting_stops_the_command_with_one_line(
    name: str, value: str, command: list[str], tmp_path: Path
) -> None:
    env = {"RUGHERNIA_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    env["RUGHERNIA_" + name.upper()] = value
    result = CliRunner().invoke(app, command, env=env)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Configuration error: RUGHERNIA_{name.upper()}: ")
    assert "; use " in lines[0]  # and what is allowed
    assert "s3cret" not in lines[0]
    assert not (tmp_path / "r.db").exists()  # stopped before touching the database


def test_every_number_states_its_range() -> None:
    from rughernia.settings import UNSTATED

    unstated = [name for name, (_kind, bounds) in TUNABLE.items() if bounds is UNSTATED]
    assert unstated == [], "give these settings an Annotated Range"


@pytest.mark.parametrize(
    ("command", "name", "value"),
    [
        (["serve", "--port", "1"], "TIMEZONE", "Mars/Olympus"),
        (["demo"], "TIMEZONE", "Mars/Olympus"),  # died with ZoneInfoNotFoundError
        (["db", "upgrade"], "DATABASE_URL", "mysql://user:s3cret@db.example/r"),  # a traceback
        (["serve", "--port", "1"], "DB_POOL_SIZE", "1000000"),
        (["demo"], "SESSION_HOURS", "nan"),
    ],
)
def test_a_real_process_prints_one_line_and_exits_2(
    command: list[str], name: str, value: str, tmp_path: Path
) -> None:
    env = {**os.environ, "RUGHERNIA_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    env["RUGHERNIA_" + name] = value
    done = subprocess.run(
        [RUGHERNIA, *command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"Configuration error: RUGHERNIA_{name}: ")
    assert "s3cret" not in done.stderr
