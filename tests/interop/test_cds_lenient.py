"""The lenient reading of an EHR's prefetch: what an EHR holds in other shapes than ours
is read towards more urgency, and what is not read is named on the card, never dropped
silently (``fhir_import.read_case(strict=False)``, ``pathway.answers``)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rughernia.content import load
from rughernia.contract import parse_case
from rughernia.interop import HookInvalid, codes
from rughernia.interop.cds import PREFETCH, cards, prefetch_case
from rughernia.interop.questionnaire_items import canonical
from rughernia.interop.texts import text
from rughernia.pathway import Triage, assess
from tests.interop.support import TODAY, by_triage, case_json, day
from tests.interop.test_cds import prefetch_of, searchset

YES = {"valueCoding": {"system": codes.YES_NO, "code": "Y"}}
NO = {"valueCoding": {"system": codes.YES_NO, "code": "N"}}


def triage_of(prefetch: dict[str, Any]) -> tuple[Triage, dict[str, Any]]:
    case, parsed, unused = prefetch_case(prefetch, TODAY, "nl")
    return assess(parsed, load()).triage, {"case": case, "unused": unused}


def intake(status: str, **answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical("intake", "nl"),
        "status": status,
        "item": [
            {
                "linkId": "alarm",
                "item": [{"linkId": k, "answer": [v]} for k, v in answers.items()],
            }
        ],
    }


def without_answers() -> dict[str, Any]:
    pre = prefetch_of(by_triage()["self_care"], answers=False)
    pre["diary"] = searchset([])
    return pre


@pytest.mark.parametrize("status", ["completed", "in-progress"])
def test_an_intake_response_with_an_alarm_yes_is_an_emergency(status: str) -> None:
    pre = without_answers()
    assert triage_of(pre)[0] == Triage.URGENT  # no answers: "don't know"
    pre["diary"]["entry"].append({"resource": intake(status, saddle_numbness=YES)})
    got, read = triage_of(pre)
    assert got == Triage.EMERGENCY
    assert read["case"]["symptoms"]["saddle_numbness"] is True


def test_one_question_twice_in_an_intake_keeps_the_yes() -> None:
    pre = without_answers()
    qr = intake("completed", both_legs=YES)
    qr["item"].append({"linkId": "alarm", "item": [{"linkId": "both_legs", "answer": [NO]}]})
    pre["diary"]["entry"].append({"resource": qr})
    for _ in range(2):
        got, read = triage_of(pre)
        assert read["case"]["symptoms"]["both_legs"] is True
        assert got == Triage.EMERGENCY
        qr["item"].reverse()


def test_an_intake_answer_with_two_values_is_refused_not_read_as_one() -> None:
    pre = without_answers()
    both = {"valueBoolean": False, **YES}  # read as "no", the "yes" beside it was dropped
    pre["diary"]["entry"].append({"resource": intake("completed", saddle_numbness=both)})
    with pytest.raises(HookInvalid, match=r"prefetch.diary: entry.0.resource.item.0.item.0"):
        prefetch_case(pre, TODAY, "nl")


def test_an_intake_no_counts_only_when_completed() -> None:
    alarms = dict.fromkeys(("saddle_numbness", "incontinence", "urinary_retention"), NO)
    alarms |= {"weakness_severe": NO, "both_legs": NO}
    weakness = {"valueCoding": {"system": codes.ANSWER_SYSTEM, "code": "none"}}
    pre = without_answers()
    pre["diary"]["entry"].append({"resource": intake("in-progress", weakness=weakness, **alarms)})
    assert triage_of(pre)[0] == Triage.URGENT  # a "no" not yet final may be taken back
    pre["diary"]["entry"][0]["resource"]["status"] = "completed"
    assert triage_of(pre)[0] == Triage.SELF_CARE


def _answer(pre: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [
        e["resource"]
        for e in pre["answers"]["entry"]
        if codes.code_in(e["resource"]["code"], codes.CASE_SYSTEM) == name
    ]
    return found


@pytest.mark.parametrize("status", ["final", "preliminary"])
def test_a_second_answer_that_is_more_urgent_wins_and_is_no_error(status: str) -> None:
    pre = prefetch_of(by_triage()["self_care"])
    assert triage_of(pre)[0] == Triage.SELF_CARE
    yes = copy.deepcopy(_answer(pre, "incontinence"))
    assert yes["valueBoolean"] is False
    yes |= {"valueBoolean": True, "status": status}
    pre["answers"]["entry"].append({"resource": yes})
    assert triage_of(pre)[0] == Triage.EMERGENCY
    # A second "no" beside a "yes" changes nothing, whichever comes first.
    pre["answers"]["entry"].reverse()
    assert triage_of(pre)[0] == Triage.EMERGENCY


def test_a_preliminary_no_alone_stays_dont_know() -> None:
    pre = prefetch_of(by_triage()["self_care"])
    _answer(pre, "incontinence")["status"] = "preliminary"
    got, read = triage_of(pre)
    assert read["case"]["symptoms"]["incontinence"] is None
    assert got == Triage.URGENT


def _leg_scores(pre: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e["resource"]
        for e in pre["painScores"]["entry"]
        if codes.has_code(e["resource"].get("bodySite"), codes.LOWER_LIMB)
    ]


def test_pain_scores_as_a_quantity_or_at_one_side_are_read() -> None:
    data = case_json(diary=[{"date": day(i), "leg_pain": 3} for i in range(3)])
    pre = prefetch_of(data)
    pre["diary"] = None
    first, second, *_ = _leg_scores(pre)
    first["valueQuantity"] = {"value": 9, "unit": "score"}
    del first["valueInteger"]
    second["bodySite"] = codes.concept((codes.SNOMED, "32153003", "Left lower limb"))
    second["valueInteger"] = 8
    _, read = triage_of(pre)
    assert sorted(e["leg_pain"] for e in read["case"]["diary"]) == [3, 8, 9]
    assert read["unused"] == {}


def test_what_is_not_read_is_named_on_the_card() -> None:
    pre = prefetch_of(case_json(diary=[{"date": day(0), "leg_pain": 5}]))
    pre["diary"] = searchset([])
    general = copy.deepcopy(_leg_scores(pre)[0])
    del general["bodySite"]
    preliminary = copy.deepcopy(_leg_scores(pre)[0]) | {"status": "preliminary"}
    other = {"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "x"}
    pre["painScores"]["entry"] += [{"resource": general}, {"resource": preliminary}]
    pre["diary"]["entry"].append({"resource": other})
    _, parsed, unused = prefetch_case(pre, TODAY, "en")
    assert unused == {"pain_unplaced": 1, "pain_not_final": 1, "response_other": 1}
    a = assess(parsed, load())
    (card,) = cards(a, "en", None, unused=unused)
    assert text("card", "unused", "en") in card["detail"]
    for why, n in unused.items():
        assert text("unused", why, "en", n=n) in card["detail"]
    (plain,) = cards(a, "en", None)
    assert text("card", "unused", "en") not in plain["detail"]


def test_back_pain_on_a_day_without_leg_pain_is_named_on_the_card() -> None:
    pre = prefetch_of(case_json(diary=[{"date": day(1), "leg_pain": 5, "back_pain": 3}]))
    pre["diary"] = searchset([])
    (leg,) = _leg_scores(pre)
    back = [
        e["resource"]
        for e in pre["painScores"]["entry"]
        if codes.has_code(e["resource"].get("bodySite"), codes.LOWER_BACK)
    ]
    assert len(back) == 1
    pre["painScores"]["entry"].remove({"resource": leg, "search": {"mode": "match"}})
    again = copy.deepcopy(back[0]) | {"valueInteger": 6}
    pre["painScores"]["entry"].append({"resource": again})
    _, parsed, unused = prefetch_case(pre, TODAY, "en")
    assert parsed.diary == ()
    assert unused == {"back_pain_only": 2}
    (card,) = cards(assess(parsed, load()), "en", None, unused=unused)
    assert text("unused", "back_pain_only", "en", n=2) in card["detail"]


def test_two_diary_responses_for_one_day_keep_the_higher_leg_pain() -> None:
    pre = prefetch_of(case_json(diary=[{"date": day(0), "leg_pain": 4}]))
    pre["painScores"] = searchset([])
    (qr,) = [e["resource"] for e in pre["diary"]["entry"]]
    worse = copy.deepcopy(qr)
    for item in worse["item"]:
        if item["linkId"] == "leg_pain":
            item["answer"] = [{"valueInteger": 8}]
    pre["diary"]["entry"].append({"resource": worse})
    pre["diary"]["entry"].append({"resource": qr})  # and the lower one after it again
    _, read = triage_of(pre)
    assert read["case"]["diary"] == [{"date": day(0), "leg_pain": 8}]
    in_progress = copy.deepcopy(worse) | {"status": "in-progress"}
    pre["diary"]["entry"] = [{"resource": qr}, {"resource": in_progress}]
    _, read = triage_of(pre)
    assert read["case"]["diary"] == [{"date": day(0), "leg_pain": 4}]
    assert read["unused"] == {"response_not_done": 1}


def test_the_templates_ask_for_both_pain_codes_and_every_response() -> None:
    assert f"{codes.SNOMED}|{codes.PAIN_SNOMED[1]}" in PREFETCH["painScores"]
    assert f"{codes.LOINC}|{codes.PAIN_LOINC[1]}" in PREFETCH["painScores"]
    assert "status" not in PREFETCH["diary"]
    parse_case(case_json())  # the helpers' case is valid
