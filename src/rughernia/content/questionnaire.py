"""The texts of the terminal questionnaire (``questionnaire.toml``), in one language.

Only words live here: how a question is asked and which typed answers mean
what (a keyword, an option's number, a number in range, a date). Reading is
forgiving: case, spaces and punctuation around the words do not matter, and a
Dutch decimal comma (2,5) is a decimal. Which questions are asked, in which
order, and what the answers lead to is decided elsewhere (the order by
``rughernia.care.selfcheck``, the result by the pathway).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
Kind = Literal["choice", "number", "date"]
# The value an option puts in the case; None is "don't know".
Value = bool | int | str | None
Answer = Value | float | dt.date
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
# No answer is longer; int() of more than 4,300 digits is an error, and slow before that.
_LONGEST_NUMBER = 12
# Punctuation a person may type around or between the words of an answer ("Ja!", "nee.").
_PUNCTUATION = str.maketrans(dict.fromkeys('.,!;:"()[]', " "))


class QuestionnaireError(ValueError):
    """The questionnaire file is broken; the message names the entry."""


class Reask(ValueError):
    """A typed answer does not fit its question; the message says what would."""


@dataclass(frozen=True, slots=True)
class Option:
    value: Value
    label: str
    keywords: frozenset[str]  # normalised, label included


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str
    kind: Kind
    text: str
    options: tuple[Option, ...] = ()
    minimum: int = 0
    maximum: int = 0
    optional: bool = False
    decimals: bool = False
    # How a web page asks it, where the terminal's wording says how to type ("druk op Enter").
    web_text: str = ""

    @property
    def on_page(self) -> str:
        return self.web_text or self.text

    def match(self, answer: str) -> Option | None:
        """The option a typed answer names: its number (choices only), label or keyword."""
        typed = normalise(answer)
        position = whole_number(typed, len(self.options)) if self.kind == "choice" else None
        if position:
            return self.options[position - 1]
        return next((o for o in self.options if typed in o.keywords), None)


@dataclass(frozen=True, slots=True)
class Questionnaire:
    language: Language
    questions: dict[str, Question]
    ui: dict[str, str]

    def text(self, key: str, **values: object) -> str:
        return self.ui[key].format(**values) if values else self.ui[key]

    def read(self, question: Question, typed: str, today: dt.date) -> Answer:
        """The value of a typed answer, or Reask with what to type instead."""
        typed = typed.strip()
        if question.optional and not typed:
            return None
        option = question.match(typed)
        if option is not None:
            return option.value
        if question.kind == "choice":
            raise Reask(self.text("reask_choice"))
        if question.kind == "number":
            number = _number(typed.rstrip(".!").strip(), question.decimals)
            if number is not None and question.minimum <= number <= question.maximum:
                return number
            key = "reask_number_optional" if question.optional else "reask_number"
            raise Reask(self.text(key, min=question.minimum, max=question.maximum))
        date = parse_date(typed.rstrip(".!").strip())
        if date is None:
            raise Reask(self.text("reask_date"))
        if date > today:
            raise Reask(self.text("date_future", today=today.isoformat()))
        return date


def whole_number(typed: str, maximum: int) -> int | None:
    """``typed`` as a whole number from 0 to ``maximum`` in the digits 0-9, else None.

    Not ``str.isdigit()``: it takes '²', which ``int()`` refuses (a crash, where the
    answer is only a typing slip).
    """
    if len(typed) > _LONGEST_NUMBER or not _WHOLE.fullmatch(typed):
        return None
    value = int(typed)
    return value if value <= maximum else None


def _number(typed: str, decimals: bool) -> int | float | None:
    """A whole number, or with ``decimals`` also 2,5 or 2.5 (the Dutch comma too)."""
    if len(typed) > _LONGEST_NUMBER:
        return None
    if _WHOLE.fullmatch(typed):
        return int(typed)
    if decimals and _DECIMAL.fullmatch(typed):
        return float(typed.replace(",", "."))
    return None


def normalise(answer: str) -> str:
    """Lower case, single spaces, straight apostrophes, no punctuation around the words.

    "Don’t  know." == "don't know", "Ja!" == "ja", "Weet ik niet?" == "weet ik niet";
    a "?" alone stays, as it means "don't know".
    """
    text = answer.replace("’", "'").replace("‘", "'").lower().translate(_PUNCTUATION)
    words = " ".join(text.split())
    return words.strip("? ").strip() or words


def parse_date(typed: str) -> dt.date | None:
    """2026-02-15, or the Dutch way of writing it: 15-02-2026 (also with / or .)."""
    dutch = _DUTCH_DATE.fullmatch(typed)
    try:
        if dutch:
            day, month, year = (int(g) for g in dutch.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(typed) if re.fullmatch(r"\d{4}-\d\d-\d\d", typed) else None
    except ValueError:
        return None


def raw() -> dict[str, Any]:
    """The questionnaire file as parsed TOML (for tests)."""
    text = resources.files(__package__).joinpath("questionnaire.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def load(language: Language) -> Questionnaire:
    return parse(raw(), language)


def parse(data: dict[str, Any], language: Language) -> Questionnaire:
    """Read one language; refuse the file if any text is missing in *any* language."""
    dont_know = _dont_know(data.get("dont_know", {}), language)
    answers = {
        name: _options(f"answers.{name}", t["options"], language, dont_know)
        for name, t in data["answers"].items()
    }
    questions = {
        qid: _question(qid, entry, answers, language) for qid, entry in data["questions"].items()
    }
    ui = {key: _text(f"ui.{key}", entry, language) for key, entry in data["ui"].items()}
    return Questionnaire(language, questions, ui)


def _text(where: str, entry: dict[str, Any], language: Language) -> str:
    for lang in LANGUAGES:
        text = entry.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise QuestionnaireError(f"{where}: the '{lang}' text is missing")
    return str(entry[language])


def _dont_know(entry: dict[str, Any], language: Language) -> Option:
    """The shared "don't know" option (table ``dont_know``): its label, its words, value None."""
    label = _text("dont_know", entry, language)
    keys = {normalise(k) for k in entry.get(f"keys_{language}", [])}
    return Option(None, label, frozenset({normalise(label), *keys}))


def _options(
    where: str, table: list[dict[str, Any]], language: Language, dont_know: Option
) -> tuple[Option, ...]:
    options = []
    for i, entry in enumerate(table):
        if entry.get("dont_know") is True:
            if entry.keys() != {"dont_know"}:
                raise QuestionnaireError(f"{where}[{i}]: a dont_know option has nothing else")
            options.append(dont_know)
            continue
        label = _text(f"{where}[{i}]", entry, language)
        keys = {normalise(k) for k in entry.get(f"keys_{language}", [])}
        options.append(Option(entry.get("value"), label, frozenset({normalise(label), *keys})))
    for i, option in enumerate(options):
        # A typed number picks an option by position, and one word must name one option.
        if any(k.isdigit() for k in option.keywords):
            raise QuestionnaireError(f"{where}[{i}]: a number cannot be a keyword")
        if any(option.keywords & other.keywords for other in options[i + 1 :]):
            raise QuestionnaireError(f"{where}[{i}]: a keyword names two options")
    return tuple(options)


def _question(
    qid: str, entry: dict[str, Any], answers: dict[str, tuple[Option, ...]], language: Language
) -> Question:
    where = f"questions.{qid}"
    kind = entry.get("kind")
    if kind not in ("choice", "number", "date"):
        raise QuestionnaireError(f"{where}: unknown kind {kind!r}")
    if kind == "choice" and entry.get("answers") not in answers:
        raise QuestionnaireError(f"{where}: a choice needs a known answer set")
    if "answers" in entry and entry["answers"] not in answers:
        raise QuestionnaireError(f"{where}: unknown answer set {entry['answers']!r}")
    if kind == "number" and not {"min", "max"} <= entry.keys():
        raise QuestionnaireError(f"{where}: a number needs min and max")
    return Question(
        id=qid,
        section=str(entry["section"]),
        kind=kind,
        text=_text(where, entry, language),
        options=answers.get(entry.get("answers", ""), ()),
        minimum=int(entry.get("min", 0)),
        maximum=int(entry.get("max", 0)),
        optional=bool(entry.get("optional", False)),
        decimals=bool(entry.get("decimals", False)),
        web_text=_text(f"{where}.web", entry["web"], language) if "web" in entry else "",
    )
