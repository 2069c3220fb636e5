"""The worklist's rules and words (``worklist.toml``) for ``rughernia.pathway.worklist``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from rughernia.content import load
from rughernia.pathway.model import Triage
from rughernia.pathway.worklist import PLACES, Rules

Language = Literal["nl", "en"]


class WorklistContentError(ValueError):
    """The worklist file is broken; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Words:
    reasons: dict[str, dict[str, str]]  # place -> language -> text
    labels: dict[str, dict[str, str]]  # finding code -> language -> short label

    def reason(self, place: str, language: Language, days: int) -> str:
        return self.reasons[place][language].format(days=days)

    def label(self, code: str, language: Language) -> str:
        """The clinician's short label of a finding; the code itself when it has none."""
        return self.labels.get(code, {}).get(language, code)


def raw() -> dict[str, Any]:
    text = resources.files("rughernia.content").joinpath("worklist.toml").read_text("utf-8")
    return tomllib.loads(text)


def parse(data: dict[str, Any]) -> tuple[Rules, Words]:
    codes = load().codes
    rules = data.get("rules", {})
    found: dict[str, frozenset[str]] = {}
    for key in ("painkiller_codes", "checkpoint_codes"):
        listed = rules.get(key)
        if not isinstance(listed, list) or not listed:
            raise WorklistContentError(f"rules.{key}: a list of finding codes is required")
        unknown = [c for c in listed if c not in codes or codes[c].kind != "finding"]
        if unknown:
            raise WorklistContentError(f"rules.{key}: not a finding: {', '.join(unknown)}")
        found[key] = frozenset(listed)
    days = rules.get("no_diary_days")
    if not isinstance(days, int) or days < 1:
        raise WorklistContentError("rules.no_diary_days: a whole number of days, 1 or more")
    reasons: dict[str, dict[str, str]] = {}
    for place in PLACES:
        entry = data.get("reasons", {}).get(place, {})
        for lang in ("nl", "en"):
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                raise WorklistContentError(f"reasons.{place}: {lang} is missing or empty")
        reasons[place] = {"nl": entry["nl"], "en": entry["en"]}
    labels = {code: dict(entry) for code, entry in data.get("labels", {}).items()}
    # Every finding that can place a patient has a label in both languages.
    placing = found["painkiller_codes"] | found["checkpoint_codes"]
    placing |= {c for c, v in codes.items() if v.triage is not None and v.triage >= Triage.URGENT}
    for code in sorted(placing):
        if any(not labels.get(code, {}).get(lang) for lang in ("nl", "en")):
            raise WorklistContentError(f"labels.{code}: nl and en are required")
    return Rules(found["painkiller_codes"], found["checkpoint_codes"], days), Words(reasons, labels)


@cache
def rules_and_words() -> tuple[Rules, Words]:
    return parse(raw())
