"""The exported Bundle: valid FHIR R4B, deterministic, and holding what the issue names."""

from __future__ import annotations

import copy
import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings

from rughernia.contract import NO_ALARM_SYMPTOMS
from rughernia.interop import codes
from rughernia.interop.fhir_export import bundle
from tests.interop.support import PATIENT, assessed, case_json, day, exported, resources
from tests.pathway.strategies import cases


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_bundle_of_generated_records_validates_and_is_what_the_models_make(
    data: dict[str, object],
) -> None:
    b = exported(data)
    model = Bundle.model_validate(b)
    # What we return is exactly what the R4B models produce from it: nothing dropped.
    assert model.model_dump(mode="json", exclude_none=True) == b
    urls = [e["fullUrl"] for e in b["entry"]]
    assert len(urls) == len(set(urls))
    assert all(u.startswith("urn:uuid:") for u in urls)


def test_export_is_deterministic_and_ids_depend_on_the_patient() -> None:
    data = case_json(diary=[{"date": day(i), "leg_pain": 5, "back_pain": 3} for i in range(4)])
    case, a = assessed(data)
    first = json.dumps(bundle(case, a, PATIENT), sort_keys=True)
    assert json.dumps(bundle(copy.deepcopy(case), a, PATIENT), sort_keys=True) == first
    other = bundle(case, a, PATIENT.__class__("p-43", "A. Other"))
    assert {e["fullUrl"] for e in other["entry"]}.isdisjoint(
        {e["fullUrl"] for e in json.loads(first)["entry"]}
    )


def test_condition_patient_and_pain_observations() -> None:
    data = case_json(
        diary=[{"date": day(1), "leg_pain": 7, "back_pain": 2}, {"date": day(0), "leg_pain": 6}]
    )
    b = exported(data)
    (patient,) = resources(b, "Patient")
    assert patient["name"][0]["text"] == "J. Jansen"
    (condition,) = resources(b, "Condition")
    assert codes.has_code(condition["code"], codes.SCIATICA)
    assert condition["onsetDateTime"] == day(20)
    pain = [o for o in resources(b, "Observation") if codes.has_code(o["code"], codes.PAIN_LOINC)]
    legs = [o for o in pain if codes.has_code(o["bodySite"], codes.LOWER_LIMB)]
    backs = [o for o in pain if codes.has_code(o["bodySite"], codes.LOWER_BACK)]
    assert sorted((o["effectiveDateTime"], o["valueInteger"]) for o in legs) == [
        (day(1), 7),
        (day(0), 6),
    ]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in backs] == [(day(1), 2)]
    for o in pain:  # nl-core-PainScore: its SNOMED code beside LOINC, method NRS
        assert codes.has_code(o["code"], codes.PAIN_SNOMED)
        assert codes.code_in(o["method"], codes.PAIN_METHOD) == "NRS"
        assert subject_is_patient(o, b)


def subject_is_patient(resource: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(resource["subject"]["reference"] == b["entry"][0]["fullUrl"])


def test_back_pain_only_is_not_sciatica_and_unknown_onset_has_no_onset() -> None:
    data = case_json(symptoms={**NO_ALARM_SYMPTOMS, "leg_pain_reaches": "none"}, onset=None)
    (condition,) = resources(exported(data), "Condition")
    assert codes.has_code(condition["code"], codes.LOW_BACK_PAIN)
    assert "onsetDateTime" not in condition


def test_medication_statements_for_the_steps_taken() -> None:
    med = {"step": 3, "paracetamol_since": day(10), "nsaid": "naproxen", "opioid_since": day(3)}
    statements = resources(exported(case_json(medication=med)), "MedicationStatement")
    by_atc = {codes.code_in(s["medicationCodeableConcept"], codes.ATC): s for s in statements}
    assert set(by_atc) == {"N02BE01", "M01AE02", "N02AA01"}
    assert all(s["status"] == "active" for s in statements)
    assert by_atc["N02BE01"]["effectivePeriod"] == {"start": day(10)}
    assert by_atc["N02AA01"]["effectivePeriod"] == {"start": day(3)}
    assert "effectivePeriod" not in by_atc["M01AE02"]
    none = resources(exported(case_json(medication={"step": 0})), "MedicationStatement")
    assert none == []


def test_risk_assessment_flags_and_care_plan() -> None:
    data = case_json(symptoms={**NO_ALARM_SYMPTOMS, "saddle_numbness": True, "both_legs": None})
    case, a = assessed(data)
    b = bundle(case, a, PATIENT)
    (risk,) = resources(b, "RiskAssessment")
    assert (
        codes.code_in(risk["prediction"][0]["qualitativeRisk"], codes.TRIAGE_SYSTEM) == "emergency"
    )
    assert [n["text"].split(" ")[0] for n in risk["note"]] == [f.code for f in a.findings]
    flags = resources(b, "Flag")
    alarm_codes = {f.code for f in a.findings if f.triage.code in ("emergency", "urgent")}
    assert {codes.code_in(f["code"], codes.FINDING_SYSTEM) for f in flags} == alarm_codes
    assert {"ALARM_SADDLE_NUMBNESS", "ALARM_UNCERTAIN"} <= alarm_codes
    assert resources(bundle(case, a, PATIENT, alarm_acknowledged=True), "Flag") == []
    (plan,) = resources(b, "CarePlan")
    planned = [codes.code_in(x["detail"]["code"], codes.ADVICE_SYSTEM) for x in plan["activity"]]
    assert planned[:-1] == [x.code for x in a.advice]
    assert (
        codes.code_in(plan["activity"][-1]["detail"]["code"], codes.ACTION_SYSTEM)
        == a.medication.action
    )
    assert [x["detail"]["description"] for x in plan["activity"][:-1]] == [x.text for x in a.advice]


def test_care_plan_texts_follow_the_case_language() -> None:
    data = case_json(diary=[{"date": day(i), "leg_pain": 6} for i in range(3)])
    nl = resources(exported(data), "CarePlan")[0]
    en = resources(exported({**data, "language": "en"}), "CarePlan")[0]
    assert nl["title"] == "Zorgpad rughernia: acute fase"
    assert en["title"] == "Disc herniation pathway: acute phase"
    assert codes.code_in(nl["category"][0], codes.PHASE_SYSTEM) == "acute"
    assert nl["activity"][0]["detail"]["description"] != en["activity"][0]["detail"]["description"]


def test_a_contract_case_dict_is_accepted_too() -> None:
    data = case_json()
    case, a = assessed(data)
    assert bundle(data, a, PATIENT) == bundle(case, a, PATIENT)


def test_a_name_and_note_with_other_whitespace_still_validate() -> None:
    # FHIR strings allow no whitespace but space, tab, CR and LF; U+00A0 and U+2028 are
    # typed and pasted by people, and must not make the whole export invalid.
    data = case_json(diary=[{"date": day(0), "leg_pain": 5, "note": "minder\u2028pijn"}])
    case, a = assessed(data)
    b = bundle(case, a, PATIENT.__class__("p-42", "J.\u00a0Jansen"))
    Bundle.model_validate(b)
    (patient,) = resources(b, "Patient")
    assert patient["name"][0]["text"] == "J. Jansen"
    assert "minder pijn" in json.dumps(b)
