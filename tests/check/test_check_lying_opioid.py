"""The questions behind BED_REST_EXCESSIVE and OPIOID_LONG_USE reach the pathway."""

from __future__ import annotations

from pathlib import Path

from rughernia.content import load

from .helpers import NORMAL, run, validate_case

CONTENT = load()
HOURS = 17  # index of the hours-lying answer in NORMAL
STEP = 18  # index of the painkiller-step answer


def test_many_hours_lying_gives_the_bed_rest_advice(tmp_path: Path) -> None:
    answers = list(NORMAL["nl"])
    answers[HOURS] = "6"
    out = run(answers, "--save", str(tmp_path / "case.json"))
    assert out.returncode == 0, out.stderr
    assert CONTENT.codes["BED_REST_EXCESSIVE"].text["nl"] in out.stdout
    assert validate_case(tmp_path / "case.json")["diary"][0]["hours_lying_daytime"] == 6


def test_morphine_since_three_weeks_gives_the_opioid_review(tmp_path: Path) -> None:
    answers = list(NORMAL["en"])
    # Step 3 (morphine), then its start date; the rest as a normal run.
    answers[STEP : STEP + 1] = ["morphine", "2026-02-09"]
    out = run(answers, "--lang", "en", "--save", str(tmp_path / "case.json"))
    assert out.returncode == 0, out.stderr
    assert CONTENT.codes["OPIOID_LONG_USE"].text["en"] in out.stdout
    assert CONTENT.triage_text["contact_gp"]["en"] in out.stdout
    saved = validate_case(tmp_path / "case.json")
    assert saved["medication"] == {"step": 3, "opioid_since": "2026-02-09"}


def test_no_morphine_question_below_step_3() -> None:
    out = run(list(NORMAL["en"]), "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert "start morphine" not in out.stdout
