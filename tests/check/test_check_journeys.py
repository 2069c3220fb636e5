"""``rughernia check`` end to end, journey by journey, in Dutch and English (1 of 2).

An alarm, "don't know", ordinary back pain and a typical day 10. A real process
with scripted answers. Every journey checks what the screen shows last: the box
with the instruction of the triage level, and nothing after it. Result texts
come from the content (``load()``) and the assessment, never from here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rughernia.care.selfcheck import build_case
from rughernia.pathway import assess

from .helpers import (
    CONTENT,
    PROMPT,
    assert_ends_with,
    assert_shows_everything,
    codes,
    last_box,
    line,
    question,
    run,
    saved_assessment,
    script,
    ui,
)
from .helpers import TODAY as TODAY_TEXT

LANGS = ["nl", "en"]
# The finding each alarm question raises, in the order they are asked.
ALARM_FINDINGS = [
    ("saddle_numbness", "ALARM_SADDLE_NUMBNESS"),
    ("incontinence", "ALARM_INCONTINENCE"),
    ("urinary_retention", "ALARM_URINARY_RETENTION"),
    ("weakness", "ALARM_PROGRESSIVE_WEAKNESS"),
    ("weakness_severe", "ALARM_SEVERE_WEAKNESS"),
    ("both_legs", "ALARM_BOTH_LEGS"),
]
TODAY = dt.date.fromisoformat(TODAY_TEXT)


# ------------------------------------------------------------------------------ an alarm


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("position", "answer"), [(0, "ja"), (2, "1"), (3, "erger"), (5, "JA!")])
def test_alarm_journey_stops_at_once_and_ends_with_the_emergency_instruction(
    lang: str, position: int, answer: str
) -> None:
    if lang == "en":
        answer = {"ja": "yes", "erger": "worse", "JA!": "YES!"}.get(answer, answer)
    qid, code = ALARM_FINDINGS[position]
    result = run(script(lang, **{qid: [answer]}), "--lang", lang)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # Only the questions up to the alarm were asked.
    assert out.count(PROMPT[lang]) == position + 1
    for later, _ in ALARM_FINDINGS[position + 1 :]:
        assert question(later, lang) not in out
    assert question("fever", lang) not in out
    # The case those answers make, as the pathway sees it: the reason shown is its finding.
    answered: dict[str, object] = {q: False for q, _ in ALARM_FINDINGS[:position]}
    answered |= {"weakness": "none"} if position > 3 else {}
    answered[qid] = "progressive" if qid == "weakness" else True
    expected = assess(build_case(answered, TODAY, lang), CONTENT)  # type: ignore[arg-type]
    assert expected.triage.code == "emergency"
    assert out.index(ui("stopped", lang)) < out.index(line(expected, code, lang))
    # Nothing that could distract: no advice, not the "don't know" of questions not asked.
    assert ui("advice_title", lang) not in out
    for item in expected.advice:
        assert line(expected, item.code, lang) not in out
    if position < len(ALARM_FINDINGS) - 1:
        assert line(expected, "ALARM_UNCERTAIN", lang) not in out
    assert_ends_with(out, "emergency", lang)


def test_stable_weakness_is_no_alarm_and_the_questions_go_on() -> None:
    result = run(script("nl", weakness=["ja, maar het wordt niet erger"]))
    assert question("fever", "nl") in result.stdout
    assert ui("stopped", "nl") not in result.stdout
    _, body, _ = last_box(result.stdout)
    assert body != CONTENT.triage_text["emergency"]["nl"]


def test_a_bare_yes_is_not_enough_for_weakness() -> None:
    # "yes" could mean stable or increasing weakness: ask again rather than guess.
    result = run(script("en", weakness=["yes", "worse"]), "--lang", "en")
    assert ui("reask_choice", "en") in result.stdout
    assert_ends_with(result.stdout, "emergency", "en")


# ------------------------------------------------------------------------- "don't know"


@pytest.mark.parametrize(("lang", "dont_know"), [("nl", "weet ik niet"), ("en", "I don't know")])
def test_dont_know_journey_asks_everything_and_ends_with_urgent(
    lang: str, dont_know: str, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    answers = script(lang, saddle_numbness=[dont_know])
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # "Don't know" is no alarm: every question is still asked.
    assert out.count(PROMPT[lang]) == len(answers)
    assert ui("stopped", lang) not in out
    case, again = saved_assessment(saved)
    assert case["symptoms"]["saddle_numbness"] is None
    assert again.triage.code == "urgent"
    assert_shows_everything(out, again, lang)
    assert out.index(line(again, "ALARM_UNCERTAIN", lang)) < out.index(
        line(again, "SAFETY_NET", lang)
    )
    assert_ends_with(out, "urgent", lang)


# ------------------------------------------------------------------- ordinary back pain


@pytest.mark.parametrize(
    ("lang", "none", "no_pills"),
    [("nl", "geen pijn in mijn been", "geen"), ("en", "No pain in my leg", "none")],
)
def test_back_pain_only_journey_skips_the_leg_questions_and_ends_not_applicable(
    lang: str, none: str, no_pills: str, tmp_path: Path
) -> None:
    saved = tmp_path / "case.json"
    answers = script(
        lang,
        leg_pain_reaches=[none],
        onset=[],
        leg_pain=[],
        medication_step=[no_pills],
        paracetamol_since=[],
        painkillers_as_scheduled=[],
        paracetamol_tablets=[],
    )
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count(PROMPT[lang]) == len(answers)
    for skipped in ("onset", "leg_pain", "course_reported", "paracetamol_tablets"):
        assert question(skipped, lang) not in out
    assert question("back_pain", lang) in out
    case, again = saved_assessment(saved)
    assert again.triage.code == "not_applicable"
    assert {"NOT_RADICULAR", "ORDINARY_BACK_PAIN"} <= codes(again)
    assert_shows_everything(out, again, lang)
    assert_ends_with(out, "not_applicable", lang)
    assert case["symptoms"]["leg_pain_reaches"] == "none"
    assert case["onset"] is None
    # "No pain in my leg" is the leg pain score 0; nothing about paracetamol was asked.
    assert case["diary"] == [
        {
            "date": TODAY_TEXT,
            "leg_pain": 0,
            "back_pain": 5,
            "pain_tolerable": True,
            "hours_lying_daytime": 2.5,
        }
    ]


# --------------------------------------------------------------------- a typical day 10


@pytest.mark.parametrize("lang", LANGS)
def test_typical_day_10_journey_ends_with_self_care(lang: str, tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    answers = script(lang)
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count(PROMPT[lang]) == len(answers)
    assert question("course_reported", lang) not in out  # before day 14 it says nothing yet
    assert question("stomach_ulcer_history", lang) not in out  # no NSAID in use
    assert ui("days", lang, days=10) in out
    assert ui("tablets_mg", lang, mg=3000) in out
    case, again = saved_assessment(saved)
    assert (again.triage.code, again.phase) == ("self_care", "acute")
    assert {"NATURAL_COURSE", "NO_BED_REST", "PARACETAMOL_FIXED_TIMES"} <= codes(again)
    assert_shows_everything(out, again, lang)
    assert out.index(line(again, "NATURAL_COURSE", lang)) < out.index(
        line(again, "SAFETY_NET", lang)
    )
    assert out.index(line(again, "SAFETY_NET", lang)) < out.index(ui("saved", lang, path=saved))
    assert_ends_with(out, "self_care", lang)
    assert case["onset"] == "2026-02-20"
    assert case["medication"] == {"step": 1, "paracetamol_since": "2026-02-20"}
    assert case["diary"] == [
        {
            "date": TODAY_TEXT,
            "leg_pain": 7,
            "back_pain": 5,
            "pain_tolerable": True,
            "painkillers_as_scheduled": True,
            "paracetamol_mg": 3000,
            "hours_lying_daytime": 2.5,
        }
    ]
