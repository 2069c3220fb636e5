"""Sign-in, sessions, cookies and CSRF, throttling, invitations, and the basic role rules."""

from __future__ import annotations

from typing import Any

from tests.dbsupport import PASSWORD, Clock, World


def test_sign_in_gives_a_token_and_an_httponly_lax_cookie(world: World) -> None:
    r = world.client.post("/api/v1/session", json={"username": "doc_a", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["role"] == "clinician"
    assert body["user"]["teams"] == ["Team A"]
    cookies = r.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("rughernia_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie or "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie  # plain http in tests; Secure over https


def test_cookie_is_secure_over_https(app: Any, world: World) -> None:
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as tls:
        r = tls.post("/api/v1/session", json={"username": "doc_a", "password": PASSWORD})
    assert r.status_code == 200
    assert all("Secure" in c for c in r.headers.get_list("set-cookie"))
    assert "strict-transport-security" in r.headers


def test_whoami_and_sign_out(world: World) -> None:
    c = world.client
    r = c.get("/api/v1/session", headers=world.h("pat_a"))
    assert r.json()["patient_id"] == world.patient_ids["pat_a"]
    assert c.delete("/api/v1/session", headers=world.h("pat_a")).status_code == 204
    r = c.get("/api/v1/session", headers=world.h("pat_a"))
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


def test_wrong_password_and_unknown_user_look_the_same(world: World) -> None:
    c = world.client
    a = c.post("/api/v1/session", json={"username": "doc_a", "password": "wrong-password"})
    b = c.post("/api/v1/session", json={"username": "nobody", "password": "wrong-password"})
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


def test_sign_in_is_throttled_after_repeated_failures(world: World, clock: Clock) -> None:
    c = world.client
    for _ in range(5):
        r = c.post("/api/v1/session", json={"username": "doc_b", "password": "wrong-password"})
        assert r.status_code == 401
    r = c.post("/api/v1/session", json={"username": "doc_b", "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    r = c.post("/api/v1/session", json={"username": "doc_b", "password": PASSWORD})
    assert r.status_code == 200


def test_sessions_expire(world: World, clock: Clock) -> None:
    assert world.client.get("/api/v1/session", headers=world.h("doc_a")).status_code == 200
    clock.advance(hours=13)
    assert world.client.get("/api/v1/session", headers=world.h("doc_a")).status_code == 401


def test_cookie_writes_need_the_csrf_token(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/session", json={"username": "pat_a", "password": PASSWORD})
    csrf = r.json()["csrf_token"]
    pid = world.patient_ids["pat_a"]
    url = f"/api/v1/patients/{pid}/diary/2026-03-01"
    # the TestClient keeps the cookie: reads work without the header ...
    assert c.get(f"/api/v1/patients/{pid}").status_code == 200
    # ... writes do not
    r = c.put(url, json={"leg_pain": 5})
    assert r.status_code == 403
    assert r.json()["type"].endswith("/csrf")
    assert c.get(f"/api/v1/patients/{pid}/diary").json()["entries"] == []
    r = c.put(url, json={"leg_pain": 5}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    c.cookies.clear()


def test_bad_bearer_token_is_401(world: World) -> None:
    r = world.client.get("/api/v1/patients", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401
    assert "invalid_token" in r.headers["www-authenticate"]
    r = world.client.get("/api/v1/patients", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_invitation_is_single_use(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/patients", json={"display_name": "Nieuw"}, headers=world.h("doc_a"))
    code = r.json()["invitation_code"]
    redeem = {"code": code.lower().replace("-", " "), "username": "nieuw", "password": PASSWORD}
    assert c.post("/api/v1/invitations/redeem", json=redeem).status_code == 201
    again = {**redeem, "username": "nieuw2"}
    assert c.post("/api/v1/invitations/redeem", json=again).status_code == 404


def test_invitation_expires(world: World, clock: Clock) -> None:
    c = world.client
    code = c.post("/api/v1/patients", json={"display_name": "X"}, headers=world.h("doc_a")).json()[
        "invitation_code"
    ]
    clock.advance(days=15)
    redeem = {"code": code, "username": "laat", "password": PASSWORD}
    assert c.post("/api/v1/invitations/redeem", json=redeem).status_code == 404


def test_weak_password_and_taken_username(world: World) -> None:
    c = world.client
    code = c.post("/api/v1/patients", json={"display_name": "X"}, headers=world.h("doc_a")).json()[
        "invitation_code"
    ]
    r = c.post(
        "/api/v1/invitations/redeem", json={"code": code, "username": "kort", "password": "short"}
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "password"
    r = c.post(
        "/api/v1/invitations/redeem", json={"code": code, "username": "doc_a", "password": PASSWORD}
    )
    assert r.status_code == 409
    assert r.json()["errors"][0]["path"] == "username"


def test_patient_sees_only_own_record(world: World) -> None:
    c, a, b = world.client, world.patient_ids["pat_a"], world.patient_ids["pat_b"]
    assert c.get(f"/api/v1/patients/{a}", headers=world.h("pat_a")).status_code == 200
    assert c.get(f"/api/v1/patients/{b}", headers=world.h("pat_a")).status_code == 404
    assert c.get(f"/api/v1/patients/{b}/diary", headers=world.h("pat_a")).status_code == 404
    listed = c.get("/api/v1/patients", headers=world.h("pat_a")).json()
    assert [p["id"] for p in listed] == [a]


def test_clinician_sees_only_their_teams_patients(world: World) -> None:
    c, a, b = world.client, world.patient_ids["pat_a"], world.patient_ids["pat_b"]
    listed = c.get("/api/v1/patients", headers=world.h("doc_a")).json()
    assert [p["id"] for p in listed] == [a]
    assert c.get(f"/api/v1/patients/{b}", headers=world.h("doc_a")).status_code == 404
    r = c.put(
        f"/api/v1/patients/{b}/diary/2026-03-01", json={"leg_pain": 1}, headers=world.h("doc_a")
    )
    assert r.status_code == 404
    assert c.get(f"/api/v1/patients/{b}/diary", headers=world.h("doc_b")).json()["entries"] == []


def test_nonexistent_and_foreign_ids_answer_alike(world: World) -> None:
    c, b = world.client, world.patient_ids["pat_b"]
    foreign = c.get(f"/api/v1/patients/{b}", headers=world.h("doc_a"))
    missing = c.get("/api/v1/patients/999999", headers=world.h("doc_a"))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_admin_manages_users_but_sees_no_health_data(world: World) -> None:
    c, a = world.client, world.patient_ids["pat_a"]
    for url in (
        f"/api/v1/patients/{a}",
        f"/api/v1/patients/{a}/diary",
        "/api/v1/patients",
        f"/api/v1/patients/{a}/export",
        f"/api/v1/patients/{a}/assessment",
    ):
        r = c.get(url, headers=world.h("admin"))
        assert r.status_code == 403, url
    users = c.get("/api/v1/users", headers=world.h("admin")).json()
    assert {u["username"] for u in users} >= {"doc_a", "doc_b", "pat_a", "admin"}
    assert all(u["patient_id"] is None for u in users)
    new = {"username": "doc_c", "password": PASSWORD, "role": "clinician", "teams": ["Team C"]}
    r = c.post("/api/v1/users", json=new, headers=world.h("admin"))
    assert r.status_code == 201, r.text
    assert world.sign_in("doc_c")
    assert c.get("/api/v1/patients", headers=world.h("doc_c")).json() == []


def test_only_admins_manage_users(world: World) -> None:
    new = {"username": "sneaky", "password": PASSWORD, "role": "admin"}
    for who in ("doc_a", "pat_a"):
        assert world.client.post("/api/v1/users", json=new, headers=world.h(who)).status_code == 403
        assert world.client.get("/api/v1/users", headers=world.h(who)).status_code == 403
    assert world.client.post("/api/v1/users", json=new).status_code == 401


def test_anonymous_gets_401_on_patient_routes(world: World) -> None:
    a = world.patient_ids["pat_a"]
    for url in ("/api/v1/patients", f"/api/v1/patients/{a}", f"/api/v1/patients/{a}/diary"):
        r = world.client.get(url)
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"


def test_production_password_hashes_are_argon2id() -> None:
    from rughernia.care.passwords import Passwords
    from rughernia.settings import Settings

    pw = Passwords(Settings(database_url="sqlite://"))
    hashed = pw.hash("a password of some length")
    assert hashed.startswith("$argon2id$")
    assert "m=65536" in hashed
    assert pw.verify(hashed, "a password of some length")
    assert not pw.verify(hashed, "another password")
    assert not pw.verify(None, "a password of some length")
