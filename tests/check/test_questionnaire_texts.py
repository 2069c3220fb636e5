"""The questionnaire's texts and how typed answers are read."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import Any

import pytest

from rughernia.care.selfcheck import DIARY_ONLY, MG_PER_TABLET, ORDER
from rughernia.content.questionnaire import (
    LANGUAGES,
    QuestionnaireError,
    Reask,
    load,
    normalise,
    parse,
    raw,
)
from rughernia.pathway.model import ALARM_QUESTIONS

from .helpers import SCHEMA

TODAY = dt.date(2026, 3, 2)
# A negation in an alarm question turns "ja" into "no alarm" (CLINICAL.md §2).
NEGATIONS = {
    "nl": re.compile(r"\b(niet|geen|nooit)\b"),
    "en": re.compile(r"\b(not|no|never|unable|cannot)\b|n't"),
}


def every_text(lang: str) -> list[str]:
    texts = load("nl" if lang == "nl" else "en")
    out = [q.text for q in texts.questions.values()]
    out += [o.label for q in texts.questions.values() for o in q.options]
    return out + list(texts.ui.values())


def test_every_question_asked_has_its_texts_in_both_languages() -> None:
    for lang in LANGUAGES:
        texts = load(lang)
        assert set(ORDER) | set(DIARY_ONLY) == set(texts.questions)
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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_yes_to_an_alarm_question_means_the_alarm_is_there(lang: str) -> None:
    texts = load(lang)
    for qid in ALARM_QUESTIONS:
        wording = texts.questions[qid].text.lower()
        assert not NEGATIONS[lang].search(wording), f"{qid}: {wording}"


def test_the_saddle_and_bladder_questions_name_the_early_signs() -> None:
    nl, en = load("nl").questions, load("en").questions
    saddle = nl["saddle_numbness"].text
    for place in ("billen", "anus", "geslachtsdelen", "binnenkant van uw bovenbenen"):
        assert place in saddle
    for place in ("buttocks", "anus", "genitals", "inside of your thighs"):
        assert place in en["saddle_numbness"].text
    bladder = nl["urinary_retention"].text
    for sign in ("de plas blijft weg", "moeilijk op gang", "straal", "voelt minder"):
        assert sign in bladder
    for sign in ("nothing comes out", "hard to get started", "stream", "feel less"):
        assert sign in en["urinary_retention"].text
    assert nl["weakness"].options[0].label == "nee, mijn kracht is normaal"
    assert en["weakness"].options[0].label == "no, my strength is normal"


def test_the_tablet_question_names_the_tablet_the_mg_is_counted_from() -> None:
    for lang in LANGUAGES:
        question = load(lang).questions["paracetamol_tablets"]
        assert f"{MG_PER_TABLET} mg" in question.text
        assert question.maximum * MG_PER_TABLET == 20000  # the contract's maximum in mg


def test_english_says_warning_sign_and_no_text_is_patronising() -> None:
    for text in every_text("en"):
        assert "alarm" not in text.lower(), text
    assert any("warning sign" in t for t in every_text("en"))
    for lang in LANGUAGES:
        for text in every_text(lang):
            assert not re.search(r"goed zo|prima gedaan|well done|good job", text.lower()), text


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


def test_a_dont_know_option_takes_nothing_of_its_own() -> None:
    data: dict[str, Any] = copy.deepcopy(raw())
    data["answers"]["unknown"]["options"][0]["value"] = False
    with pytest.raises(QuestionnaireError, match="dont_know option has nothing else"):
        parse(data, "nl")


def test_choice_values_are_those_the_case_schema_allows() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    symptoms = schema["properties"]["symptoms"]["properties"]
    texts = load("nl")
    for qid in ("leg_pain_reaches", "weakness", "course_reported"):
        for option in texts.questions[qid].options:
            assert option.value in symptoms[qid]["enum"]
    steps = [o.value for o in texts.questions["medication_step"].options]
    assert steps == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  Ja! ", "ja"),
        ("Weet ik niet?", "weet ik niet"),
        ("?", "?"),
        ("nee, even erg.", "nee even erg"),
    ],
)
def test_normalise_ignores_case_spaces_and_punctuation(typed: str, normal: str) -> None:
    assert normalise(typed) == normal


@pytest.mark.parametrize(
    ("lang", "qid", "typed", "value"),
    [
        ("nl", "saddle_numbness", "Ja", True),
        ("nl", "saddle_numbness", "  n ", False),
        ("nl", "saddle_numbness", "Nee.", False),
        ("nl", "saddle_numbness", "Weet  ik niet", None),
        ("nl", "saddle_numbness", "weet het niet", None),
        ("nl", "saddle_numbness", "Geen idee!", None),
        ("nl", "saddle_numbness", "?", None),
        ("nl", "saddle_numbness", "3", None),
        ("en", "saddle_numbness", "Don’t know", None),
        ("en", "saddle_numbness", "I don't know.", None),
        ("en", "saddle_numbness", "not sure", None),
        ("en", "saddle_numbness", "2", False),
        ("nl", "weakness", "3", "progressive"),
        ("nl", "weakness", "erger", "progressive"),
        ("nl", "weakness", "Nee, mijn kracht is normaal.", "none"),
        ("en", "weakness", "stable", "stable"),
        ("nl", "leg_pain_reaches", "boven", "above_knee"),
        ("nl", "leg_pain_reaches", "Onder de knie", "below_knee"),
        ("nl", "leg_pain_reaches", "boven de knie.", "above_knee"),
        ("en", "leg_pain_reaches", "below the knee", "below_knee"),
        ("nl", "course_reported", "hetzelfde", "same"),
        ("nl", "course_reported", "een beetje minder", "a_little_better"),
        ("en", "course_reported", "much better", "much_better"),
        ("en", "course_reported", "worse", "worse"),
        ("en", "course_reported", "not sure", None),
        ("en", "medication_step", "morphine", 3),
        ("en", "medication_step", "1", 0),
        ("nl", "medication_step", "Ibuprofen", 2),
        ("nl", "leg_pain", "10", 10),
        ("nl", "leg_pain", "0", 0),
        ("nl", "leg_pain", "7.", 7),
        ("nl", "age", "", None),
        ("nl", "hours_lying", "2,5", 2.5),
        ("en", "hours_lying", "2.5", 2.5),
        ("nl", "hours_lying", "geen idee", None),
        ("nl", "hours_lying", "", None),
        ("nl", "weight_kg", "72,5", 72.5),
        ("en", "weight_kg", "not sure", None),
        ("nl", "paracetamol_tablets", "8", 8),
        ("nl", "paracetamol_tablets", "weet ik niet", None),
        ("nl", "onset", "2026-03-02", dt.date(2026, 3, 2)),
        ("nl", "onset", "1-2-2026", dt.date(2026, 2, 1)),
        ("nl", "onset", "weet het niet", None),
        ("en", "onset", "15/02/2026", dt.date(2026, 2, 15)),
        ("en", "onset", "don't know", None),
    ],
)
def test_typed_answers_are_read(lang: str, qid: str, typed: str, value: object) -> None:
    texts = load("nl" if lang == "nl" else "en")
    assert texts.read(texts.questions[qid], typed, TODAY) == value


@pytest.mark.parametrize(
    ("qid", "typed", "key"),
    [
        ("saddle_numbness", "misschien", "reask_choice"),
        ("saddle_numbness", "", "reask_choice"),
        ("saddle_numbness", "4", "reask_choice"),
        ("weakness", "ja", "reask_choice"),  # stable or increasing? do not guess
        ("course_reported", "nee", "reask_choice"),  # the same or worse? do not guess
        ("fever", "weet ik niet", "reask_choice"),
        ("leg_pain_reaches", "knie", "reask_choice"),
        ("leg_pain", "11", "reask_number"),
        ("leg_pain", "-1", "reask_number"),
        ("leg_pain", "7.5", "reask_number"),
        ("leg_pain", "7,5", "reask_number"),
        ("leg_pain", "", "reask_number"),
        ("leg_pain", "²", "reask_number"),
        ("age", "121", "reask_number_optional"),
        ("hours_lying", "25", "reask_number_optional"),
        ("hours_lying", "2,5,5", "reask_number_optional"),
        ("weight_kg", "10", "reask_number_optional"),
        ("paracetamol_tablets", "41", "reask_number_optional"),
        ("onset", "gisteren", "reask_date"),
        ("onset", "2026-02-30", "reask_date"),
        ("onset", "1", "reask_date"),
        ("onset", "2026-03-03", "date_future"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_what_to_type(
    qid: str, typed: str, key: str
) -> None:
    texts = load("nl")
    question = texts.questions[qid]
    expected = texts.text(key, min=question.minimum, max=question.maximum, today=TODAY.isoformat())
    with pytest.raises(Reask) as refused:
        texts.read(question, typed, TODAY)
    assert str(refused.value) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("typed", ["²", "³", "9" * 5000, "1" + "0" * 20, "1²"])
def test_an_odd_number_is_asked_again_not_a_crash(lang: str, typed: str) -> None:
    # '²' passes str.isdigit() and fails int(); 5,000 digits fail int() too.
    texts = load("nl" if lang == "nl" else "en")
    for question in texts.questions.values():
        if question.kind == "date":
            continue
        with pytest.raises(Reask):
            texts.read(question, typed, TODAY)


def test_a_choice_by_its_number_still_works() -> None:
    texts = load("nl")
    question = next(q for q in texts.questions.values() if q.kind == "choice")
    assert texts.read(question, "1", TODAY) == question.options[0].value
    assert texts.read(question, str(len(question.options)), TODAY) == question.options[-1].value
    with pytest.raises(Reask):
        texts.read(question, str(len(question.options) + 1), TODAY)
