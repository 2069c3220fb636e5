"""Run ``rughernia check`` as a real process with scripted answers, and read its screen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from rughernia.content import load
from rughernia.content.questionnaire import load as load_questionnaire
from rughernia.contract import parse_case
from rughernia.pathway import Assessment, assess
from tests.pathway.builders import SPEC

SCHEMA = SPEC / "contract" / "case.schema.json"
TODAY = "2026-03-02"
CONTENT = load()
PROMPT = {"nl": "Uw antwoord: ", "en": "Your answer: "}
SOURCE = {"nl": "bron", "en": "source"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")

# Scripted answers of a typical patient on day 10 (onset 2026-02-20), as (question, answer)
# in the order they are asked: no alarms, no red flags, leg pain below the knee, paracetamol
# since the onset at fixed times (6 tablets = 3000 mg), pain bearable, 70 kg, no liver
# disease, no alcohol. The course question is not asked before day 14.
_NORMAL: dict[str, list[tuple[str, str]]] = {
    "nl": [
        ("saddle_numbness", "nee"),
        ("incontinence", "nee"),
        ("urinary_retention", "nee"),
        ("weakness", "nee"),
        ("weakness_severe", "n"),
        ("both_legs", "n"),
        ("fever", "nee"),
        ("cancer_history", "nee"),
        ("trauma", "nee"),
        ("recent_spinal_procedure", "nee"),
        ("immunosuppression", "nee"),
        ("weight_loss", "nee"),
        ("leg_pain_reaches", "onder de knie"),
        ("age", "42"),
        ("onset", "2026-02-20"),
        ("leg_pain", "7"),
        ("back_pain", "5"),
        ("hours_lying", "2,5"),
        ("medication_step", "paracetamol"),
        ("paracetamol_since", "20-02-2026"),
        ("painkillers_as_scheduled", "ja"),
        ("pain_tolerable", "j"),
        ("paracetamol_tablets", "6"),
        ("sleep_disturbed", "nee"),
        ("weight_kg", "70"),
        ("liver_disease", "nee"),
        ("alcohol_3_plus_daily", "nee"),
    ],
    "en": [
        ("saddle_numbness", "no"),
        ("incontinence", "no"),
        ("urinary_retention", "no"),
        ("weakness", "none"),
        ("weakness_severe", "n"),
        ("both_legs", "n"),
        ("fever", "no"),
        ("cancer_history", "no"),
        ("trauma", "no"),
        ("recent_spinal_procedure", "no"),
        ("immunosuppression", "no"),
        ("weight_loss", "no"),
        ("leg_pain_reaches", "Below the knee."),
        ("age", ""),
        ("onset", "20-02-2026"),
        ("leg_pain", "7"),
        ("back_pain", "5"),
        ("hours_lying", "2.5"),
        ("medication_step", "paracetamol"),
        ("paracetamol_since", "2026-02-20"),
        ("painkillers_as_scheduled", "yes"),
        ("pain_tolerable", "y"),
        ("paracetamol_tablets", "6"),
        ("sleep_disturbed", "no"),
        ("weight_kg", "70"),
        ("liver_disease", "no"),
        ("alcohol_3_plus_daily", "no"),
    ],
}
QUESTIONS: tuple[str, ...] = tuple(q for q, _ in _NORMAL["nl"])


def script(lang: str, **changes: list[str]) -> list[str]:
    """The typical answers, with some questions answered otherwise.

    A change is the list of lines typed at that question: [] when it must not be asked,
    several for an answer that is asked again or for questions asked after it.
    """
    unknown = set(changes) - set(QUESTIONS)
    assert not unknown, unknown
    lines: list[str] = []
    for qid, answer in _NORMAL[lang]:
        lines += changes.get(qid, [answer])
    return lines


def question(qid: str, lang: str) -> str:
    return load_questionnaire("nl" if lang == "nl" else "en").questions[qid].text


def ui(key: str, lang: str, **values: object) -> str:
    return load_questionnaire("nl" if lang == "nl" else "en").text(key, **values)


def command() -> list[str]:
    """The console script beside the test interpreter (the installed ``rughernia``)."""
    exe = Path(sys.executable).with_name("rughernia")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from rughernia.cli import main; main()"]


def clean_env() -> dict[str, str]:
    # Wide lines so that a text is never wrapped in the middle; no forced colour.
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TTY_COMPATIBLE"}}
    env.update(COLUMNS="1000", LINES="50")
    return env


def run(
    answers: list[str], *args: str, today: str | None = TODAY, **env: str
) -> subprocess.CompletedProcess[str]:
    options = [*args] if today is None else ["--today", today, *args]
    return subprocess.run(
        [*command(), "check", *options],
        input="".join(a + "\n" for a in answers),
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean_env(), **env},
        check=False,
    )


def last_box(out: str) -> tuple[str, str, list[str]]:
    """The title and text of the last box on the screen, and the lines that follow it.

    The box is Rich's panel: a top line with the title, text lines between bars, and a
    bottom line. Its text is returned with the line breaks of wrapping undone.
    """
    lines = [ANSI.sub("", line).replace("\r", "") for line in out.split("\n")]
    top = max(i for i, line in enumerate(lines) if line.lstrip().startswith("╭"))
    bottom = next(i for i in range(top, len(lines)) if lines[i].lstrip().startswith("╰"))
    title = lines[top].strip().strip("╭╮─").strip()
    body = " ".join(line.strip().strip("│").strip() for line in lines[top + 1 : bottom])
    return title, " ".join(body.split()), lines[bottom + 1 :]


def assert_ends_with(out: str, level: str, lang: str) -> None:
    """The instruction of ``level`` is the last thing shown: its box, and nothing after it."""
    title, body, after = last_box(out)
    assert title == f"{ui('level_' + level, lang)} – {ui('result_title', lang)}"
    assert body == " ".join(CONTENT.triage_text[level][lang].split())
    assert [line for line in after if line.strip()] == []


def validate_case(path: Path) -> dict[str, Any]:
    """The saved case, after checking it against the contract's schema."""
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(case, schema, format_checker=jsonschema.FormatChecker())
    return case


def line(result: Assessment, code: str, lang: str) -> str:
    """A finding or advice of the assessment as the screen shows it: its text and source."""
    (item,) = [i for i in (*result.findings, *result.advice) if i.code == code]
    return f"{item.text} ({SOURCE[lang]}: {item.source})"


def codes(result: Assessment) -> set[str]:
    return {i.code for i in (*result.findings, *result.advice)}


def saved_assessment(path: Path) -> tuple[dict[str, Any], Assessment]:
    """The saved case, and what the pathway says of it when it is assessed again."""
    case = validate_case(path)
    return case, assess(parse_case(case), CONTENT)


def assert_shows_everything(out: str, result: Assessment, lang: str) -> None:
    """Every finding and advice of the assessment is on the screen, with its source."""
    for item in (*result.findings, *result.advice):
        assert line(result, item.code, lang) in out
