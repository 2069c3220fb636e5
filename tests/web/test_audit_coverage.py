"""Every route that touches patient data writes an audit record, allowed or refused.

The routes come from the app's router: each must be in ``AUDITED`` (with the action
it records) or in ``NO_PATIENT_DATA`` (with the reason), so a new patient route
without an audit record fails here. For each audited route the test checks the
rows written by one request exactly: who (user id, name, role), which patient,
the action, the outcome, when, and the client's address. Refusals (another team,
the wrong role, an id that does not exist) must be recorded too, as ``denied``,
and committed although the request failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from rughernia.store.tables import AuditRow, User
from tests.dbsupport import PASSWORD, Clock, World, intake_for
from tests.web.routesupport import Route, api_routes, collection_app, route_id

CLIENT_ADDRESS = "testclient"  # what Starlette's test client reports as the peer
P = "/api/v1/patients/{patient_id}"
NEUTRAL = "audit-write"


@dataclass(frozen=True)
class Audited:
    """A route on patient data: the action it records and who may or may not do it."""

    action: str
    actor: str = "doc_a"  # succeeds on patient A
    ok: int = 200
    body: Callable[[Clock], Any] | None = None
    # (actor, target, status): refused attempts; target "A", "missing", or None (no record)
    refused: tuple[tuple[str, str | None, int], ...] = (
        ("doc_b", "A", 404),
        ("admin", "A", 403),
        ("doc_a", "missing", 404),
    )
    record: bool = True  # a route on one record (``{patient_id}``)


def _diary_response(clock: Clock) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "item": [
            {"linkId": "date", "answer": [{"valueDate": clock.today.isoformat()}]},
            {"linkId": "leg_pain", "answer": [{"valueInteger": 3}]},
            {"linkId": "note", "answer": [{"valueString": NEUTRAL}]},
        ],
    }


def _intake(clock: Clock) -> dict[str, Any]:
    # The cancer history: a finding that may be acknowledged until a date, beside the alarm.
    onset = clock.today - dt.timedelta(days=21)
    return intake_for(onset, saddle_numbness=True, red_flags={"cancer_history": True})


def _finding_ack(clock: Clock) -> dict[str, Any]:
    until = (clock.today + dt.timedelta(days=30)).isoformat()
    return {"code": "REDFLAG_CANCER_HISTORY", "until": until, "note": NEUTRAL}


CLINICIANS_ONLY = (("doc_b", "A", 404), ("pat_a", "A", 403), ("doc_a", "missing", 404))

AUDITED: dict[Route, Audited] = {
    ("GET", "/api/v1/patients"): Audited(
        "patients.list", refused=(("admin", None, 403),), record=False
    ),
    ("POST", "/api/v1/patients"): Audited(
        "patient.create",
        ok=201,
        body=lambda _c: {"display_name": "New"},
        refused=(("pat_a", None, 403), ("admin", None, 403)),
        record=False,
    ),
    ("POST", "/api/v1/invitations/redeem"): Audited(
        "invitation.redeem", actor="anonymous", ok=201, refused=(), record=False
    ),
    ("GET", P): Audited("patient.read"),
    ("DELETE", P): Audited(
        "patient.erase",
        actor="pat_a",
        ok=204,
        refused=(("doc_a", "A", 403), ("pat_b", "A", 404), ("pat_a", "missing", 404)),
    ),
    ("GET", P + "/diary"): Audited("diary.read"),
    ("GET", P + "/diary/{date}"): Audited("diary.read"),
    ("PUT", P + "/diary/{date}"): Audited(
        "diary.write", actor="pat_a", body=lambda _c: {"leg_pain": 3, "note": NEUTRAL}
    ),
    ("GET", P + "/intake"): Audited("intake.read"),
    ("PUT", P + "/intake"): Audited("intake.write", body=_intake),
    ("GET", P + "/medication"): Audited("medication.read", actor="pat_a"),
    ("PUT", P + "/medication"): Audited(
        "medication.write", body=lambda _c: {"step": 1, "reason": NEUTRAL}, refused=CLINICIANS_ONLY
    ),
    ("GET", P + "/assessment"): Audited("assessment.read", actor="pat_a"),
    ("GET", P + "/assessments"): Audited("assessment.history"),
    ("GET", P + "/assessments/{assessment_id}"): Audited("assessment.history", actor="pat_a"),
    ("POST", P + "/alarms/{assessment_id}/acknowledge"): Audited(
        "alarm.acknowledge", body=lambda _c: {"note": NEUTRAL}, refused=CLINICIANS_ONLY
    ),
    ("POST", P + "/medication/preview"): Audited(
        "medication.preview",
        body=lambda c: {"step": 2, "nsaid": "naproxen", "nsaid_since": c.today.isoformat()},
        refused=CLINICIANS_ONLY,
    ),
    ("GET", P + "/notes"): Audited("note.read", refused=CLINICIANS_ONLY),
    ("POST", P + "/notes"): Audited(
        "note.write", ok=201, body=lambda _c: {"text": NEUTRAL}, refused=CLINICIANS_ONLY
    ),
    ("GET", P + "/finding-acknowledgements"): Audited("finding.read", refused=CLINICIANS_ONLY),
    ("POST", P + "/finding-acknowledgements"): Audited(
        "finding.acknowledge", ok=201, body=_finding_ack, refused=CLINICIANS_ONLY
    ),
    ("POST", P + "/password-reset"): Audited(
        "password_reset.issue", ok=201, refused=(*CLINICIANS_ONLY, ("admin", "A", 403))
    ),
    ("GET", P + "/export"): Audited("patient.export", actor="pat_a"),
    ("GET", P + "/fhir"): Audited("fhir.export"),
    # A diary day as FHIR is the diary itself: the same use cases, the same audit actions.
    ("GET", P + "/fhir/QuestionnaireResponse/{date}"): Audited("diary.read"),
    ("POST", P + "/fhir/QuestionnaireResponse"): Audited(
        "diary.write", actor="pat_a", body=_diary_response
    ),
    ("GET", P + "/access-log"): Audited("access_log.read", actor="pat_a"),
}

NO_PATIENT_DATA: dict[Route, str] = {
    ("GET", "/api/v1/openapi.json"): "the API's description",
    ("HEAD", "/api/v1/openapi.json"): "the API's description",
    ("GET", "/api/v1/docs"): "the API's description",
    ("GET", "/api/v1/health"): "no database access",
    ("POST", "/api/v1/assess"): "stateless: a case in, an assessment out, nothing of a record",
    ("POST", "/api/v1/session"): "sign-in: an account, not a record",
    ("GET", "/api/v1/session"): "the caller's own account",
    ("DELETE", "/api/v1/session"): "sign-out",
    ("GET", "/api/v1/users"): "accounts, never a record (audited as users.list all the same)",
    ("POST", "/api/v1/users"): "clinician and admin accounts",
    ("GET", "/api/v1/teams"): "team names",
    ("POST", "/api/v1/teams"): "team names",
    ("GET", "/api/v1/fhir/Questionnaire/{questionnaire_id}"): "the questions, no answers",
    ("GET", "/cds-services"): "the CDS services offered",
    ("POST", "/cds-services/rughernia-patient-view"): (
        "the EHR's own data in, a card out: no record of ours is read or written "
        "(the caller is an EHR with a JWT, not a user)"
    ),
    ("POST", "/cds-services/rughernia-patient-view/feedback"): (
        "what a clinician did with a card, stored in cds_feedback; no record of ours"
    ),
    # Accounts, not records (audited all the same: tests/web/test_passwords.py).
    ("POST", "/api/v1/session/password"): "the caller's own password",
    ("POST", "/api/v1/users/{user_id}/password-reset"): "a clinician's account (admins)",
    ("POST", "/api/v1/password-resets/redeem"): "an account's password, set with a code",
}

# The pages' routes have a matrix of their own: tests/web/test_pages_access.py.
ROUTES = api_routes(collection_app())


def test_every_route_is_classified() -> None:
    routes = set(ROUTES)
    both = AUDITED.keys() & NO_PATIENT_DATA.keys()
    missing = sorted(routes - AUDITED.keys() - NO_PATIENT_DATA.keys())
    stale = sorted((AUDITED.keys() | NO_PATIENT_DATA.keys()) - routes)
    assert not both, f"routes both audited and without patient data: {sorted(both)}"
    assert not missing, f"routes neither audited nor declared free of patient data: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_patient_routes_cannot_be_declared_free_of_patient_data() -> None:
    for method, path in NO_PATIENT_DATA:
        assert "{patient_id}" not in path, f"{method} {path} is about a patient's record"
        assert not path.startswith("/api/v1/patients"), f"{method} {path} is about patients"


def _rows_after(app: Any, last_id: int) -> list[AuditRow]:
    with app.state.rughernia.sessions() as s:
        stmt = select(AuditRow).where(AuditRow.id > last_id).order_by(AuditRow.id)
        return list(s.scalars(stmt))


def _last_id(app: Any) -> int:
    with app.state.rughernia.sessions() as s:
        return max(s.scalars(select(AuditRow.id)), default=0)


def _user_ids(app: Any) -> dict[str, int]:
    with app.state.rughernia.sessions() as s:
        return {u.username: u.id for u in s.scalars(select(User))}


@dataclass
class Scene:
    world: World
    app: Any
    clock: Clock
    pids: dict[str, int]
    alarm_id: int

    def url(self, path: str, target: str | None) -> str:
        return path.format(
            patient_id=self.pids[target] if target else 0,
            date=self.clock.today.isoformat(),
            assessment_id=self.alarm_id,
        )


def _scene(world: World, app: Any, clock: Clock) -> Scene:
    c, pid = world.client, world.patient_ids["pat_a"]
    r = c.put(f"{P}/intake".format(patient_id=pid), json=_intake(clock), headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    alarm_id = r.json()["assessment"]["id"]
    r = c.put(
        f"{P}/diary/{clock.today}".format(patient_id=pid),
        json={"leg_pain": 5},
        headers=world.h("pat_a"),
    )
    assert r.status_code == 201, r.text
    pids = {"A": pid, "B": world.patient_ids["pat_b"], "missing": max(world.patient_ids.values())}
    pids["missing"] += 1000
    return Scene(world, app, clock, pids, alarm_id)


def _request(scene: Scene, actor: str, method: str, url: str, body: Any) -> Any:
    c = scene.world.client
    c.cookies.clear()
    headers = scene.world.h(None if actor == "anonymous" else actor)
    r = c.request(method, url, json=body, headers=headers)
    c.cookies.clear()
    return r


def _at_is_now(row: AuditRow, start: dt.datetime, end: dt.datetime, clock: Clock) -> bool:
    """The record's time is the moment of the request: by the wall clock, or the app's."""
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
    slack = dt.timedelta(seconds=2)
    return start - slack <= at <= end + slack or at == clock()


# Every route not declared free of patient data: one missing from AUDITED fails here too.
PATIENT_DATA_ROUTES = [r for r in ROUTES if r not in NO_PATIENT_DATA]


@pytest.mark.parametrize("route", PATIENT_DATA_ROUTES, ids=map(route_id, PATIENT_DATA_ROUTES))
def test_route_writes_audit_records(route: Route, world: World, app: Any, clock: Clock) -> None:
    spec = AUDITED.get(route)
    if spec is None:
        pytest.fail(f"{route_id(route)} is neither audited nor declared free of patient data")
    method, path = route
    scene = _scene(world, app, clock)
    body = spec.body(clock) if spec.body else None

    # Refused attempts first: each leaves exactly one committed "denied" record.
    for actor, target, status in spec.refused:
        last = _last_id(app)
        r = _request(scene, actor, method, scene.url(path, target), body)
        assert r.status_code == status, (actor, target, r.text)
        users = _user_ids(app)
        rows = _rows_after(app, last)
        got = [(w.user_id, w.username, w.role, w.patient_id, w.action, w.outcome) for w in rows]
        role = {"pat": "patient", "doc": "clinician", "adm": "admin"}[actor[:3]]
        expect = (users[actor], actor, role, scene.pids[target] if target else None)
        assert got == [(*expect, spec.action, "denied")], (actor, target)
        assert rows[0].client_address == CLIENT_ADDRESS

    # The allowed request: its records name the actor, the patient, and success.
    if spec.actor == "anonymous":  # redeeming: the new patient account is the actor
        body = _invitation(scene)
        target_ids = {body.pop("_pid")}
        actor, role = body["username"], "patient"
    else:
        actor = spec.actor
        role = {"pat": "patient", "doc": "clinician"}[actor[:3]]
        target_ids = {scene.pids["A"]}
    last = _last_id(app)
    start = dt.datetime.now(dt.UTC)
    r = _request(scene, spec.actor, method, scene.url(path, "A" if spec.record else None), body)
    end = dt.datetime.now(dt.UTC)
    assert r.status_code == spec.ok, r.text
    if route == ("POST", "/api/v1/patients"):
        target_ids = {r.json()["patient"]["id"]}
    rows = _rows_after(app, last)
    assert rows, f"{route_id(route)} answered {r.status_code} and wrote no audit record"
    users = _user_ids(app)
    expected_user = users.get(actor)  # None after erasure: the account is gone
    got = {(w.username, w.role, w.patient_id, w.action, w.outcome) for w in rows}
    assert got == {(actor, role, pid, spec.action, "success") for pid in target_ids}
    for w in rows:
        if expected_user is not None:
            assert w.user_id == expected_user
        assert w.client_address == CLIENT_ADDRESS
        assert _at_is_now(w, start, end, clock), (w.at, start, end)


RECORD_ROUTES = [r for r in PATIENT_DATA_ROUTES if "{patient_id}" in r[1]]


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=map(route_id, RECORD_ROUTES))
def test_attempts_without_a_valid_session_are_audited(
    route: Route, world: World, app: Any, clock: Clock
) -> None:
    """Nobody signed in (no token, or an unknown one) still leaves a record of the attempt."""
    method, path = route
    scene = _scene(world, app, clock)
    spec = AUDITED[route]
    body = spec.body(clock) if spec.body else None
    action = f"{method} {path.removeprefix(P) or '/'}"
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        last = _last_id(app)
        url = scene.url(path, "A")
        r = world.client.request(method, url, json=body, headers=headers)
        assert r.status_code == 401, r.text
        rows = _rows_after(app, last)
        got = [(w.user_id, w.username, w.role, w.patient_id, w.action, w.outcome) for w in rows]
        assert got == [(None, None, None, scene.pids["A"], action, "unauthenticated")], headers
        assert rows[0].client_address == CLIENT_ADDRESS
    # An id no patient can have is refused before anything is written.
    last = _last_id(app)
    r = world.client.request(method, scene.url(path, None), json=body)  # patient id 0
    assert r.status_code in (401, 422), r.text
    assert _rows_after(app, last) == []


@pytest.mark.parametrize("raw_id", ["%C2%B2", "%D9%A3", "1%C2%B2", "-1", "1e3"])
def test_an_anonymous_id_that_is_no_number_is_refused_without_an_error(
    raw_id: str, world: World, app: Any
) -> None:
    """'²' and Arabic-Indic digits pass str.isdigit() but are no id: 401, never a 500."""
    last = _last_id(app)
    r = world.client.get(f"/api/v1/patients/{raw_id}/diary")
    assert r.status_code == 401, r.text
    assert _rows_after(app, last) == []


def _invitation(scene: Scene) -> dict[str, Any]:
    r = scene.world.client.post(
        "/api/v1/patients", json={"display_name": "Invitee"}, headers=scene.world.h("doc_a")
    )
    assert r.status_code == 201, r.text
    return {
        "code": r.json()["invitation_code"],
        "username": "invitee",
        "password": PASSWORD,
        "_pid": r.json()["patient"]["id"],
    }


def test_a_guessed_invitation_code_changes_nothing(world: World, app: Any) -> None:
    """A wrong code touches no record, so there is no patient to record it against."""
    last = _last_id(app)
    guess = {"code": "ABCD-EFGH-JKMN-PQRS", "username": "guesser", "password": PASSWORD}
    r = world.client.post("/api/v1/invitations/redeem", json=guess)
    assert r.status_code == 404
    assert all(row.patient_id is None for row in _rows_after(app, last))
