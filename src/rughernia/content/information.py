"""The information pages' texts (``information.toml``): one topic a page, nl and en."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Language = Literal["nl", "en"]


class InformationError(ValueError):
    """The information file is broken; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, or a list (``items``)."""

    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    source: str  # the leaflet section, L1..L10
    guideline: str | None
    title: str
    blocks: tuple[Block, ...]


def raw() -> dict[str, Any]:
    text = resources.files("rughernia.content").joinpath("information.toml").read_text("utf-8")
    return tomllib.loads(text)


def parse(data: dict[str, Any], language: Language) -> tuple[Topic, ...]:
    topics: list[Topic] = []
    for tid, entry in data.get("topics", {}).items():
        for key in (f"title_{language}", f"body_{language}", "source"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise InformationError(f"topics.{tid}: {key} is missing or empty")
        topics.append(
            Topic(
                tid,
                entry["source"],
                entry.get("guideline"),
                entry[f"title_{language}"],
                blocks(entry[f"body_{language}"]),
            )
        )
    return tuple(topics)


@cache
def load(language: Language) -> tuple[Topic, ...]:
    return parse(raw(), language)


@cache
def sources(language: Language) -> dict[str, str]:
    """Each source id (L1..L10, a guideline) as a patient reads it."""
    return {sid: names[language] for sid, names in raw().get("sources", {}).items()}


@dataclass(frozen=True, slots=True)
class Note:
    """A short text the pages show beside an assessment (what to do when the pain is not
    bearable; whom to call out of hours), with its source like every clinical text."""

    id: str
    source: str
    text: str


def parse_notes(data: dict[str, Any], language: Language) -> dict[str, Note]:
    known = data.get("sources", {})
    notes: dict[str, Note] = {}
    for nid, entry in data.get("notes", {}).items():
        for key in ("nl", "en", "source"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise InformationError(f"notes.{nid}: {key} is missing or empty")
        if entry["source"] not in known:
            raise InformationError(f"notes.{nid}: source {entry['source']} is not in [sources]")
        notes[nid] = Note(nid, entry["source"], entry[language].strip())
    return notes


@cache
def notes(language: Language) -> dict[str, Note]:
    return parse_notes(raw(), language)


def blocks(text: str) -> tuple[Block, ...]:
    """A text of ``content/`` as blocks: each line a paragraph (blank lines between them do
    not matter), and each run of lines starting with "- " one list."""
    out: list[Block] = []
    for line in (raw_line.strip() for raw_line in text.strip().splitlines()):
        if not line:
            continue
        if line.startswith("- "):
            if out and out[-1].items:
                out[-1] = Block(items=(*out[-1].items, line[2:]))
            else:
                out.append(Block(items=(line[2:],)))
        else:
            out.append(Block(text=line))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Band:
    """The expected course: per week, the leg pain as a fraction of the first week's."""

    source: str
    weeks: tuple[int, ...]
    high: tuple[float, ...]
    low: tuple[float, ...]


@cache
def expected_course() -> Band:
    table = raw()["expected_course"]
    band = Band(
        str(table["source"]),
        tuple(int(w) for w in table["weeks"]),
        tuple(float(x) for x in table["high"]),
        tuple(float(x) for x in table["low"]),
    )
    if not len(band.weeks) == len(band.high) == len(band.low) or any(
        not 0 <= lo <= hi <= 1 for lo, hi in zip(band.low, band.high, strict=True)
    ):
        raise InformationError(
            "expected_course: weeks, high and low must pair up, 0 <= low <= high <= 1"
        )
    return band
