"""``rughernia check`` as a command: its options, the date, the end of input."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from .helpers import CONTENT, assert_ends_with, command, run, script, ui, validate_case


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_end_of_input_stops_cleanly_and_saves_nothing(lang: str, tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    result = run(script(lang)[:8], "--lang", lang, "--save", str(saved))
    assert result.returncode == 1
    assert ui("eof", lang) in result.stdout
    assert ui("not_saved_eof", lang) in result.stdout
    assert "Traceback" not in result.stderr
    assert CONTENT.triage_text["self_care"][lang] not in result.stdout
    assert not saved.exists()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--lang", "fr"], "--lang"),
        (["--today", "2026-02-30"], "--today"),
        (["--today", "morgen"], "--today"),
        (["--save", "/no/such/folder/case.json"], "--save"),
    ],
)
def test_a_bad_option_exits_2_naming_it(args: list[str], named: str) -> None:
    result = run([], *args, today=None)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_without_today_the_date_is_today_in_amsterdam(tmp_path: Path) -> None:
    before = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    saved = tmp_path / "case.json"
    answers = script(
        "nl", onset=["weet ik niet"], paracetamol_since=["weet ik niet"], leg_pain=["7", "?"]
    )
    result = run(answers, "--save", str(saved), today=None)
    after = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    assert result.returncode == 0, result.stderr
    case = validate_case(saved)
    assert case["today"] in {before.isoformat(), after.isoformat()}
    assert case["onset"] is None
    assert "course_reported" not in case["symptoms"]  # "don't know": no course reported


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14, UTC-11
def test_the_date_is_today_in_the_configured_time_zone(zone: str, tmp_path: Path) -> None:
    # 25 hours apart: on every day of the year one of the two is not Amsterdam's date.
    saved = tmp_path / "case.json"
    answers = script(
        "nl", onset=["weet ik niet"], paracetamol_since=["weet ik niet"], leg_pain=["7", "?"]
    )
    before = dt.datetime.now(ZoneInfo(zone)).date()
    result = run(answers, "--save", str(saved), today=None, RUGHERNIA_TIMEZONE=zone)
    after = dt.datetime.now(ZoneInfo(zone)).date()
    assert result.returncode == 0, result.stderr
    assert validate_case(saved)["today"] in {before.isoformat(), after.isoformat()}


def test_a_time_zone_that_does_not_exist_is_one_clear_line() -> None:
    result = run([], today=None, RUGHERNIA_TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "RUGHERNIA_TIMEZONE: 'Mars/Olympus' is not a time zone" in result.stderr


def test_a_saved_case_is_assessed_the_same_by_rughernia_assess(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    result = run(script("en", saddle_numbness=["not sure"]), "--lang", "en", "--save", str(saved))
    assessed = subprocess.run(
        [*command(), "assess", str(saved)], capture_output=True, text=True, timeout=60, check=False
    )
    assert assessed.returncode == 0, assessed.stderr
    level = json.loads(assessed.stdout)["triage"]
    assert level == "urgent"
    assert_ends_with(result.stdout, level, "en")
