"""The questions about lying down and painkillers reach the pathway, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from rughernia.contract import parse_case
from rughernia.pathway import assess

from .helpers import CONTENT, PROMPT, assert_ends_with, question, run, script, validate_case

NSAID = {"nl": "ook een pil als ibuprofen of naproxen", "en": "ibuprofen"}
# After "no alcohol": stomach ulcer yes, heart failure no, kidneys no, heart or vessels no,
# blood thinner yes, pregnant no, stomach protector don't know.
NSAID_ANSWERS = {
    "nl": ["nee", "ja", "nee", "nee", "nee", "ja", "nee", "weet het niet"],
    "en": ["no", "yes", "no", "no", "no", "yes", "no", "not sure"],
}
NSAID_QUESTIONS = [
    "stomach_ulcer_history",
    "heart_failure",
    "kidney_disease",
    "cardiovascular_disease",
    "anticoagulants",
    "pregnant",
    "uses_stomach_protector",
]


def test_many_hours_lying_gives_the_bed_rest_advice(tmp_path: Path) -> None:
    out = run(script("nl", hours_lying=["6"]), "--save", str(tmp_path / "case.json"))
    assert out.returncode == 0, out.stderr
    assert CONTENT.codes["BED_REST_EXCESSIVE"].text["nl"] in out.stdout
    assert validate_case(tmp_path / "case.json")["diary"][0]["hours_lying_daytime"] == 6


def test_morphine_since_three_weeks_gives_the_opioid_review(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    # Step 3 (morphine): its start date, and the NSAID questions (step 3 includes step 2).
    answers = script(
        "en",
        medication_step=["morphine"],
        paracetamol_since=["2026-02-20", "2026-02-09"],
        alcohol_3_plus_daily=["no", "no", "no", "no", "no", "no", "no", "yes"],
    )
    out = run(answers, "--lang", "en", "--save", str(saved))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count(PROMPT["en"]) == len(answers)
    assert CONTENT.codes["OPIOID_LONG_USE"].text["en"] in out.stdout
    case = validate_case(saved)
    assert case["medication"] == {
        "step": 3,
        "paracetamol_since": "2026-02-20",
        "opioid_since": "2026-02-09",
    }
    again = assess(parse_case(case), CONTENT)
    assert again.triage.code == "contact_gp"
    assert_ends_with(out.stdout, "contact_gp", "en")


def test_no_morphine_or_nsaid_question_below_step_2() -> None:
    out = run(script("en"), "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert question("opioid_since", "en") not in out.stdout
    for qid in NSAID_QUESTIONS:
        assert question(qid, "en") not in out.stdout


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_at_step_2_the_nsaid_risks_and_stomach_protector_are_asked(
    lang: str, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    answers = script(lang, medication_step=[NSAID[lang]], alcohol_3_plus_daily=NSAID_ANSWERS[lang])
    out = run(answers, "--lang", lang, "--save", str(saved))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count(PROMPT[lang]) == len(answers)
    for qid in NSAID_QUESTIONS:
        assert question(qid, lang) in out.stdout
    case = validate_case(saved)
    assert case["medication"]["step"] == 2
    assert case["patient"]["risk_factors"] == ["anticoagulants", "stomach_ulcer_history"]
    assert case["patient"]["pregnant"] is False
    # "Don't know" about the stomach protector is unknown (null), never "no".
    assert case["patient"].get("uses_stomach_protector") is None
    again = assess(parse_case(case), CONTENT)
    assert "NSAID_CAUTION" in {f.code for f in again.findings}
    assert_ends_with(out.stdout, again.triage.code, lang)


def test_pregnancy_is_not_asked_from_age_50(tmp_path: Path) -> None:
    answers = script(
        "nl",
        age=["63"],
        medication_step=["ibuprofen"],
        alcohol_3_plus_daily=["nee", "nee", "nee", "nee", "nee", "nee", "ja"],
    )
    saved = tmp_path / "case.json"
    out = run(answers, "--save", str(saved))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count(PROMPT["nl"]) == len(answers)
    assert question("pregnant", "nl") not in out.stdout
    case = validate_case(saved)
    assert "pregnant" not in case["patient"]  # not asked: unknown
    assert case["patient"]["uses_stomach_protector"] is True
