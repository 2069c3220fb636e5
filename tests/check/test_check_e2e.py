"""``rughernia check`` end to end: a real process, scripted answers, what it prints."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from rughernia.content import load
from rughernia.content.questionnaire import load as load_questionnaire
from rughernia.contract import parse_case
from rughernia.pathway import Triage, assess

from .helpers import NORMAL, command, run, validate_case

CONTENT = load()
SOURCE = {"nl": "bron", "en": "source"}
# The finding each alarm question raises, in the order they are asked.
ALARM_FINDINGS = [
    "ALARM_SADDLE_NUMBNESS",
    "ALARM_INCONTINENCE",
    "ALARM_URINARY_RETENTION",
    "ALARM_PROGRESSIVE_WEAKNESS",
    "ALARM_SEVERE_WEAKNESS",
    "ALARM_BOTH_LEGS",
]


def triage_text(level: str, lang: str) -> str:
    return CONTENT.triage_text[level][lang]


def code_text(code: str, lang: str) -> str:
    return CONTENT.codes[code].text[lang]


def question(qid: str, lang: str) -> str:
    return load_questionnaire("nl" if lang == "nl" else "en").questions[qid].text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_normal_run_gives_self_care_with_acute_advice_in_order(lang: str, tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    result = run(NORMAL[lang], "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # Every question was asked, the last one too.
    assert question("sleep_disturbed", lang) in out
    level = {"nl": "ZELF DOEN", "en": "SELF CARE"}[lang]
    assert level in out
    panel = out.index(triage_text("self_care", lang))
    advice = out.index(code_text("NATURAL_COURSE", lang))
    safety = out.index(code_text("SAFETY_NET", lang))
    assert panel < advice < safety
    for code, where in [("NATURAL_COURSE", "L4"), ("NO_BED_REST", "L6"), ("MRI_NOT_USEFUL", "L3")]:
        assert f"{code_text(code, lang)} ({SOURCE[lang]}: {where})" in out
    assert {"nl": "beenpijn: 15.", "en": "began: 15."}[lang] in out
    # No triage-raising finding for this patient, so no "why" section.
    assert {"nl": "Waarom", "en": "Why"}[lang] not in out

    case = validate_case(saved)
    assert case["language"] == lang
    assert case["today"] == "2026-03-02"
    assert case["onset"] == "2026-02-15"
    assert case["symptoms"]["leg_pain_reaches"] == "below_knee"
    assert case["symptoms"]["saddle_numbness"] is False
    assert case["symptoms"]["weakness"] == "none"
    assert case["medication"]["step"] == 1
    assert case["diary"] == [
        {
            "date": "2026-03-02",
            "leg_pain": 7,
            "back_pain": 5,
            "pain_tolerable": True,
            "painkillers_as_scheduled": True,
            "paracetamol_mg": 2000,
        }
    ]
    again = assess(parse_case(case), CONTENT)
    assert again.triage is Triage.SELF_CARE
    assert again.phase == "acute"


@pytest.mark.parametrize(
    ("lang", "position", "answer"),
    [
        ("nl", 0, "ja"),
        ("nl", 1, "j"),
        ("nl", 2, "1"),
        ("nl", 3, "ja, en het wordt erger"),
        ("en", 3, "worse"),
        ("en", 4, "yes"),
        ("en", 5, "Y"),
        ("nl", 5, "JA"),
    ],
)
def test_an_alarm_stops_the_questions_at_once(lang: str, position: int, answer: str) -> None:
    answers = [*NORMAL[lang][:position], answer, *NORMAL[lang][position + 1 :]]
    result = run(answers, "--lang", lang)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert triage_text("emergency", lang) in out
    assert "ALARM" in out
    # Nothing after the alarm question was asked: not the next alarm, not the red flags.
    order = ["saddle_numbness", "incontinence", "urinary_retention", "weakness", "weakness_severe"]
    for later in [*order, "both_legs", "fever", "leg_pain"][position + 1 :]:
        assert question(later, lang) not in out
    assert question("fever", lang) not in out
    # The emergency screen says what to do and why, nothing that could distract.
    assert {"nl": "Waarom", "en": "Why"}[lang] in out
    assert {"nl": "Adviezen", "en": "Advice"}[lang] not in out
    assert code_text("ALARM_UNCERTAIN", lang) not in out
    # The reason, with its source, comes after the instruction.
    code = ALARM_FINDINGS[position]
    reason = f"{code_text(code, lang)} ({SOURCE[lang]}: {CONTENT.codes[code].source})"
    assert out.index(triage_text("emergency", lang)) < out.index(reason)


def test_stable_weakness_is_no_alarm_and_the_questions_go_on() -> None:
    answers = [*NORMAL["nl"][:3], "ja, maar het wordt niet erger", *NORMAL["nl"][4:]]
    out = run(answers).stdout
    assert question("fever", "nl") in out
    assert triage_text("emergency", "nl") not in out


@pytest.mark.parametrize(("lang", "dont_know"), [("nl", "weet ik niet"), ("en", "?")])
def test_dont_know_gives_urgent(lang: str, dont_know: str, tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    answers = [dont_know, *NORMAL[lang][1:]]
    result = run(answers, "--lang", lang, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # "Don't know" is no alarm: every question is still asked.
    assert question("sleep_disturbed", lang) in out
    assert triage_text("urgent", lang) in out
    assert {"nl": "VANDAAG", "en": "TODAY"}[lang] in out
    why = out.index(code_text("ALARM_UNCERTAIN", lang))
    assert why < out.index(code_text("SAFETY_NET", lang))
    case = validate_case(saved)
    assert case["symptoms"]["saddle_numbness"] is None
    assert assess(parse_case(case), CONTENT).triage is Triage.URGENT


def test_bad_answers_are_asked_again(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    answers = list(NORMAL["nl"])
    answers[0:1] = ["misschien", "", "nee"]  # unknown word, empty line, then an answer
    at = answers.index("2026-02-15")
    answers[at : at + 2] = ["gisteren", "2026-02-30", "2026-03-03", "2026-02-15", "11", "-1", "7"]
    result = run(answers, "--save", str(saved))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count("Dat antwoord ken ik niet. Kies een van deze: ja / nee / weet ik niet.") == 2
    assert out.count("Typ een datum zoals 2026-02-15") == 2
    assert "Die datum is na vandaag. Typ een datum tot en met 2026-03-02." in out
    assert out.count("Typ een getal van 0 tot 10.") == 2
    case = validate_case(saved)
    assert case["onset"] == "2026-02-15"
    assert case["diary"][0]["leg_pain"] == 7
    assert triage_text("self_care", "nl") in out


def test_a_bare_yes_is_not_enough_for_weakness() -> None:
    # "ja" could mean stable or increasing weakness: ask again rather than guess.
    answers = [*NORMAL["en"][:3], "yes", "worse"]
    out = run(answers, "--lang", "en").stdout
    assert "I do not know that answer." in out
    assert triage_text("emergency", "en") in out


def test_saved_emergency_case_is_assessed_the_same_by_rughernia_assess(tmp_path: Path) -> None:
    saved = tmp_path / "alarm.json"
    result = run(["nee", "ja"], "--save", str(saved))
    assert triage_text("emergency", "nl") in result.stdout
    case = validate_case(saved)
    assert case["symptoms"]["incontinence"] is True
    # Not asked, so "don't know", never "no".
    assert case["symptoms"]["both_legs"] is None
    assessed = subprocess.run(
        [*command(), "assess", str(saved)], capture_output=True, text=True, timeout=60, check=False
    )
    assert assessed.returncode == 0, assessed.stderr
    assert json.loads(assessed.stdout)["triage"] == "emergency"


@pytest.mark.parametrize(("lang", "message"), [("nl", "Gestopt zonder uitslag"), ("en", "Stopped")])
def test_end_of_input_stops_cleanly(lang: str, message: str) -> None:
    result = run(NORMAL[lang][:8], "--lang", lang)
    assert result.returncode == 1
    assert message in result.stdout
    assert "Traceback" not in result.stderr
    assert triage_text("self_care", lang) not in result.stdout


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
    import datetime as dt
    from zoneinfo import ZoneInfo

    before = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    saved = tmp_path / "case.json"
    answers = [a if a != "2026-02-15" else "weet ik niet" for a in NORMAL["nl"]]
    result = run(answers, "--save", str(saved), today=None)
    after = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    assert result.returncode == 0, result.stderr
    case = validate_case(saved)
    assert case["today"] in {before.isoformat(), after.isoformat()}
    assert case["onset"] is None
