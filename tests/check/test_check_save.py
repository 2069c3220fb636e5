"""``--save`` writes only what was asked; after an early stop it writes nothing, and says so."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from rughernia.care.selfcheck import NEVER_ASKED
from rughernia.pathway import RedFlags

from .helpers import assert_ends_with, last_box, run, script, ui, validate_case

YES = {"nl": "ja", "en": "yes"}
RED_FLAGS = [f.name for f in fields(RedFlags)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_after_an_alarm_stop_nothing_is_saved_and_the_patient_is_told_why(
    lang: str, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    result = run(script(lang, incontinence=[YES[lang]]), "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # The red flags were never asked, nor the leg pain: a case file would have to pretend.
    assert not saved.exists()
    assert ui("not_saved_stopped", lang) in out
    assert ui("saved", lang, path=saved) not in out
    # The message comes before the instruction, which stays the last thing shown.
    assert out.index(ui("not_saved_stopped", lang)) < out.rindex("╭")
    assert_ends_with(out, "emergency", lang)


def test_an_early_stop_leaves_an_older_file_alone(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    saved.write_text("older\n", encoding="utf-8")
    result = run(script("nl", saddle_numbness=["ja"]), "--save", str(saved))
    assert result.returncode == 0, result.stderr
    assert saved.read_text(encoding="utf-8") == "older\n"
    assert ui("not_saved_stopped", "nl") in result.stdout


def test_without_save_there_is_no_word_about_saving() -> None:
    out = run(script("en", saddle_numbness=["yes"]), "--lang", "en").stdout
    assert ui("not_saved_stopped", "en") not in out
    assert_ends_with(out, "emergency", "en")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_complete_check_saves_only_what_was_asked(lang: str, tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    result = run(script(lang, age=[""], weight_kg=[""]), "--lang", lang, "--save", str(saved))
    assert result.returncode == 0, result.stderr
    case = validate_case(saved)
    for name in NEVER_ASKED:
        assert name not in case["symptoms"]
    # Skipped or not asked: absent, so unknown; never a made-up answer.
    assert "age" not in case["patient"]
    assert "weight_kg" not in case["patient"]
    assert "pregnant" not in case["patient"]
    assert "uses_stomach_protector" not in case["patient"]
    assert "course_reported" not in case["symptoms"]
    assert "opioid_since" not in case["medication"]
    # What was asked is there, as answered.
    assert case["symptoms"]["red_flags"] == dict.fromkeys(RED_FLAGS, False)
    assert case["symptoms"]["sleep_disturbed"] is False
    assert case["patient"]["risk_factors"] == []
    assert ui("saved", lang, path=saved) in result.stdout
    _, _, after = last_box(result.stdout)
    assert ui("saved", lang, path=saved) not in "\n".join(after)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_save_that_fails_says_so_before_the_instruction() -> None:
    # Writing to /dev/full always fails (no space left on the device).
    result = run(script("en"), "--lang", "en", "--save", "/dev/full")
    assert result.returncode == 1
    assert "Could not save in" in result.stdout
    assert result.stdout.index("Could not save in") < result.stdout.rindex("╭")
    _, body, _ = last_box(result.stdout)
    assert body
