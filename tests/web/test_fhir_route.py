"""GET /patients/{id}/fhir: the record as a FHIR R4 Bundle, the same decision as the API's."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from fhir.resources.R4B.bundle import Bundle

from rughernia.content import load
from rughernia.contract import parse_case
from rughernia.interop.fhir_import import case_from_bundle
from rughernia.pathway import assess
from rughernia.web.api.fhir import FhirJSON
from tests.dbsupport import Clock, World


def _kinds(bundle: dict[str, Any]) -> list[str]:
    return [e["resource"]["resourceType"] for e in bundle["entry"]]


def test_the_export_is_a_valid_bundle_with_the_same_assessment(world: World, clock: Clock) -> None:
    c, pid = world.client, world.patient_ids["pat_a"]
    put = c.put(
        f"/api/v1/patients/{pid}/diary/{clock.today}",
        json={"leg_pain": 6, "back_pain": 3, "paracetamol_mg": 2000},
        headers=world.h("pat_a"),
    )
    assert put.status_code in (200, 201), put.text
    r = c.get(f"/api/v1/patients/{pid}/fhir", headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    assert r.headers["cache-control"] == "no-store"
    data = r.json()
    # The bytes are what JSONResponse would write (FhirJSON serialises faster, no other).
    assert r.content == JSONResponse(data).body
    Bundle.model_validate(data)  # raises on an invalid resource
    assert data["type"] == "collection"
    kinds = _kinds(data)
    assert {"Patient", "Condition", "Observation", "RiskAssessment", "CarePlan"} <= set(kinds)
    # The decision in the Bundle is the API's: the case read back gives the same assessment.
    api = c.get(f"/api/v1/patients/{pid}/assessment", headers=world.h("doc_a")).json()
    again = assess(parse_case(case_from_bundle(data, clock.today)), load()).to_dict()
    assert again["triage"] == api["assessment"]["triage"]
    assert again == api["assessment"]


def test_an_outsider_gets_404_as_for_any_record(world: World) -> None:
    c = world.client
    other = world.patient_ids["pat_b"]
    assert c.get(f"/api/v1/patients/{other}/fhir", headers=world.h("doc_a")).status_code == 404
    assert c.get(f"/api/v1/patients/{other}/fhir", headers=world.h("pat_a")).status_code == 404


@pytest.mark.parametrize(
    "value",
    [
        {"text": 'pijn ëë 😀 \u2028 </script> \\ " \x7f', "n": [0, -0.0, 1.5, 1e16, 80.0, 2**70]},
        [None, True, False, "", {}, [], {"a": {"b": [1, 2.25, "\t"]}}],
        {"note": "NaN, Infinity: only words here"},
        {"0.1+0.2": 0.1 + 0.2, "big": 12345678901234567890.5, "tiny": 5e-324},
    ],
)
def test_fhir_json_writes_what_json_response_writes(value: Any) -> None:
    assert FhirJSON(value).body == JSONResponse(value).body
    assert json.loads(FhirJSON(value).body) == value
    assert FhirJSON(value).media_type == "application/fhir+json"


def test_a_small_float_is_the_same_number_in_another_spelling() -> None:
    # The one difference found: Python writes 1e-07, Pydantic 1e-7 (the same JSON number).
    assert FhirJSON([1e-7]).body == b"[1e-7]"
    assert json.loads(FhirJSON([1e-7]).body) == json.loads(JSONResponse([1e-7]).body)


def test_fhir_json_refuses_what_is_not_json_as_json_response_does() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="not JSON compliant"):
            JSONResponse({"x": bad})
        with pytest.raises(ValueError, match="not JSON compliant"):
            FhirJSON({"x": bad})
