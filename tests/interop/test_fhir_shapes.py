"""The narrow checks of incoming FHIR (``fhir_shapes``): what we read must be what we
expect, or the call fails naming the field; never a value skipped, never a lower urgency.
And the run-time output, built without fhir.resources, still validates with it."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from rughernia.contract import NO_ALARM_SYMPTOMS
from rughernia.interop import BundleInvalid, HookInvalid, ResponseInvalid, codes
from rughernia.interop.cds import case_from_prefetch
from rughernia.interop.fhir_import import case_from_bundle
from rughernia.interop.questionnaires import diary_entry_from_response, diary_response
from tests.interop.support import TODAY, case_json, day, exported, resources
from tests.interop.test_cds import prefetch_of


@pytest.mark.parametrize("patient", ["p-42", "7", "é|x"])
@pytest.mark.parametrize("key", ["", "leg_pain/2026-03-02", "answer/saddle_numbness"])
def test_resource_ids_are_uuid5_of_the_namespace(patient: str, key: str) -> None:
    for kind in ("Patient", "Observation", "Bundle"):
        expected = str(uuid.uuid5(codes._NAMESPACE, f"{patient}|{kind}|{key}"))
        assert codes.resource_id(patient, kind, key) == expected


def test_a_year_of_diary_exports_a_valid_bundle_that_reads_back() -> None:
    diary = [
        {"date": (TODAY - dt.timedelta(days=n)).isoformat(), "leg_pain": n % 11, "back_pain": 2}
        for n in range(365)
    ]
    b = exported(case_json(onset=day(365), diary=diary))
    model = Bundle.model_validate(b)
    assert model.model_dump(mode="json", exclude_none=True) == b
    # The pain scores share their constant parts; a deep copy keeps reading the same.
    back = case_from_bundle(copy.deepcopy(b), TODAY)
    assert len(back["diary"]) == 365


def answers_of(pre: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [
        e["resource"]
        for e in pre["answers"]["entry"]
        if codes.code_in(e["resource"]["code"], codes.CASE_SYSTEM) == name
    ]
    return found


def cds_problem(change: Any) -> str:
    pre = prefetch_of(case_json(diary=[{"date": day(0), "leg_pain": 5}]))
    change(pre)
    with pytest.raises(HookInvalid) as info:
        case_from_prefetch(pre, TODAY, "nl")
    return str(info.value)


def test_an_alarm_answer_we_cannot_read_is_an_error_not_a_no() -> None:
    # "true" as a string: read loosely it would be no answer at all, or worse a "no".
    message = cds_problem(lambda p: answers_of(p, "saddle_numbness").update(valueBoolean="true"))
    assert message.startswith("prefetch.answers: entry.")
    assert "valueBoolean: Input should be a valid boolean" in message


def test_an_observation_with_two_values_is_refused() -> None:
    def both(p: dict[str, Any]) -> None:
        obs = answers_of(p, "saddle_numbness")
        obs["valueCodeableConcept"] = codes.own(codes.ANSWER_SYSTEM, "yes")

    assert "one value[x]" in cds_problem(both)


def measure(code: tuple[str, str, str], value: Any, unit: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": codes.concept(code),
        "effectiveDateTime": day(0),
        "valueQuantity": {"value": value, "unit": unit, "system": codes.UCUM, "code": unit},
    }


@pytest.mark.parametrize(
    "value",
    [float("inf"), float("-inf"), float("nan"), 10**400],
    ids=["inf", "-inf", "nan", "huge"],
)
@pytest.mark.parametrize(("code", "unit"), [(codes.AGE, "a"), (codes.BODY_WEIGHT, "kg")])
def test_a_number_that_is_not_finite_is_refused_by_name(
    value: Any, code: tuple[str, str, str], unit: str
) -> None:
    # 1e309 in the JSON reads as inf: int(inf) was a 500, not a 400 naming the field.
    def add(p: dict[str, Any]) -> None:
        p["answers"]["entry"].insert(0, {"resource": measure(code, value, unit)})

    message = cds_problem(add)
    assert message.startswith("prefetch.answers: entry.0.resource.valueQuantity.value: ")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda p: p["conditions"]["entry"][0]["resource"].update(onsetDateTime="last spring"),
            "prefetch.conditions: entry.0.resource.onsetDateTime",
        ),
        (
            lambda p: p["painScores"]["entry"][0]["resource"]["code"]["coding"][0].update(
                code=None
            ),
            "prefetch.painScores: entry.0.resource.code.coding.0.code",
        ),
        (
            lambda p: p["medications"]["entry"][0]["resource"].update(status=""),
            "prefetch.medications: entry.0.resource.status",
        ),
        (
            lambda p: p["diary"]["entry"][0]["resource"]["item"][1].update(answer={"x": 1}),
            "prefetch.diary: entry.0.resource.item.1.answer",
        ),
        (lambda p: p["patient"].update(gender=["female"]), "prefetch.patient: gender"),
        (lambda p: p["painScores"].update(entry={"resource": {}}), "prefetch.painScores: entry"),
    ],
)
def test_a_field_we_read_with_the_wrong_shape_is_named(change: Any, field: str) -> None:
    assert cds_problem(change).startswith(field)


def test_fields_we_do_not_read_pass_unchecked() -> None:
    pre = prefetch_of(case_json(diary=[{"date": day(0), "leg_pain": 5}]))
    pre["patient"]["birthDate"] = "1984"
    pre["painScores"]["entry"][0]["resource"]["note"] = [{"text": "an EHR's own note"}]
    got = case_from_prefetch(pre, TODAY, "nl")
    assert got["diary"][0]["leg_pain"] == 5


def test_an_entry_of_our_bundle_without_a_resource_or_with_a_bad_one_is_named() -> None:
    b = exported(case_json(symptoms={**NO_ALARM_SYMPTOMS}))
    b["entry"].append({"fullUrl": "urn:uuid:x"})
    b["entry"][0]["resource"]["gender"] = 1
    with pytest.raises(BundleInvalid) as info:
        case_from_bundle(b, TODAY)
    where = [w for w, _ in info.value.problems]
    assert "entry.0.resource.gender" in where
    assert f"entry.{len(b['entry']) - 1}.resource" in where
    with pytest.raises(BundleInvalid, match="entry"):
        case_from_bundle({"resourceType": "Bundle", "type": "collection", "entry": "x"}, TODAY)


def test_a_response_with_a_bad_subject_or_link_id_is_named() -> None:
    qr = diary_response({"date": day(0), "leg_pain": 4}, "Patient/1", "nl")
    bad = copy.deepcopy(qr)
    bad["subject"] = ["Patient/1"]
    with pytest.raises(ResponseInvalid) as info:
        diary_entry_from_response(bad)
    assert info.value.problems[0][0] == "subject"
    bad = copy.deepcopy(qr)
    del bad["item"][1]["linkId"]
    with pytest.raises(ResponseInvalid) as info:
        diary_entry_from_response(bad)
    assert info.value.problems[0][1].startswith("linkId: Field required")
    bad = copy.deepcopy(qr)
    bad["item"][0]["answer"] = [{"valueDate": "2 March"}]
    with pytest.raises(ResponseInvalid) as info:
        diary_entry_from_response(bad)
    assert info.value.problems[0][0] == "date"


def test_what_the_run_time_emits_for_each_kind_validates() -> None:
    b = exported(case_json(diary=[{"date": day(0), "leg_pain": 5, "pain_tolerable": False}]))
    Bundle.model_validate(b)
    for qr in resources(b, "QuestionnaireResponse"):
        assert qr == {
            **diary_response({"date": day(0), "leg_pain": 5, "pain_tolerable": False}, "", "nl"),
            "id": qr["id"],
            "subject": qr["subject"],
        }
