"""Every validation problem is in our words, and an answer about bad input stays small.

Bad input goes to each route with a request model (``/session``, ``/users``, ``/teams``,
``/patients``, ``/invitations/redeem``, acknowledge) and to path, query and header
parameters. Every message must be one of ours (``contract.messages.TEMPLATES``, the
API's pattern messages) and no Pydantic wording may appear anywhere in the answer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rughernia.contract.messages import FALLBACK, NOT_EMPTY, TEMPLATES
from rughernia.web.patterns import PATTERN_MESSAGES
from tests.dbsupport import World

PYDANTIC_PHRASES = (
    "Input should",
    "String should",
    "should have at",
    "should match pattern",
    "Extra inputs",
    "Field required",
    "Value error",
    "valid dictionary",
    "JSON decode error",
    "greater than or equal",
    "less than or equal",
    "after validation",
    "unable to parse",
)


def _ours() -> list[re.Pattern[str]]:
    out = [re.compile(r"is not valid JSON( \(line \d+, column \d+\))?")]
    for template in TEMPLATES.values():
        parts = re.split(r"\{[a-z_]+\}", template)
        out.append(re.compile(".+".join(re.escape(p) for p in parts)))
    out.extend(re.compile(re.escape(m)) for m in [*PATTERN_MESSAGES.values(), NOT_EMPTY, FALLBACK])
    return out


OURS = _ours()


def _check(r: Any, *expected: tuple[str, str]) -> list[dict[str, str]]:
    """A 422 in our words; ``expected`` (path, message) pairs must be among its errors."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    for phrase in PYDANTIC_PHRASES:
        assert phrase.lower() not in r.text.lower(), (phrase, r.text)
    errors: list[dict[str, str]] = r.json()["errors"]
    for e in errors:
        assert any(p.fullmatch(e["message"]) for p in OURS), e
    pairs = {(e["path"], e["message"]) for e in errors}
    for pair in expected:
        assert pair in pairs, (pair, sorted(pairs))
    return errors


def test_sign_in(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/session", json={"username": "", "password": 5, "colour": "red"})
    _check(
        r,
        ("username", "must not be empty"),
        ("password", "5 is not text"),
        ("colour", "is not a known field; remove it or check the spelling"),
    )
    r = c.post("/api/v1/session", json={"username": ["a"], "password": "x" * 201})
    _check(r, ("username", "an array is not text"), ("password", "must be at most 200 characters"))
    r = c.post("/api/v1/session", content=b"[1, 2]", headers={"content-type": "application/json"})
    _check(r, ("body", "must be a JSON object"))


def test_malformed_json_is_the_body_not_a_column(world: World) -> None:
    r = world.client.post(
        "/api/v1/session",
        content=b'{"username":\n x}',
        headers={"content-type": "application/json"},
    )
    _check(r, ("body", "is not valid JSON (line 2, column 2)"))


def test_accounts_and_teams(world: World) -> None:
    c, h = world.client, world.h("admin")
    bad_user = {
        "username": "Dr Jansen",
        "password": "short",
        "role": "root",
        "display_name": "x" * 201,
        "teams": ["A"] * 51,
        "extra": 1,
    }
    _check(
        c.post("/api/v1/users", json=bad_user, headers=h),
        ("username", PATTERN_MESSAGES[r"^[a-z0-9][a-z0-9._-]{2,63}$"]),
        ("password", "must be at least 10 characters"),
        ("role", "'root' is not allowed; use one of: 'clinician' or 'admin'"),
        ("display_name", "must be at most 200 characters"),
        ("teams", "must have at most 50 items"),
        ("extra", "is not a known field; remove it or check the spelling"),
    )
    _check(
        c.post("/api/v1/users", json={"teams": [""]}, headers=h),
        ("username", "is required"),
        ("teams[0]", "must not be empty"),
    )
    _check(
        c.post("/api/v1/teams", json={"name": "a\x00b"}, headers=h),
        ("name", "must not contain NUL characters"),
    )
    _check(c.post("/api/v1/teams", json={}, headers=h), ("name", "is required"))
    redeem = {"code": "", "username": "A", "password": 1}
    _check(
        c.post("/api/v1/invitations/redeem", json=redeem),
        ("code", "must not be empty"),
        ("password", "1 is not text"),
    )


def test_patients_and_acknowledge(world: World) -> None:
    c, h = world.client, world.h("doc_a")
    _check(
        c.post(
            "/api/v1/patients",
            json={"display_name": 5, "team_id": 0, "language": "de"},
            headers=h,
        ),
        ("display_name", "5 is not text"),
        ("team_id", "0 is below the minimum 1"),
        ("language", "'de' is not allowed; use one of: 'nl' or 'en'"),
    )
    _check(
        c.post("/api/v1/patients", json={"display_name": "P", "team_id": "x"}, headers=h),
        ("team_id", "'x' is not a whole number"),
    )
    pid = world.patient_ids["pat_a"]
    _check(
        c.post(f"/api/v1/patients/{pid}/alarms/1/acknowledge", json={"note": 5, "x": 1}, headers=h),
        ("note", "5 is not text"),
        ("x", "is not a known field; remove it or check the spelling"),
    )


def test_path_query_and_header_parameters(world: World) -> None:
    c, h = world.client, world.h("doc_a")
    pid = world.patient_ids["pat_a"]
    # Ids are canonical whole numbers (web/ids.py): one message names the whole rule.
    ids = "must be a whole number from 1 to 2147483647, written with digits only"
    for bad in ("abc", "0"):
        r = c.get(f"/api/v1/patients/{bad}", headers=h)
        assert r.json()["errors"][0]["message"].startswith(ids), r.text
    r = c.get(f"/api/v1/patients/{pid}/assessments?limit=abc&before_id=0", headers=h)
    assert [e["path"] for e in r.json()["errors"]] == ["query.limit", "query.before_id"]
    r = c.get(f"/api/v1/patients/{pid}/assessments?limit=1000", headers=h)
    assert r.json()["errors"][0]["path"] == "query.limit"
    assert "from 1 to 200" in r.json()["errors"][0]["message"]
    _check(
        c.get(f"/api/v1/patients/{pid}/assessment?language=de", headers=h),
        ("query.language", "'de' is not allowed; use one of: 'nl' or 'en'"),
    )
    _check(
        c.get(f"/api/v1/patients/{pid}/diary?from=yesterday", headers=h),
        ("query.from", "is not a valid date; use YYYY-MM-DD"),
    )
    _check(
        c.get(f"/api/v1/patients/{pid}/diary/2026-3-1", headers=h),
        ("path.date", "is not a valid date; use YYYY-MM-DD"),
    )
    _check(
        c.post(
            "/api/v1/patients",
            json={"display_name": "P"},
            headers={**h, "Idempotency-Key": "k" * 201},
        ),
        ("header.Idempotency-Key", "must be at most 200 characters"),
    )


# --- caps: at most 20 problems, and no long echo of the input ----------------------


def _small(r: Any, limit: int) -> dict[str, Any]:
    assert r.status_code == 422, r.text[:500]
    assert len(r.content) < limit, len(r.content)
    body: dict[str, Any] = r.json()
    return body


@pytest.mark.parametrize("route", ["/api/v1/session", "/api/v1/assess"])
def test_many_unknown_keys_give_twenty_problems_and_a_count(world: World, route: str) -> None:
    keys = {f"k{i}": 1 for i in range(5000)}
    body = _small(world.client.post(route, json=keys), 8_000)
    assert len(body["errors"]) == 20
    assert body["more"] >= 5000 - 20
    assert body["detail"].endswith(f"; and {body['more']} more")


@pytest.mark.parametrize("route", ["/api/v1/session", "/api/v1/assess"])
def test_a_long_key_is_shortened(world: World, route: str) -> None:
    key = "k" * 10_000
    r = world.client.post(route, json={key: "v" * 10_000})
    body = _small(r, 4_000)
    long = [e for e in body["errors"] if e["path"].startswith("kkk")]
    assert long, body
    assert len(long[0]["path"]) <= 80
    assert long[0]["path"].endswith("…")
    assert len(long[0]["pointer"]) <= 82
    assert "k" * 100 not in r.text
    assert "v" * 100 not in r.text


def test_a_long_value_is_shortened_in_the_message(world: World) -> None:
    pid = world.patient_ids["pat_a"]
    r = world.client.get(
        f"/api/v1/patients/{pid}/assessments?limit={'9' * 5000}", headers=world.h("doc_a")
    )
    body = _small(r, 2_000)
    assert body["errors"][0]["path"] == "query.limit"
    for digits in (4000, 5000):  # Python reads at most 4,300 digits into an int
        raw = b'{"username": %s, "password": "x"}' % (b"9" * digits)
        r = world.client.post("/api/v1/session", content=raw)
        assert "9" * 100 not in json.dumps(_small(r, 2_000))


def test_the_cap_holds_for_any_problem() -> None:
    from rughernia.pathway.checks import Problem
    from rughernia.web.problems import problem_body

    body = problem_body(422, "validation", "t", None, [Problem("p" * 500, "m")] * 30, more=5)
    assert len(body["errors"]) == 20
    assert body["more"] == 15
    assert len(body["errors"][0]["path"]) == 80


def test_a_refusal_names_the_role_with_the_right_article(world: World) -> None:
    r = world.client.post("/api/v1/teams", json={"name": "T"}, headers=world.h("doc_a"))
    assert (r.status_code, r.json()["title"]) == (403, "A clinician may not do this")
    r = world.client.get("/api/v1/users", headers=world.h("pat_a"))
    assert r.json()["title"] == "A patient may not do this"
    r = world.client.post("/api/v1/patients", json={"display_name": "P"}, headers=world.h("admin"))
    assert (r.status_code, r.json()["title"]) == (403, "An admin may not do this")


def test_an_unknown_numeric_key_on_assess_is_named(world: World) -> None:
    """contract.messages once dropped every key that was not an identifier: path ''."""
    case = json.loads((Path(__file__).parents[2] / "docs" / "example-case.json").read_text())
    case["1"] = 2
    case["diary"][0]["back_pain"] = "q"  # a union: its tags ('constrained-int') are dropped
    r = world.client.post("/api/v1/assess", json=case)
    assert r.status_code == 422, r.text
    assert sorted(e["path"] for e in r.json()["errors"]) == ["1", "diary[0].back_pain"]
