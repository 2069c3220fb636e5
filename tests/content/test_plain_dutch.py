"""Plain Dutch, measured: every Dutch patient text of five words or more reads at B1 level.

Flesch-Douma (the Dutch Flesch reading ease, textstat with language nl, offline) of at
least 60, and no sentence over 20 words. The texts are those of content/pathway.toml
content/questionnaire.toml and content/information.toml: every string under a key ``nl``
(or ending in ``_nl``, as the information pages' titles and bodies).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import textstat

MIN_SCORE = 60
MAX_SENTENCE_WORDS = 20
MIN_WORDS = 5
FILES = ("pathway.toml", "questionnaire.toml", "information.toml")


def dutch_texts(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if (key == "nl" or key.endswith("_nl")) and isinstance(value, str):
                yield path, value
            else:
                yield from dutch_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from dutch_texts(value, f"{path}[{i}]")


def _all() -> list[tuple[str, str]]:
    out = []
    for name in FILES:
        data = tomllib.loads(resources.files("rughernia.content").joinpath(name).read_text())
        out += [(p, t) for p, t in dutch_texts(data, name) if len(t.split()) >= MIN_WORDS]
    return out


def readable(text: str) -> str:
    """The text as a patient reads it: placeholders filled in with a number."""
    return re.sub(r"\{[a-z_]+\}", "6", text)


def sentences(text: str) -> list[str]:
    # A list item or a line is a sentence of its own, as on the screen.
    parts = re.split(r"(?<=[.!?])\s+|\n+", readable(text))
    return [p.strip(" -•") for p in parts if p.strip(" -•")]


TEXTS = _all()


def test_there_are_texts_to_measure() -> None:
    assert len(TEXTS) > 80


@pytest.mark.parametrize(("path", "text"), TEXTS, ids=[p for p, _ in TEXTS])
def test_plain_dutch(path: str, text: str) -> None:
    textstat.set_lang("nl")
    score = textstat.flesch_reading_ease(readable(text))
    long = [s for s in sentences(text) if len(s.split()) > MAX_SENTENCE_WORDS]
    assert score >= MIN_SCORE, f"{path}: Flesch-Douma {score:.0f} < {MIN_SCORE}: {text}"
    assert long == [], f"{path}: sentences over {MAX_SENTENCE_WORDS} words"


def test_the_measure_can_fail() -> None:
    textstat.set_lang("nl")
    hard = (
        "Ongecontroleerde neurologische uitvalsverschijnselen rechtvaardigen "
        "onmiddellijke specialistische beoordeling door een neuroloog."
    )
    assert textstat.flesch_reading_ease(hard) < MIN_SCORE
    assert len(sentences("Een. Twee drie.\n- vier vijf")) == 3
