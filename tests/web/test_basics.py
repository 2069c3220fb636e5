"""Stateless routes, the OpenAPI document, the docs page and security headers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rughernia.web.docs import api_routes
from tests.pathway.builders import SPEC

EXAMPLES = SPEC / "examples"


def _example(name: str) -> dict[str, Any]:
    path = EXAMPLES / f"{name}.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_health(client: Any) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_assess_is_stateless_and_needs_no_account(client: Any) -> None:
    example = _example("acute-typical")
    r = client.post("/api/v1/assess", json=example["case"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["triage"] == example["expect"]["triage"]
    assert body["phase"] == example["expect"]["phase"]


def test_assess_names_every_bad_field(client: Any) -> None:
    case = _example("acute-typical")["case"]
    case["diary"][3]["leg_pain"] = 11
    del case["symptoms"]["saddle_numbness"]
    r = client.post("/api/v1/assess", json=case)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    paths = {e["path"] for e in r.json()["errors"]}
    assert paths == {"diary[3].leg_pain", "symptoms.saddle_numbness"}
    pointers = {e["pointer"] for e in r.json()["errors"]}
    assert "#/diary/3/leg_pain" in pointers


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"today": NaN}', "application/json"),
        (b"", "application/json"),
        (b'"just text"', "application/json"),
        (b"[" * 100000 + b"]" * 100000, "application/json"),
    ],
)
def test_assess_bad_bodies_are_422_not_500(client: Any, body: bytes, content_type: str) -> None:
    r = client.post("/api/v1/assess", content=body, headers={"content-type": content_type})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["path"] in {"body", "today", "symptoms"} or r.json()["errors"]


def test_assess_refuses_other_media_types(client: Any) -> None:
    r = client.post("/api/v1/assess", content=b"a=b", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert r.headers["content-type"] == "application/problem+json"


def test_unknown_route_and_method_are_problems(client: Any) -> None:
    r = client.get("/api/v1/nope")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    r = client.patch("/api/v1/health")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"


def test_openapi_documents_every_route(client: Any, app: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    for method, path in api_routes(app):
        if method == "HEAD" or path == "/api/v1/docs":
            continue
        assert (method, path) in documented, (method, path)
    # raw-JSON routes reference contract models that must be in the components
    schemas = doc["components"]["schemas"]
    for name in ("CaseModel", "DiaryEntryBody", "IntakeBody", "MedicationBody", "AssessmentModel"):
        assert name in schemas
    text = json.dumps(doc)
    assert '"#/$defs/' not in text


def test_docs_page_is_local(client: Any) -> None:
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    assert "/api/v1/openapi.json" in r.text
    assert "http://" not in r.text
    assert "https://" not in r.text
    assert "<script" not in r.text
    # FastAPI's CDN-loading pages are switched off
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_security_headers(client: Any) -> None:
    r = client.get("/api/v1/health")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"


def test_route_list_is_discoverable(app: Any) -> None:
    routes = set(api_routes(app))
    assert ("PUT", "/api/v1/patients/{patient_id}/diary/{date}") in routes
    assert ("POST", "/api/v1/assess") in routes
    assert ("DELETE", "/api/v1/patients/{patient_id}") in routes


def test_405_names_every_allowed_method(client: Any) -> None:
    r = client.patch("/api/v1/session")
    assert r.status_code == 405
    # HEAD too: every GET route answers it (web/head.py).
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "POST", "DELETE"}


def test_pydantic_bodies_that_are_not_json_are_422(client: Any) -> None:
    r = client.post(
        "/api/v1/session", content=b"\xff\xfe", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    r = client.post("/api/v1/session", json={"username": "x"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "password"
