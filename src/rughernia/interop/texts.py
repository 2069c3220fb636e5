"""The chrome texts of the FHIR and CDS Hooks mappings (``texts.toml``), nl and en.

Clinical texts are not here: they come from ``rughernia.content`` (the pathway's
findings and advice, the questionnaire's questions).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from rughernia.content.questionnaire import LANGUAGES, Language


class TextsError(ValueError):
    """texts.toml is broken; the message names the entry."""


@cache
def table() -> dict[str, dict[str, dict[str, str]]]:
    """group -> key -> language -> text, every entry checked for both languages."""
    text = resources.files(__package__).joinpath("texts.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))


def parse(data: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for group, entries in data.items():
        out[group] = {}
        for key, entry in entries.items():
            for lang in LANGUAGES:
                value = entry.get(lang)
                if not isinstance(value, str) or not value.strip():
                    raise TextsError(f"{group}.{key}: the '{lang}' text is missing")
            out[group][key] = {lang: str(entry[lang]) for lang in LANGUAGES}
    return out


def text(group: str, key: str, lang: Language, **values: object) -> str:
    template = table()[group][key][lang]
    return template.format(**values) if values else template
