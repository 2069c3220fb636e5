"""The questionnaire's texts and how typed answers are read."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from rughernia.check_cli import ORDER
from rughernia.content.questionnaire import (
    LANGUAGES,
    QuestionnaireError,
    Reask,
    load,
    parse,
    raw,
)

from .helpers import SCHEMA

TODAY = dt.date(2026, 3, 2)


def test_every_question_asked_has_its_texts_in_both_languages() -> None:
    for lang in LANGUAGES:
        texts = load(lang)
        assert set(ORDER) == set(texts.questions)
        for question in texts.questions.values():
            assert question.text.strip()
            assert texts.text(f"section_{question.section}")
    nl, en = load("nl"), load("en")
    assert nl.ui.keys() == en.ui.keys()
    for qid in ORDER:
        assert [o.value for o in nl.questions[qid].options] == [
            o.value for o in en.questions[qid].options
        ]
        assert nl.questions[qid].text != en.questions[qid].text


def test_a_missing_translation_is_refused() -> None:
    data = copy.deepcopy(raw())
    del data["questions"]["incontinence"]["en"]
    with pytest.raises(QuestionnaireError, match=r"questions.incontinence: the 'en' text"):
        parse(data, "nl")  # refused even when only Dutch is asked for


def test_a_keyword_that_names_two_options_is_refused() -> None:
    data: dict[str, Any] = copy.deepcopy(raw())
    data["answers"]["weakness"]["options"][1]["keys_nl"] = ["nee"]
    with pytest.raises(QuestionnaireError, match="names two options"):
        parse(data, "nl")


def test_choice_values_are_those_the_case_schema_allows() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    symptoms = schema["properties"]["symptoms"]["properties"]
    texts = load("nl")
    for qid in ("leg_pain_reaches", "weakness"):
        for option in texts.questions[qid].options:
            assert option.value in symptoms[qid]["enum"]
    steps = [o.value for o in texts.questions["medication_step"].options]
    assert steps == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("lang", "qid", "typed", "value"),
    [
        ("nl", "saddle_numbness", "Ja", True),
        ("nl", "saddle_numbness", "  n ", False),
        ("nl", "saddle_numbness", "Weet  ik niet", None),
        ("nl", "saddle_numbness", "?", None),
        ("nl", "saddle_numbness", "3", None),
        ("en", "saddle_numbness", "Don’t know", None),
        ("en", "saddle_numbness", "2", False),
        ("nl", "weakness", "3", "progressive"),
        ("nl", "weakness", "erger", "progressive"),
        ("en", "weakness", "stable", "stable"),
        ("nl", "leg_pain_reaches", "boven", "above_knee"),
        ("en", "medication_step", "morphine", 3),
        ("en", "medication_step", "1", 0),
        ("nl", "leg_pain", "10", 10),
        ("nl", "leg_pain", "0", 0),
        ("nl", "age", "", None),
        ("nl", "paracetamol_mg", "4000", 4000),
        ("nl", "onset", "2026-03-02", dt.date(2026, 3, 2)),
        ("nl", "onset", "1-2-2026", dt.date(2026, 2, 1)),
        ("en", "onset", "15/02/2026", dt.date(2026, 2, 15)),
        ("en", "onset", "don't know", None),
    ],
)
def test_typed_answers_are_read(lang: str, qid: str, typed: str, value: object) -> None:
    texts = load("nl" if lang == "nl" else "en")
    assert texts.read(texts.questions[qid], typed, TODAY) == value


@pytest.mark.parametrize(
    ("qid", "typed", "message"),
    [
        ("saddle_numbness", "misschien", "Kies een van deze: ja / nee / weet ik niet."),
        ("saddle_numbness", "", "Kies een van deze"),
        ("saddle_numbness", "4", "Kies een van deze"),
        ("weakness", "ja", "Kies een van deze"),  # stable or increasing? do not guess
        ("fever", "weet ik niet", "Kies een van deze: ja / nee."),
        ("leg_pain", "11", "Typ een getal van 0 tot 10."),
        ("leg_pain", "-1", "Typ een getal van 0 tot 10."),
        ("leg_pain", "7.5", "Typ een getal van 0 tot 10."),
        ("leg_pain", "", "Typ een getal van 0 tot 10."),
        ("leg_pain", "²", "Typ een getal van 0 tot 10."),
        ("age", "121", "Typ een getal van 0 tot 120."),
        ("onset", "gisteren", "Typ een datum zoals"),
        ("onset", "2026-02-30", "Typ een datum zoals"),
        ("onset", "1", "Typ een datum zoals"),
        ("onset", "2026-03-03", "Die datum is na vandaag. Typ een datum tot en met 2026-03-02."),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_what_to_type(
    qid: str, typed: str, message: str
) -> None:
    texts = load("nl")
    with pytest.raises(Reask, match=message.replace(".", r"\.")):
        texts.read(texts.questions[qid], typed, TODAY)
