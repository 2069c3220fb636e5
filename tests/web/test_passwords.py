"""Password change (every signed-in user) and password reset codes (issue 12), on both databases.

Change: the current password is checked (a wrong one is audited and counts as a failed
sign-in), this session stays, every other session of the user ends. Reset: a clinician
issues a code for a patient of their team, an admin for a clinician; the code is shown
once, stored hashed, expires, works once, is voided by a newer one, and using it ends
every session of the user. Redeem is throttled as invitation redeem is.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from rughernia.care.codes import code_hash
from rughernia.settings import Settings
from rughernia.store.tables import AuditRow, Base
from tests.dbsupport import PASSWORD, Clock, World

CHANGE = "/api/v1/session/password"
REDEEM = "/api/v1/password-resets/redeem"
NEW = "a-brand-new-password"
DEFAULTS = Settings(database_url="sqlite://")
TYPE = "https://rughernia.example/problems/"


def _audit(app: Any, action: str) -> list[tuple[str | None, int | None, str]]:
    with app.state.rughernia.sessions() as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id))
        return [(r.username, r.patient_id, r.outcome) for r in rows]


def _signs_in(world: World, name: str, password: str) -> int:
    r = world.client.post("/api/v1/session", json={"username": name, "password": password})
    world.client.cookies.clear()
    return r.status_code


def _second_session(world: World, name: str) -> dict[str, str]:
    first = world.tokens[name]
    other = world.sign_in(name)
    world.tokens[name] = first
    return {"Authorization": f"Bearer {other}"}


def _change(world: World, name: str, current: str, new: str = NEW) -> Any:
    body = {"current_password": current, "new_password": new}
    return world.client.post(CHANGE, json=body, headers=world.h(name))


def _me(world: World, headers: dict[str, str]) -> int:
    return int(world.client.get("/api/v1/session", headers=headers).status_code)


# --- change ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pat_a", "doc_a", "admin"])
def test_a_change_ends_the_other_sessions_and_keeps_this_one(
    name: str, world: World, app: Any
) -> None:
    other = _second_session(world, name)
    assert _me(world, other) == 200
    r = _change(world, name, PASSWORD)
    assert r.status_code == 204, r.text
    assert _me(world, world.h(name)) == 200  # this session, same token
    assert _me(world, other) == 401  # the other one has ended
    assert _signs_in(world, name, PASSWORD) == 401
    assert _signs_in(world, name, NEW) == 200
    record = world.patient_ids.get(name)  # a patient's account events are on their record
    assert _audit(app, "password.change") == [(name, record, "success")]


def test_a_cookie_signed_change_needs_the_csrf_token(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/session", json={"username": "doc_a", "password": PASSWORD})
    body = {"current_password": PASSWORD, "new_password": NEW}
    refused = c.post(CHANGE, json=body)
    assert refused.status_code == 403
    assert refused.json()["type"] == TYPE + "csrf"
    ok = c.post(CHANGE, json=body, headers={"X-CSRF-Token": r.json()["csrf_token"]})
    c.cookies.clear()
    assert ok.status_code == 204, ok.text


def test_a_wrong_current_password_is_refused_audited_and_counted(world: World, app: Any) -> None:
    other = _second_session(world, "doc_a")
    for _ in range(DEFAULTS.login_max_failures):
        r = _change(world, "doc_a", "not-my-password")
        assert r.status_code == 403, r.text
        assert r.json()["type"] == TYPE + "wrong-password"
    assert _audit(app, "password.change") == [("doc_a", None, "denied")] * 5
    # Counted as failed sign-ins of the name: now it is locked, for changing and signing in.
    assert _change(world, "doc_a", PASSWORD).status_code == 429
    assert _signs_in(world, "doc_a", PASSWORD) == 429
    assert _me(world, other) == 200  # nothing else changed: no session ended
    assert _signs_in(world, "doc_b", PASSWORD) == 200


def test_a_new_password_that_breaks_the_rules_is_refused_uncounted(world: World) -> None:
    for _ in range(DEFAULTS.login_max_failures + 1):
        r = _change(world, "pat_a", PASSWORD, new="short")
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["path"] == "new_password"
        assert r.json()["errors"][0]["message"] == "must be at least 10 characters"
    assert _signs_in(world, "pat_a", PASSWORD) == 200


# --- reset ----------------------------------------------------------------------------


def _issue_for_patient(world: World, doc: str = "doc_a", patient: str = "pat_a") -> Any:
    pid = world.patient_ids[patient]
    return world.client.post(f"/api/v1/patients/{pid}/password-reset", headers=world.h(doc))


def _code(world: World) -> str:
    r = _issue_for_patient(world)
    assert r.status_code == 201, r.text
    assert r.json()["username"] == "pat_a"
    return str(r.json()["code"])


def _redeem(world: World, code: str, password: str = NEW) -> Any:
    return world.client.post(REDEEM, json={"code": code, "password": password})


def test_a_code_works_once_and_ends_every_session(world: World, app: Any) -> None:
    other = _second_session(world, "pat_a")
    code = _code(world)
    r = _redeem(world, code.lower().replace("-", " "))  # typed by a person
    assert r.status_code == 204, r.text
    assert _me(world, world.h("pat_a")) == 401
    assert _me(world, other) == 401
    assert _signs_in(world, "pat_a", PASSWORD) == 401
    assert _signs_in(world, "pat_a", NEW) == 200
    again = _redeem(world, code, "yet-another-password")
    assert again.status_code == 404, again.text
    assert again.json()["type"] == TYPE + "reset-code-unknown"
    assert _signs_in(world, "pat_a", NEW) == 200
    pid = world.patient_ids["pat_a"]
    assert _audit(app, "password_reset.issue") == [("doc_a", pid, "success")]
    assert _audit(app, "password_reset.redeem") == [
        ("pat_a", pid, "success"),
        (None, None, "denied"),
    ]


def test_an_expired_code_is_refused(world: World, clock: Clock) -> None:
    hours = DEFAULTS.reset_code_hours
    code = _code(world)
    clock.advance(hours=hours)
    assert _redeem(world, code).status_code == 404  # expired at the stated hour
    world.sign_in("doc_a")  # a session lasts 12 hours
    fresh = _code(world)
    clock.advance(hours=hours, seconds=-1)
    assert _redeem(world, fresh).status_code == 204  # a second before, it still works
    assert _signs_in(world, "pat_a", NEW) == 200


def test_a_newer_code_voids_the_older(world: World) -> None:
    older, newer = _code(world), _code(world)
    assert _redeem(world, older).status_code == 404
    assert _redeem(world, newer).status_code == 204


def test_the_code_is_stored_hashed_only(world: World, app: Any) -> None:
    code = _code(world)
    with app.state.rughernia.sessions() as s:
        stored = repr([list(s.execute(select(t))) for t in Base.metadata.sorted_tables])
    assert code not in stored
    assert code.replace("-", "") not in stored
    assert code_hash(code) in stored


def test_only_for_a_patient_of_ones_own_team(world: World, app: Any) -> None:
    refused = _issue_for_patient(world, doc="doc_b")
    assert refused.status_code == 404, refused.text
    missing = world.client.post(
        f"/api/v1/patients/{max(world.patient_ids.values()) + 1}/password-reset",
        headers=world.h("doc_b"),
    )
    assert refused.json() == missing.json()  # "not yours" answers as "does not exist"
    assert _issue_for_patient(world, doc="admin").status_code == 403
    assert _issue_for_patient(world, doc="pat_a").status_code == 403
    pid = world.patient_ids["pat_a"]
    denied = [("doc_b", pid, "denied"), ("admin", pid, "denied"), ("pat_a", pid, "denied")]
    assert [a for a in _audit(app, "password_reset.issue") if a[1] == pid] == denied


def test_a_patient_without_an_account_gets_no_code(world: World) -> None:
    r = world.client.post(
        "/api/v1/patients", json={"display_name": "Not joined"}, headers=world.h("doc_a")
    )
    pid = r.json()["patient"]["id"]
    r = world.client.post(f"/api/v1/patients/{pid}/password-reset", headers=world.h("doc_a"))
    assert r.status_code == 409
    assert r.json()["type"] == TYPE + "no-account"


def _user_ids(world: World) -> dict[str, int]:
    r = world.client.get("/api/v1/users", headers=world.h("admin"))
    return {u["username"]: u["id"] for u in r.json()}


def _issue_for_user(world: World, actor: str, user_id: int) -> Any:
    return world.client.post(f"/api/v1/users/{user_id}/password-reset", headers=world.h(actor))


def test_an_admin_resets_a_clinician_and_nobody_else(world: World, app: Any) -> None:
    ids = _user_ids(world)
    r = _issue_for_user(world, "admin", ids["doc_a"])
    assert r.status_code == 201, r.text
    assert r.json()["username"] == "doc_a"
    assert _redeem(world, r.json()["code"]).status_code == 204
    assert _me(world, world.h("doc_a")) == 401
    assert _signs_in(world, "doc_a", NEW) == 200
    # An admin never a patient (their account opens a health record), nor an admin.
    for target in ("pat_a", "admin"):
        refused = _issue_for_user(world, "admin", ids[target])
        assert refused.status_code == 403, refused.text
    assert _issue_for_user(world, "admin", max(ids.values()) + 1).status_code == 404
    # Patients and clinicians cannot reset anyone's account here, an admin's least of all.
    for actor in ("pat_a", "doc_b"):
        assert _issue_for_user(world, actor, ids["admin"]).status_code == 403
    assert _signs_in(world, "admin", PASSWORD) == 200
    expected = [("admin", None, "success")] + [("admin", None, "denied")] * 3
    expected += [("pat_a", None, "denied"), ("doc_b", None, "denied")]
    assert _audit(app, "password_reset.issue") == expected


def test_redeem_is_throttled_per_address(world: World, clock: Clock) -> None:
    code = _code(world)
    free = DEFAULTS.login_address_free_failures
    for i in range(free):
        assert _redeem(world, f"ABCD-EFGH-JKMN-PQ{i:02d}").status_code == 404
    r = _redeem(world, "ABCD-EFGH-JKMN-PQRT")
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) >= 1
    assert _redeem(world, code).status_code == 429  # a right code takes its turn too
    clock.advance(seconds=int(r.headers["Retry-After"]))
    assert _redeem(world, code).status_code == 204


def test_guessing_invitation_and_reset_codes_adds_up(world: World) -> None:
    free = DEFAULTS.login_address_free_failures
    guess = {"username": "guesser", "password": PASSWORD}
    for i in range(free):
        r = world.client.post("/api/v1/invitations/redeem", json={"code": f"X{i}", **guess})
        assert r.status_code == 404
    assert _redeem(world, "ABCD-EFGH-JKMN-PQRT").status_code == 429


def test_a_reset_lifts_the_lock_the_user_ran_into(world: World) -> None:
    for _ in range(DEFAULTS.login_max_failures):
        assert _signs_in(world, "pat_a", "what-was-it-again") == 401
    assert _signs_in(world, "pat_a", PASSWORD) == 429
    assert _redeem(world, _code(world)).status_code == 204
    assert _signs_in(world, "pat_a", NEW) == 200
