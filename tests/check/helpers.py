"""Run ``rughernia check`` as a real process with scripted answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from tests.pathway.builders import SPEC

SCHEMA = SPEC / "contract" / "case.schema.json"
TODAY = "2026-03-02"

# Scripted answers of a typical patient in week 2: no alarms, no red flags, leg pain
# below the knee since 2026-02-15, paracetamol at fixed times, pain bearable.
NORMAL = {
    "nl": ["nee", "nee", "nee", "nee", "n", "n"]  # alarm questions
    + ["nee"] * 6  # other red flags
    + ["onder", "42", "2026-02-15", "7", "5", "", "paracetamol", "ja", "j", "2000", "nee"],
    "en": ["no", "no", "no", "none", "n", "n"]
    + ["no"] * 6
    + ["below", "", "15-02-2026", "7", "5", "", "paracetamol", "yes", "y", "2000", "no"],
}


def command() -> list[str]:
    """The console script beside the test interpreter (the installed ``rughernia``)."""
    script = Path(sys.executable).with_name("rughernia")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from rughernia.cli import main; main()"]


def clean_env() -> dict[str, str]:
    # Wide lines so that a text is never wrapped in the middle; no forced colour.
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TTY_COMPATIBLE"}}
    env.update(COLUMNS="1000", LINES="50")
    return env


def run(
    answers: list[str], *args: str, today: str | None = TODAY
) -> subprocess.CompletedProcess[str]:
    options = [*args] if today is None else ["--today", today, *args]
    return subprocess.run(
        [*command(), "check", *options],
        input="".join(a + "\n" for a in answers),
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
        check=False,
    )


def validate_case(path: Path) -> dict[str, Any]:
    """The saved case, after checking it against the contract's schema."""
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(case, schema, format_checker=jsonschema.FormatChecker())
    return case
