"""Export, import, assess: the same assessment; "don't know" stays "don't know"."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from rughernia.content import load
from rughernia.contract import NO_ALARM_SYMPTOMS, parse_case
from rughernia.interop import BundleInvalid, codes
from rughernia.interop.fhir_import import case_from_bundle
from rughernia.pathway import assess
from rughernia.pathway.model import ALARM_QUESTIONS
from tests.interop.support import TODAY, assessed, case_json, day, exported, resources
from tests.pathway.strategies import cases


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_export_then_import_gives_the_same_assessment(data: dict[str, Any]) -> None:
    case, original = assessed(data)
    back = case_from_bundle(exported(data), case.today)
    again = parse_case(back)
    assert assess(again, load()).to_dict() == original.to_dict()
    # Not just the same result: the same case, field for field (diary order aside).
    assert again.symptoms == case.symptoms
    assert again.patient == case.patient
    assert again.medication == case.medication
    assert sorted(again.diary, key=lambda e: e.date) == sorted(case.diary, key=lambda e: e.date)


def test_dont_know_survives_as_dont_know() -> None:
    unknown = {**NO_ALARM_SYMPTOMS, **dict.fromkeys(ALARM_QUESTIONS)}
    data = case_json(
        symptoms=unknown,
        patient={"uses_stomach_protector": None, "pregnant": None},
        diary=[{"date": day(0), "leg_pain": 4, "pain_tolerable": None}],
    )
    b = exported(data)
    answers = {
        codes.code_in(o["code"], codes.CASE_SYSTEM): o
        for o in resources(b, "Observation")
        if codes.code_in(o["code"], codes.CASE_SYSTEM)
    }
    for name in ALARM_QUESTIONS:
        assert "valueBoolean" not in answers[name]
        assert "valueCodeableConcept" not in answers[name]
        assert codes.has_code(answers[name]["dataAbsentReason"], codes.ASKED_UNKNOWN)
    back = case_from_bundle(b, TODAY)
    assert all(back["symptoms"][name] is None for name in ALARM_QUESTIONS)
    assert "ALARM_UNCERTAIN" in {f.code for f in assess(parse_case(back), load()).findings}


def test_a_missing_alarm_answer_is_not_made_no() -> None:
    b = exported(case_json())
    b["entry"] = [
        e
        for e in b["entry"]
        if codes.code_in(e["resource"].get("code"), codes.CASE_SYSTEM) != "saddle_numbness"
    ]
    back = case_from_bundle(b, TODAY)
    assert "saddle_numbness" not in back["symptoms"]
    with pytest.raises(ValueError, match=r"symptoms\.saddle_numbness: is required"):
        parse_case(back)


def test_import_names_the_problems() -> None:
    b = exported(case_json(diary=[{"date": day(0), "leg_pain": 4}]))
    broken = copy.deepcopy(b)
    for e in broken["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Observation" and codes.has_code(r["code"], codes.PAIN_LOINC):
            r["valueInteger"] = 9  # the diary day says 4
        if codes.code_in(r.get("code"), codes.CASE_SYSTEM) == "trauma":
            r["code"]["coding"][0]["code"] = "dragons"
    with pytest.raises(BundleInvalid) as info:
        case_from_bundle(broken, TODAY)
    where = [w for w, _ in info.value.problems]
    assert f"Observation leg_pain {day(0)}" in where
    assert "Observation dragons" in where
    with pytest.raises(BundleInvalid, match="entry"):
        case_from_bundle(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"x": 1}]}, TODAY
        )
    with pytest.raises(BundleInvalid, match="must be a FHIR Bundle"):
        case_from_bundle([], TODAY)


def test_a_bad_diary_response_is_named_by_its_link_id() -> None:
    b = exported(case_json(diary=[{"date": day(0), "leg_pain": 4}]))
    for e in b["entry"]:
        r = e["resource"]
        if r["resourceType"] == "QuestionnaireResponse":
            r["item"][1]["answer"] = [{"valueInteger": 11}]
        if r["resourceType"] == "Observation" and codes.has_code(r["code"], codes.PAIN_LOINC):
            r["valueInteger"] = 11
    with pytest.raises(BundleInvalid) as info:
        case_from_bundle(b, TODAY)
    assert (f"QuestionnaireResponse {day(0)} leg_pain", "11 is above the maximum 10") in (
        info.value.problems
    )
