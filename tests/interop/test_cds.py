"""CDS Hooks 2.0, the pure parts: discovery, prefetch to case, cards."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from rughernia.content import load
from rughernia.contract import parse_case
from rughernia.interop import HookInvalid, PrefetchMissing, codes
from rughernia.interop.cds import (
    PREFETCH,
    REQUIRED,
    SUMMARY_MAX,
    cards,
    case_from_prefetch,
    discovery,
)
from rughernia.interop.texts import text
from rughernia.pathway import Triage, assess
from tests.interop.support import TODAY, assessed, by_triage, case_json, day, exported, resources


def test_discovery_names_a_patient_view_service_with_its_prefetch() -> None:
    (service,) = discovery()["services"]
    assert service["hook"] == "patient-view"
    assert {"id", "title", "description", "prefetch"} <= set(service)
    assert set(REQUIRED) <= set(service["prefetch"])
    assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"
    for template in service["prefetch"].values():
        assert "{{context.patientId}}" in template
    assert "code=http://loinc.org|72514-3" in service["prefetch"]["painScores"]


def searchset(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in items],
    }


def prefetch_of(data: dict[str, Any], *, answers: bool = True) -> dict[str, Any]:
    """What an EHR holding our export would prefetch for the service."""
    b = exported(data)
    obs = resources(b, "Observation")
    out = {
        "patient": resources(b, "Patient")[0],
        "conditions": searchset(resources(b, "Condition")),
        "painScores": searchset([o for o in obs if codes.has_code(o["code"], codes.PAIN_LOINC)]),
        "medications": searchset(resources(b, "MedicationStatement")),
        "diary": searchset(resources(b, "QuestionnaireResponse")),
    }
    if answers:
        out["answers"] = searchset(
            [o for o in obs if codes.code_in(o["code"], codes.CASE_SYSTEM) is not None]
        )
    return out


@pytest.mark.parametrize("level", [t.code for t in Triage])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_full_prefetch_gives_the_cards_of_each_triage_level(level: str, lang: str) -> None:
    data = {**by_triage()[level], "language": lang}
    _case, original = assessed(data)
    assert original.triage.code == level
    got = case_from_prefetch(prefetch_of(data), TODAY, lang)  # type: ignore[arg-type]
    a = assess(parse_case(got), load())
    assert a.triage == original.triage
    (card,) = cards(a, lang, "https://rughernia.example/patients/p-42")  # type: ignore[arg-type]
    assert card["indicator"] == {
        "emergency": "critical",
        "urgent": "critical",
        "contact_gp": "warning",
    }.get(level, "info")
    assert len(card["summary"]) < SUMMARY_MAX
    assert card["summary"].startswith(text("card", f"summary_{level}", lang))  # type: ignore[arg-type]
    assert card["source"]["label"].startswith(text("card", "source", lang))  # type: ignore[arg-type]
    for f in a.findings:
        assert f"`{f.code}`" in card["detail"]
        assert f.text in card["detail"]
        for source in f.source.split(","):
            assert source.strip() in card["source"]["label"]
    assert card["links"] == [
        {
            "label": text("card", "link", lang),  # type: ignore[arg-type]
            "url": "https://rughernia.example/patients/p-42",
            "type": "absolute",
        }
    ]


def test_no_link_when_the_patient_is_not_ours_and_the_language_must_match() -> None:
    _, a = assessed(case_json())
    (card,) = cards(a, "nl", None)
    assert "links" not in card
    with pytest.raises(ValueError, match="the assessment is in nl"):
        cards(a, "en", None)


def test_every_summary_stays_under_140_characters() -> None:
    for level, phase, lang in itertools.product(
        [t.code for t in Triage], ["acute", "recovery", "checkpoint", "recovered"], ["nl", "en"]
    ):
        summary = text("card", f"summary_{level}", lang)  # type: ignore[arg-type]
        summary += text("card", "phase_suffix", lang, phase=text("phase", phase, lang), days=9999)  # type: ignore[arg-type]
        assert len(summary) < SUMMARY_MAX, summary


def test_without_our_answers_every_alarm_question_is_dont_know() -> None:
    data = by_triage()["self_care"]
    got = case_from_prefetch(prefetch_of(data, answers=False), TODAY, "nl")
    assert got["symptoms"]["saddle_numbness"] is None
    assert got["symptoms"]["leg_pain_reaches"] == "below_knee"  # a sciatica Condition
    a = assess(parse_case(got), load())
    assert "ALARM_UNCERTAIN" in {f.code for f in a.findings}
    assert a.triage == Triage.URGENT


def test_an_ehr_pain_score_without_a_body_site_is_not_placed() -> None:
    data = case_json(diary=[{"date": day(0), "leg_pain": 5}])
    pre = prefetch_of(data)
    pre["diary"] = None  # the client had none: null, not missing
    score = pre["painScores"]["entry"][0]["resource"]
    extra = {k: v for k, v in score.items() if k not in ("bodySite", "id", "derivedFrom")}
    extra["effectiveDateTime"] = day(1)
    pre["painScores"]["entry"].append({"resource": extra})
    got = case_from_prefetch(pre, TODAY, "nl")
    assert got["diary"] == [{"date": day(0), "leg_pain": 5}]


@pytest.mark.parametrize("key", REQUIRED)
def test_missing_required_prefetch_is_named(key: str) -> None:
    pre = prefetch_of(case_json())
    del pre[key]
    with pytest.raises(PrefetchMissing) as info:
        case_from_prefetch(pre, TODAY, "nl")
    assert info.value.keys == [key]
    assert key in str(info.value)


def test_a_null_patient_or_an_error_outcome_is_missing_too() -> None:
    pre = prefetch_of(case_json())
    pre["patient"] = None
    pre["medications"] = {"resourceType": "OperationOutcome", "issue": []}
    with pytest.raises(PrefetchMissing) as info:
        case_from_prefetch(pre, TODAY, "nl")
    assert info.value.keys == ["medications", "patient"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(patient=[1]), "prefetch.patient must be a FHIR Patient"),
        (lambda p: p.update(painScores={"resourceType": "Patient"}), "searchset Bundle"),
        (lambda p: p.update(extra={}), "did not ask for: extra"),
        (
            lambda p: p["painScores"]["entry"][0]["resource"].update(valueInteger="veel"),
            "prefetch.painScores: entry.0.resource",
        ),
        (
            lambda p: p["painScores"]["entry"][0]["resource"].update(valueInteger=11),
            "do not make a case: diary[0].leg_pain: 11 is above the maximum 10",
        ),
        (
            lambda p: p["conditions"]["entry"].append({"resource": p["patient"]}),
            "prefetch.conditions.entry[1] must be a Condition",
        ),
    ],
)
def test_malformed_input_is_hook_invalid_with_a_clear_message(change: Any, message: str) -> None:
    pre = prefetch_of(case_json(diary=[{"date": day(0), "leg_pain": 5}]))
    change(pre)
    with pytest.raises(HookInvalid, match=message.replace("[", r"\[").replace("]", r"\]")):
        case_from_prefetch(pre, TODAY, "nl")
    with pytest.raises(HookInvalid, match="JSON object"):
        case_from_prefetch([], TODAY, "nl")


def test_the_templates_are_the_discovery_ones() -> None:
    assert discovery()["services"][0]["prefetch"] == PREFETCH
