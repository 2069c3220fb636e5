"""``rughernia check`` end to end, journey by journey, in Dutch and English (2 of 2).

Week 9 with the course reported, a typed tablet count, and answers that are not
understood. Every journey checks what the screen shows last: the box with the
instruction of the triage level, and nothing after it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import (
    PROMPT,
    assert_ends_with,
    assert_shows_everything,
    codes,
    question,
    run,
    saved_assessment,
    script,
    ui,
)
from .helpers import TODAY as TODAY_TEXT

LANGS = ["nl", "en"]
WEEK_9_ONSET = "2025-12-29"  # 63 days before 2026-03-02


# ------------------------------------------------------------- week 9, the course reported


@pytest.mark.parametrize(("lang", "same"), [("nl", "nee, even erg"), ("en", "same")])
def test_week_9_journey_with_the_same_pain_ends_with_the_gp(
    lang: str, same: str, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    answers = script(
        lang,
        onset=[WEEK_9_ONSET],
        leg_pain=["6", same],
        paracetamol_since=[WEEK_9_ONSET],
        paracetamol_tablets=["5"],
    )
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count(PROMPT[lang]) == len(answers)
    assert question("course_reported", lang) in out
    assert ui("days", lang, days=63) in out
    case, again = saved_assessment(saved)
    assert case["symptoms"]["course_reported"] == "same"
    assert (again.triage.code, again.phase) == ("contact_gp", "checkpoint")
    assert "CHECKPOINT_NOT_IMPROVING" in codes(again)
    assert_shows_everything(out, again, lang)
    assert_ends_with(out, "contact_gp", lang)


@pytest.mark.parametrize(("lang", "much_better"), [("nl", "ja, veel minder"), ("en", "1")])
def test_week_9_journey_much_better_is_recovery(
    lang: str, much_better: str, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    answers = script(
        lang,
        onset=[WEEK_9_ONSET],
        leg_pain=["2", much_better],
        paracetamol_since=[WEEK_9_ONSET],
        paracetamol_tablets=["4"],
    )
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count(PROMPT[lang]) == len(answers)
    case, again = saved_assessment(saved)
    assert case["symptoms"]["course_reported"] == "much_better"
    assert (again.triage.code, again.phase) == ("self_care", "recovery")
    assert "CHECKPOINT_NOT_IMPROVING" not in codes(again)
    assert "EXERCISE_THERAPY" in codes(again)
    assert_shows_everything(out, again, lang)
    assert_ends_with(out, "self_care", lang)


# ---------------------------------------------------------------- a typed tablet count


@pytest.mark.parametrize(("lang", "tablets", "mg"), [("nl", "8", 4000), ("en", " 3. ", 1500)])
def test_tablet_count_journey_shows_and_saves_the_mg(
    lang: str, tablets: str, mg: int, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    answers = script(lang, paracetamol_tablets=[tablets])
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # The mg is shown right after the answer, before the next question.
    shown = out.index(ui("tablets_mg", lang, mg=mg))
    assert out.index(question("paracetamol_tablets", lang)) < shown
    assert shown < out.index(question("sleep_disturbed", lang))
    case, again = saved_assessment(saved)
    assert case["diary"][0]["paracetamol_mg"] == mg
    # The personal maximum in week 2, at 70 kg and no risk factor, is 3000 mg.
    assert ("PARACETAMOL_ABOVE_ADVISED" in codes(again)) == (mg > 3000)
    assert_shows_everything(out, again, lang)
    assert_ends_with(out, again.triage.code, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_an_overdose_typed_as_tablets_stops_at_once(lang: str, tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    answers = script(lang, paracetamol_tablets=["16"])  # 8000 mg
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert ui("tablets_mg", lang, mg=8000) in out
    assert ui("stopped", lang) in out
    assert question("sleep_disturbed", lang) not in out
    assert not saved.exists()
    assert_ends_with(out, "emergency", lang)


# --------------------------------------------------------- answers that are not understood


def asked_again(out: str, message: str, qid: str, lang: str) -> str:
    """What is shown after ``message`` up to the next prompt: it holds the question again."""
    start = out.index(message) + len(message)
    block = out[start : out.index(PROMPT[lang], start)]
    assert question(qid, lang) in block
    return block


@pytest.mark.parametrize(
    ("lang", "unknown"), [("nl", ["misschien", "", "knie"]), ("en", ["maybe", "", "knee"])]
)
def test_answers_not_understood_get_the_question_again_with_the_choices(
    lang: str, unknown: list[str], tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    word, empty, knee = unknown
    answers = script(
        lang,
        saddle_numbness=[word, empty, "nee" if lang == "nl" else "no"],
        leg_pain_reaches=[knee, "onder de knie" if lang == "nl" else "below the knee"],
        onset=["gisteren", "2026-02-30", "2026-03-03", "2026-02-20"],
        leg_pain=["11", "zeven", "7"],
        hours_lying=["2,5,5", "2,5"],
    )
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count(PROMPT[lang]) == len(answers)
    # Each answer not understood: a hint, then the question again, with its choices.
    assert out.count(ui("reask_choice", lang)) == 3
    assert out.count(question("saddle_numbness", lang)) == 3
    block = asked_again(out, ui("reask_choice", lang), "saddle_numbness", lang)
    labels = {"nl": ["ja", "nee", "weet ik niet"], "en": ["yes", "no", "don't know"]}[lang]
    for number, label in enumerate(labels, 1):
        assert f"  {number}  {label}\n" in block
    knee_part = out[out.index(question("leg_pain_reaches", lang)) :]
    assert "  3  " in asked_again(knee_part, ui("reask_choice", lang), "leg_pain_reaches", lang)
    assert out.count(ui("reask_date", lang)) == 2
    assert ui("date_future", lang, today=TODAY_TEXT) in out
    assert out.count(ui("reask_number", lang, min=0, max=10)) == 2
    asked_again(out, ui("reask_number", lang, min=0, max=10), "leg_pain", lang)
    assert out.count(ui("reask_number_optional", lang, min=0, max=24)) == 1
    case, again = saved_assessment(saved)
    assert case["onset"] == "2026-02-20"
    assert case["diary"][0]["leg_pain"] == 7
    assert case["diary"][0]["hours_lying_daytime"] == 2.5
    assert again.triage.code == "self_care"
    assert_ends_with(out, "self_care", lang)
