"""The SDC Questionnaires and the diary day as a QuestionnaireResponse, both ways."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from rughernia.content import questionnaire as qcontent
from rughernia.contract.case import DiaryEntryModel
from rughernia.interop import ResponseInvalid
from rughernia.interop.questionnaires import (
    diary_entry_from_response,
    diary_response,
    questionnaire,
)
from tests.interop.support import TODAY
from tests.pathway.strategies import diary


def link_ids(items: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for item in items:
        out += link_ids(item["item"]) if item["type"] == "group" else [item["linkId"]]
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", ["intake", "diary"])
def test_questionnaires_validate_in_both_languages(kind: str, lang: str) -> None:
    q = questionnaire(kind, lang)  # type: ignore[arg-type]
    Questionnaire.model_validate(q)
    assert q["language"] == lang
    ids = link_ids(q["item"])
    assert len(ids) == len(set(ids))


def test_diary_link_ids_are_the_fields_of_a_diary_entry() -> None:
    ids = link_ids(questionnaire("diary", "nl")["item"])
    assert ids == list(DiaryEntryModel.model_fields)


def test_texts_come_from_the_content_and_differ_by_language() -> None:
    nl, en = questionnaire("diary", "nl"), questionnaire("diary", "en")
    by_id = {i["linkId"]: i for i in nl["item"]}
    assert by_id["leg_pain"]["text"] == qcontent.load("nl").questions["leg_pain"].text
    assert [i["text"] for i in nl["item"]] != [i["text"] for i in en["item"]]
    intake = link_ids(questionnaire("intake", "en")["item"])
    for name in ("saddle_numbness", "incontinence", "urinary_retention", "weakness"):
        assert name in intake
    assert intake[:6] == [
        "saddle_numbness",
        "incontinence",
        "urinary_retention",
        "weakness",
        "weakness_severe",
        "both_legs",
    ]  # alarm questions first


def test_dont_know_is_an_answer_option_of_the_alarm_questions() -> None:
    (alarm,) = [g for g in questionnaire("intake", "nl")["item"] if g["linkId"] == "alarm"]
    for item in alarm["item"]:
        assert item["required"] is True
        coded = [o["valueCoding"]["code"] for o in item["answerOption"]]
        assert "asked-unknown" in coded


@st.composite
def diary_entries(draw: st.DrawFn) -> dict[str, Any]:
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    entries = diary(rng, TODAY, 30) or [{"date": TODAY.isoformat(), "leg_pain": 3}]
    entry = dict(rng.choice(entries))
    entry["back_pain"] = draw(st.none() | st.integers(0, 10))
    entry["opioid_taken"] = draw(st.none() | st.booleans())
    entry["exercised"] = draw(st.none() | st.booleans())
    entry["note"] = draw(st.none() | st.text(min_size=1, max_size=50))
    return entry


@settings(max_examples=500, deadline=None)
@given(diary_entries(), st.sampled_from(["nl", "en"]))
def test_response_to_entry_to_response_changes_nothing(entry: dict[str, Any], lang: str) -> None:
    qr = diary_response(entry, "Patient/p-42", lang)  # type: ignore[arg-type]
    QuestionnaireResponse.model_validate(qr)
    back = diary_entry_from_response(copy.deepcopy(qr))
    expected = {k: v for k, v in entry.items() if v is not None}
    if "note" in expected:  # FHIR allows no whitespace but space, tab, CR, LF
        expected["note"] = "".join(
            c if not c.isspace() or c in " \t\r\n" else " " for c in entry["note"]
        )
    assert back == expected
    assert diary_response(back, "Patient/p-42", lang) == qr  # type: ignore[arg-type]


@pytest.mark.parametrize("space", ["\u00a0", "\u0085", "\u2028", "\u3000", "\x0b"])
def test_a_note_with_other_whitespace_is_exported_with_a_space(space: str) -> None:
    qr = response(note=f"pijn{space}minder")
    QuestionnaireResponse.model_validate(qr)
    assert qr["item"][-1]["answer"] == [{"valueString": "pijn minder"}]


def response(**answers: Any) -> dict[str, Any]:
    return diary_response({"date": "2026-03-02", "leg_pain": 4, **answers}, "Patient/1", "nl")


def problems_of(qr: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ResponseInvalid) as info:
        diary_entry_from_response(qr)
    return info.value.problems


def test_bad_input_names_the_link_id() -> None:
    qr = response()
    qr["item"][1]["answer"] = [{"valueInteger": 11}]
    assert problems_of(qr) == [("leg_pain", "11 is above the maximum 10")]
    qr = response()
    qr["item"][1]["answer"] = [{"valueString": "veel"}]
    assert problems_of(qr) == [("leg_pain", "needs a whole number (valueInteger)")]
    qr = response()
    qr["item"].append({"linkId": "mood", "answer": [{"valueInteger": 3}]})
    assert problems_of(qr) == [("mood", "is not an item of the diary questionnaire")]
    qr = response()
    del qr["item"][1]
    assert problems_of(qr) == [("leg_pain", "is required")]
    qr = response(pain_tolerable=True)
    qr["item"][2]["answer"][0]["valueCoding"]["code"] = "maybe"
    assert problems_of(qr) == [("pain_tolerable", "'maybe' is not one of the answer options")]
    qr = response()
    qr["item"][1]["answer"] = [{"valueInteger": "4"}]  # FHIR's models coerce; we do not
    assert [p[0] for p in problems_of(qr)] == ["leg_pain"]


def test_not_our_questionnaire_or_not_a_response() -> None:
    qr = response()
    qr["questionnaire"] = "https://example.org/Questionnaire/other"
    assert problems_of(qr)[0][0] == "questionnaire"
    assert problems_of({"resourceType": "Patient"}) == [
        ("", "must be a FHIR QuestionnaireResponse (a JSON object)")
    ]
    qr = response()
    qr["item"][0]["answer"] = [{"valueDate": "2026-02-30"}]
    assert [p[0] for p in problems_of(qr)] == ["date"]


def test_dont_know_in_a_response_is_no_answer_not_no() -> None:
    qr = response(pain_tolerable=False)
    coding = qr["item"][2]["answer"][0]["valueCoding"]
    coding.update(
        {
            "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
            "code": "asked-unknown",
        }
    )
    assert "pain_tolerable" not in diary_entry_from_response(qr)


def test_an_empty_note_is_left_out() -> None:
    assert "note" not in diary_entry_from_response(response(note=""))
