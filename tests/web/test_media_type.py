"""Every route that takes a JSON body answers a body of another type with 415, alike."""

from __future__ import annotations

import pytest

from tests.dbsupport import World
from tests.web.routesupport import collection_app, route_id

DOC = collection_app().openapi()
WITH_BODY = sorted(
    (method.upper(), path)
    for path, operations in DOC["paths"].items()
    for method, operation in operations.items()
    if "requestBody" in operation
)


def test_the_routes_with_request_models_are_among_them() -> None:
    assert ("POST", "/api/v1/session") in WITH_BODY
    assert ("PUT", "/api/v1/patients/{patient_id}/diary/{date}") in WITH_BODY


@pytest.mark.parametrize("route", WITH_BODY, ids=[route_id(r) for r in WITH_BODY])
@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415(world: World, route: tuple[str, str], kind: str) -> None:
    method, path = route
    url = path.format(patient_id=world.patient_ids["pat_a"], assessment_id=1, date="2026-03-01")
    for caller in ("doc_a", None):
        r = world.client.request(
            method, url, content=b"{}", headers=world.h(caller, **{"Content-Type": kind})
        )
        assert r.status_code == 415, (caller, r.text)
        assert r.json()["type"].endswith("/unsupported-media-type")
        assert r.headers["content-type"] == "application/problem+json"
