"""Clinical content as data: codes, sources, thresholds and texts (nl, en).

The data is in ``pathway.toml`` beside this file; this module only reads it
into the engine's ``Content``. Loading is cached: the content of a running
process does not change.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Literal

from rughernia.pathway.model import AckRules, CodeContent, Content, Thresholds, Triage

LANGUAGES: tuple[str, ...] = ("nl", "en")


class ContentError(ValueError):
    """The content file is broken; the message names the entry."""


def raw() -> dict[str, Any]:
    """The content file as parsed TOML (for tests and documentation)."""
    text = resources.files(__package__).joinpath("pathway.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def load() -> Content:
    """The clinical content every assessment uses."""
    return parse(raw())


def parse(data: dict[str, Any]) -> Content:
    codes = {
        **_codes(data["findings"], "finding"),
        **_codes(data["advice"], "advice"),
    }
    return Content(
        version=str(data["version"]),
        thresholds=_thresholds(data["thresholds"]),
        codes=codes,
        triage_text={
            level.code: _texts(f"triage.{level.code}", data["triage"][level.code])
            for level in Triage
        },
        dose_times=_dose_times(data.get("dose_times", {})),
        dose_clock=_dose_clock(data.get("dose_clock", {})),
        acknowledgement=_acknowledgement(data.get("acknowledgement"), codes),
    )


def _acknowledgement(table: Any, codes: dict[str, CodeContent]) -> AckRules:
    """The findings never to acknowledge, each ``PREFIX_*`` expanded to the findings it
    names. A missing table, or an entry that names no finding, is an error: a typo must
    not quietly let an alarm be acknowledged."""
    where = "acknowledgement"
    if not isinstance(table, dict) or "source" not in table:
        raise ContentError(f"{where}: needs a table with a source, never and max_days")
    never, findings = table.get("never"), [c for c, v in codes.items() if v.kind == "finding"]
    if not isinstance(never, list) or not all(isinstance(n, str) for n in never):
        raise ContentError(f"{where}.never: needs a list of finding codes")
    out: set[str] = set()
    for entry in never:
        if entry.endswith("*"):
            found = {c for c in findings if c.startswith(entry[:-1])}
        else:
            found = {entry} & set(findings)
        if not found:
            raise ContentError(f"{where}.never: {entry!r} names no finding")
        out |= found
    max_days = table.get("max_days")
    if not isinstance(max_days, int) or isinstance(max_days, bool) or max_days < 1:
        raise ContentError(f"{where}.max_days: needs a whole number of days, 1 or more")
    return AckRules(frozenset(out), max_days)


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _dose_clock(table: dict[str, Any]) -> tuple[str, ...]:
    times = table.get("paracetamol")
    if (
        not isinstance(times, list)
        or not times
        or not all(isinstance(t, str) and _CLOCK.fullmatch(t) for t in times)
        or sorted(times) != times
    ):
        raise ContentError("dose_clock.paracetamol: needs a list of times HH:MM, earliest first")
    return tuple(times)


def _dose_times(table: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for form in ("range", "single"):
        for lang in LANGUAGES:
            text = table.get(f"{form}_{lang}")
            if not isinstance(text, str) or "{high}" not in text:
                raise ContentError(f"dose_times.{form}_{lang}: needs a text with {{high}}")
            out[f"{form}_{lang}"] = text
    return out


def _thresholds(table: dict[str, Any]) -> Thresholds:
    values: dict[str, Any] = {}
    for f in fields(Thresholds):
        entry = table.get(f.name)
        if entry is None or "value" not in entry or "source" not in entry:
            raise ContentError(f"thresholds.{f.name}: needs a value and a source")
        value = entry["value"]
        # Fractions are written as "3/10" so the rule stays exact.
        values[f.name] = Fraction(value) if f.type == "Fraction" else int(value)
    unknown = set(table) - {f.name for f in fields(Thresholds)}
    if unknown:
        raise ContentError(f"thresholds: unknown entries {sorted(unknown)}")
    return Thresholds(**values)


def _codes(table: dict[str, Any], kind: Literal["finding", "advice"]) -> dict[str, CodeContent]:
    out: dict[str, CodeContent] = {}
    for code, entry in table.items():
        where = f"{'findings' if kind == 'finding' else 'advice'}.{code}"
        triage = Triage.from_code(entry["triage"]) if kind == "finding" else None
        if "source" not in entry:
            raise ContentError(f"{where}: needs a source")
        out[code] = CodeContent(code, kind, triage, entry["source"], _texts(where, entry))
    return out


def _texts(where: str, entry: dict[str, Any]) -> dict[str, str]:
    texts = {lang: entry.get(lang, "") for lang in LANGUAGES}
    for lang, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise ContentError(f"{where}: the '{lang}' text is missing")
    return texts
