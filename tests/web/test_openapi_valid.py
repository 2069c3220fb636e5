"""The OpenAPI document is valid OpenAPI 3.1, so a client generated from it is sound."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import OpenAPIV31SpecValidator

from tests.web.routesupport import collection_app

DOC: dict[str, Any] = collection_app().openapi()


def test_the_document_passes_openapi_spec_validator() -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in OpenAPIV31SpecValidator(DOC).iter_errors()
    ]
    assert not errors, errors


def test_left_out_is_not_documented_as_null() -> None:
    # A diary entry's back_pain may be left out but not null: its schema has no null default.
    body = DOC["components"]["schemas"]["DiaryEntryBody"]["properties"]
    assert body["back_pain"]["type"] == "integer"
    assert "default" not in body["back_pain"]


def test_every_operation_with_a_body_documents_415() -> None:
    for path, operations in DOC["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert "415" in operation["responses"], f"{method.upper()} {path}"


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


def test_every_pattern_a_request_must_match_has_our_message() -> None:
    # Else a mismatch would be worded "is not in the expected form", not what to send.
    from rughernia.web.patterns import PATTERN_MESSAGES

    missing = _patterns(DOC) - set(PATTERN_MESSAGES)
    assert not missing, missing
