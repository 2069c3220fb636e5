"""One spelling per request: canonical ids, no Host-built redirects, one value per query
parameter, a sane date range, and HEAD answered like GET (issue 12, "Loose edges")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from rughernia.store.tables import AuditRow
from tests.dbsupport import Clock, World

NOT_CANONICAL = ("1.0", "+1", "01", "%201", "1%20", "1%0A", "-1", "0", "1e0", "0x1", "１")


def _audit_rows(app: Any) -> int:
    with app.state.rughernia.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(AuditRow)) or 0)


@pytest.mark.parametrize("raw", NOT_CANONICAL)
def test_ids_in_paths_are_canonical_or_422(world: World, raw: str) -> None:
    pid = world.patient_ids["pat_a"]
    assert pid == 1  # the test's ids are spellings of this one
    for url, param in (
        (f"/api/v1/patients/{raw}", "path.patient_id"),
        (f"/api/v1/patients/{raw}/diary", "path.patient_id"),
        (f"/api/v1/patients/{pid}/assessments/{raw}", "path.assessment_id"),
    ):
        r = world.client.get(url, headers=world.h("doc_a"))
        assert r.status_code == 422, (url, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["path"] for e in r.json()["errors"]] == [param]
        assert "Patient A" not in r.text


def test_canonical_ids_still_work(world: World) -> None:
    r = world.client.get("/api/v1/patients/1", headers=world.h("doc_a"))
    assert r.status_code == 200, r.text


def test_query_ids_and_numbers_are_canonical(world: World) -> None:
    url = f"/api/v1/patients/{world.patient_ids['pat_a']}/assessments"
    for query, param in (("limit=01", "query.limit"), ("before_id=+5", "query.before_id")):
        r = world.client.get(f"{url}?{query}", headers=world.h("pat_a"))
        assert r.status_code == 422, query
        assert r.json()["errors"][0]["path"] == param
    assert world.client.get(f"{url}?limit=2", headers=world.h("pat_a")).status_code == 200


def test_a_non_canonical_id_without_a_session_audits_no_patient(world: World, app: Any) -> None:
    # "01" once named patient 1 in the audit log of an anonymous attempt.
    before = _audit_rows(app)
    r = world.client.get("/api/v1/patients/01")
    assert r.status_code == 401
    assert _audit_rows(app) == before
    assert world.client.get("/api/v1/patients/1").status_code == 401
    assert _audit_rows(app) == before + 1


def test_openapi_still_describes_ids_as_integers(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    params = doc["paths"]["/api/v1/patients/{patient_id}/assessments/{assessment_id}"]["get"][
        "parameters"
    ]
    for p in params:
        assert p["schema"]["type"] == "integer"
        assert p["schema"]["minimum"] == 1


def test_a_trailing_slash_is_404_not_a_redirect_from_the_host_header(client: Any) -> None:
    for path in ("/api/v1/health/", "/api/v1/patients/"):
        r = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert r.status_code == 404, path
        assert "location" not in r.headers
        assert r.headers["content-type"] == "application/problem+json"


def test_a_repeated_query_parameter_is_422_naming_it(world: World, clock: Clock) -> None:
    day = clock.today.isoformat()
    base = f"/api/v1/patients/{world.patient_ids['pat_a']}"
    for url, param in (
        (f"{base}/diary?from={day}&from={day}", "query.from"),
        (f"{base}/assessment?language=en&language=nl", "query.language"),
        (f"{base}/assessments?limit=2&limit=3", "query.limit"),
    ):
        r = world.client.get(url, headers=world.h("pat_a"))
        assert r.status_code == 422, url
        assert [e["path"] for e in r.json()["errors"]] == [param]


def test_from_after_to_is_422(world: World, clock: Clock) -> None:
    day = clock.today
    earlier = day - dt.timedelta(days=3)
    url = f"/api/v1/patients/{world.patient_ids['pat_a']}/diary"
    r = world.client.get(f"{url}?from={day}&to={earlier}", headers=world.h("pat_a"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "query.from"
    r = world.client.get(f"{url}?from={day}&to={day}", headers=world.h("pat_a"))
    assert r.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/health", "/api/v1/session", "/api/v1/patients/1", "/api/v1/patients/1/assessment"],
)
def test_head_answers_like_get_without_a_body(world: World, path: str) -> None:
    c, h = world.client, world.h("pat_a")
    get = c.get(path, headers=h)
    head = c.head(path, headers=h)
    assert get.status_code == 200, get.text
    assert head.status_code == get.status_code
    assert head.content == b""
    assert dict(head.headers) == dict(get.headers)


def test_head_refusals_match_get_too(world: World) -> None:
    c = world.client
    for path in ("/api/v1/patients/1", "/api/v1/nope", "/api/v1/patients/2"):
        get, head = c.get(path), c.head(path)
        assert head.status_code == get.status_code
        assert head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]


def test_head_on_a_route_without_get_is_405(client: Any) -> None:
    r = client.head("/api/v1/assess")
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    assert client.patch("/api/v1/health").headers["allow"] == "GET, HEAD"
