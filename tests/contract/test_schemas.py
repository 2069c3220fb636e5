"""Our models and outputs against the shared JSON Schemas of contract/."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from rughernia.content import load
from rughernia.contract import AssessmentModel, CaseModel, case_to_dict, parse_case
from rughernia.pathway import assess
from tests.pathway.builders import SPEC
from tests.pathway.strategies import cases

CASE_SCHEMA = json.loads((SPEC / "contract" / "case.schema.json").read_text())
ASSESSMENT_SCHEMA = json.loads((SPEC / "contract" / "assessment.schema.json").read_text())
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
CASE_VALIDATOR = jsonschema.Draft202012Validator(CASE_SCHEMA, format_checker=FORMATS)
ASSESSMENT_VALIDATOR = jsonschema.Draft202012Validator(ASSESSMENT_SCHEMA)
EXAMPLES = sorted((SPEC / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_case_is_valid(path: Any) -> None:
    case = json.loads(path.read_text())["case"]
    jsonschema.validate(case, CASE_SCHEMA, format_checker=FORMATS)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_generated_cases_and_their_assessments_follow_the_contract(case: dict[str, Any]) -> None:
    CASE_VALIDATOR.validate(case)
    parsed = parse_case(case)
    result = assess(parsed, load()).to_dict()
    ASSESSMENT_VALIDATOR.validate(result)
    AssessmentModel.model_validate(result)
    # What we write is what we read: case_to_dict round-trips and stays valid.
    written = case_to_dict(parsed)
    CASE_VALIDATOR.validate(written)
    assert parse_case(written) == parsed


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        name = ref.split("/")[-1]
        return _resolve(root.get("$defs", {})[name], root)
    options = [s for s in schema.get("anyOf", schema.get("oneOf", [])) if s.get("type") != "null"]
    if len(options) == 1:
        return _resolve({**schema, **options[0], "anyOf": [], "oneOf": []}, root)
    return schema


def _enum(schema: dict[str, Any]) -> set[Any] | None:
    if "enum" in schema:
        return set(schema["enum"]) - {None}
    if "const" in schema:
        return {schema["const"]}
    return None


def compare(
    ours: dict[str, Any],
    ours_root: dict[str, Any],
    shared: dict[str, Any],
    shared_root: dict[str, Any],
    path: str,
) -> list[str]:
    """Differences in properties, required fields, enums and bounds, recursively."""
    ours, shared = _resolve(ours, ours_root), _resolve(shared, shared_root)
    problems: list[str] = []
    if "properties" in shared:
        a, b = set(ours.get("properties", {})), set(shared["properties"])
        if a != b:
            problems.append(f"{path}: properties differ: ours-only {a - b}, shared-only {b - a}")
        if set(ours.get("required", [])) != set(shared.get("required", [])):
            problems.append(
                f"{path}: required differs: {ours.get('required')} vs {shared.get('required')}"
            )
        if (
            shared.get("additionalProperties") is False
            and ours.get("additionalProperties") is not False
        ):
            problems.append(f"{path}: must forbid unknown fields")
        for name in a & b:
            problems += compare(
                ours["properties"][name],
                ours_root,
                shared["properties"][name],
                shared_root,
                f"{path}.{name}",
            )
    if "items" in shared:
        problems += compare(
            ours.get("items", {}), ours_root, shared["items"], shared_root, f"{path}[]"
        )
    if _enum(shared) is not None and _enum(ours) != _enum(shared):
        problems.append(f"{path}: enum {_enum(ours)} vs {_enum(shared)}")
    for bound in ("minimum", "maximum", "maxLength"):
        if bound in shared and ours.get(bound) != shared[bound]:
            problems.append(f"{path}: {bound} {ours.get(bound)} vs {shared[bound]}")
    return problems


@pytest.mark.parametrize(
    ("model", "shared"),
    [(CaseModel, CASE_SCHEMA), (AssessmentModel, ASSESSMENT_SCHEMA)],
    ids=["case", "assessment"],
)
def test_pydantic_models_match_the_shared_schemas(model: Any, shared: dict[str, Any]) -> None:
    ours = model.model_json_schema()
    assert compare(ours, ours, shared, shared, model.__name__) == []


def test_the_comparison_can_fail() -> None:
    broken = json.loads(json.dumps(CASE_SCHEMA))
    broken["properties"]["diary"]["items"] = {"$ref": "#/$defs/DiaryEntry"}
    broken["$defs"]["DiaryEntry"]["properties"]["leg_pain"]["maximum"] = 11
    ours = CaseModel.model_json_schema()
    assert compare(ours, ours, broken, broken, "Case") == [
        "Case.diary[].leg_pain: maximum 10 vs 11"
    ]
