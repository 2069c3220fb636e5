"""The authorization matrix: every route of the app, against six actors and guessed ids.

The routes come from the app's router, not from a list kept here: a route without
a row in ``EXPECT`` fails ``test_every_route_has_an_expectation`` and its own matrix
test. Actors: anonymous, patient A, patient B, the clinician of A's team, the
clinician of the other team (B's), and an admin.

For each route and actor the test sends every target there is to guess (A's
record, B's record, an id that does not exist yet; for assessment routes, each
patient's assessment ids crossed with each patient id) and asserts the exact
status. Then, for every answer:

- nothing in it belongs to a record the actor may not reach: no other patient's
  name or health data (markers planted in the records), no other ``patient_id``;
- an admin sees no health data at all;
- a refusal is ``application/problem+json``, and "not yours" answers exactly as
  "does not exist", so ids cannot be probed;
- all refusals together change nothing stored (only the audit log and the
  sign-in throttle may grow).

Refusals run first, for all actors, with the stored state compared around them;
the allowed requests run after them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from rughernia.store.tables import Base, User
from tests.dbsupport import PASSWORD, Clock, World, intake_for
from tests.web.routesupport import Route, api_routes, collection_app, route_id

ACTORS = ("anonymous", "pat_a", "pat_b", "doc_a", "doc_b", "admin")
ROLE = {
    "anonymous": None,
    "pat_a": "patient",
    "pat_b": "patient",
    "doc_a": "clinician",
    "doc_b": "clinician",
    "admin": "admin",
}
# The one record a patient or clinician reaches; an admin reaches none (erasure aside).
OWN = {"pat_a": "A", "pat_b": "B", "doc_a": "A", "doc_b": "B"}
PATIENTS = ("A", "B")
NEUTRAL = "matrix-write"  # what allowed writes store: no marker of any record
# Tables a refused request may write: the audit log (by design) and the sign-in throttle.
MAY_CHANGE_ON_REFUSAL = frozenset({"audit_log", "login_failures"})


# --- the scene: the world's records, with markers planted in them ---------------------


@dataclass
class Scene:
    world: World
    app: Any
    clock: Clock
    onset: dt.date
    pids: dict[str, int] = field(default_factory=dict)  # "A", "B", "missing"
    aids: dict[str, int] = field(default_factory=dict)  # each record's alarm assessment
    extra_ids: dict[str, set[int]] = field(default_factory=dict)  # records an actor created

    @property
    def client(self) -> Any:
        return self.world.client

    @property
    def today(self) -> str:
        return self.clock.today.isoformat()

    def name(self, p: str) -> str:
        return f"Patient {p}"

    def health_markers(self, p: str) -> list[str]:
        return [f"diary-note-of-{p}-x7", f"medication-reason-of-{p}-x7"]

    def forbidden(self, actor: str) -> list[str]:
        """Text that must never appear in an answer to ``actor``."""
        out: list[str] = []
        for p in PATIENTS:
            if OWN.get(actor) == p:
                continue
            out += self.health_markers(p)
            # An admin manages accounts, so sees account names; others see no other name.
            if actor != "admin":
                out.append(self.name(p))
        return out

    def reachable_ids(self, actor: str) -> set[int]:
        own = {self.pids[OWN[actor]]} if actor in OWN else set()
        return own | self.extra_ids.get(actor, set())

    def h(self, actor: str) -> dict[str, str]:
        return self.world.h(None if actor == "anonymous" else actor)


def build_scene(world: World, app: Any, clock: Clock) -> Scene:
    scene = Scene(world, app, clock, onset=clock.today - dt.timedelta(days=21))
    c = world.client
    for p in PATIENTS:
        pid = world.patient_ids[f"pat_{p.lower()}"]
        doc = f"doc_{p.lower()}"
        scene.pids[p] = pid
        # Saddle numbness: an emergency, so each record has an alarm to acknowledge.
        r = c.put(
            f"/api/v1/patients/{pid}/intake",
            json=intake_for(scene.onset, saddle_numbness=True),
            headers=world.h(doc),
        )
        assert r.status_code == 200, r.text
        assert r.json()["assessment"]["assessment"]["triage"] == "emergency"
        scene.aids[p] = r.json()["assessment"]["id"]
        note, reason = scene.health_markers(p)
        r = c.put(
            f"/api/v1/patients/{pid}/diary/{scene.today}",
            json={"leg_pain": 6, "note": note},
            headers=world.h(f"pat_{p.lower()}"),
        )
        assert r.status_code == 201, r.text
        r = c.put(
            f"/api/v1/patients/{pid}/medication",
            json={"step": 1, "reason": reason},
            headers=world.h(doc),
        )
        assert r.status_code == 200, r.text
    # The next ids the database would hand out: the most natural guesses.
    scene.pids["missing"] = max(scene.pids.values()) + 1
    with app.state.rughernia.sessions() as s:
        from rughernia.store.tables import AssessmentRow

        top = max(s.scalars(select(AssessmentRow.id)))
    scene.aids["missing"] = top + 1
    return scene


def snapshot(app: Any) -> dict[str, list[str]]:
    """Every stored row except those a refusal may add, in a comparable form."""
    out: dict[str, list[str]] = {}
    with app.state.rughernia.sessions() as s:
        for table in Base.metadata.sorted_tables:
            if table.name not in MAY_CHANGE_ON_REFUSAL:
                out[table.name] = sorted(repr(tuple(row)) for row in s.execute(select(table)))
    return out


# --- cells: one request of one actor, with what must come of it ----------------------


@dataclass
class Cell:
    actor: str
    method: str
    url: str | Callable[[], str]
    expect: int
    allowed: bool
    json: Any = None
    make_json: Callable[[], Any] | None = None
    check: Callable[[Any], None] | None = None
    # Cells whose refusals must be indistinguishable ("not yours" == "does not exist").
    same_as: str | None = None
    label: str = ""

    def describe(self) -> str:
        url = self.url if isinstance(self.url, str) else "(computed)"
        return f"{self.actor} {self.method} {url} {self.label}".strip()


def _ids_named_patient_id(value: Any) -> Iterator[int]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "patient_id" and isinstance(item, int):
                yield item
            else:
                yield from _ids_named_patient_id(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_named_patient_id(item)


def send(scene: Scene, cell: Cell) -> Any:
    body = cell.make_json() if cell.make_json else cell.json
    url = cell.url if isinstance(cell.url, str) else cell.url()
    c = scene.client
    c.cookies.clear()  # only the bearer token (or nothing) says who is asking
    r = c.request(cell.method, url, json=body, headers=scene.h(cell.actor))
    c.cookies.clear()
    what = f"{cell.describe()} -> {r.status_code}: {r.text[:300]}"
    assert r.status_code == cell.expect, what
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json", what
        assert r.json()["status"] == r.status_code, what
    for marker in scene.forbidden(cell.actor):
        assert marker not in r.text, f"{marker!r} leaked: {what}"
    if r.headers.get("content-type", "").endswith("json") and r.content:
        seen = set(_ids_named_patient_id(r.json()))
        assert seen <= scene.reachable_ids(cell.actor), f"patient ids {seen}: {what}"
    if cell.check is not None:
        cell.check(r)
    return r


# --- rules: what each route allows ---------------------------------------------------


class Rule:
    per_actor = False  # destructive routes get a fresh scene for each actor

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        raise NotImplementedError

    def finish(self, scene: Scene) -> None:
        """After all cells: anything the route's effects must leave true."""


@dataclass
class Public(Rule):
    """Anyone, signed in or not, gets the same answer; it holds no record."""

    ok: int = 200
    body: Callable[[Scene], Any] | None = None

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        json = self.body(scene) if self.body else None
        return [Cell(actor, method, path, self.ok, True, json)]


@dataclass
class PublicAt(Public):
    """Public, at a URL of the template filled in (a route with a path parameter)."""

    url: str = ""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        return super().cells(scene, self.url, method, actor)


class CdsClientOnly(Rule):
    """CDS Hooks: only an EHR's signed JWT is let in. Our own sessions (of any role) are
    no such token, and without demo mode nobody gets in unsigned: 401 for every actor."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        return [Cell(actor, method, path, 401, False, {"hook": "patient-view"})]


class SignIn(Rule):
    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        # Guess someone else's password (a different victim per actor, below the throttle).
        victim = ACTORS[(ACTORS.index(actor) + 1) % len(ACTORS)]
        victim = "pat_a" if victim == "anonymous" else victim

        def after_the_delay(body: dict[str, str]) -> Callable[[], Any]:
            # Twelve guesses from one address would meet its delay (tests/web/test_throttling
            # tests that); here each waits it out, so the answer is the authorization's.
            def make() -> dict[str, str]:
                scene.clock.advance(seconds=60)
                return body

            return make

        wrong = (
            {"username": victim, "password": "guess-1234"},
            {"username": f"nobody-{actor}", "password": PASSWORD},
        )
        guesses = [
            Cell(actor, method, path, 401, False, make_json=after_the_delay(body)) for body in wrong
        ]
        if actor == "anonymous":
            return guesses

        def own(r: Any) -> None:
            assert r.json()["user"]["username"] == actor

        body = {"username": actor, "password": PASSWORD}
        mine = Cell(actor, method, path, 200, True, make_json=after_the_delay(body))
        mine.check = own
        return [*guesses, mine]


class Redeem(Rule):
    """Holding a valid code is the authorization; a guessed code gets nothing."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        guess = {"code": "ABCD-EFGH-JKMN-PQRS", "username": "guesser", "password": PASSWORD}
        refused = Cell(actor, method, path, 404, False, guess)
        created: dict[str, int] = {}

        def fresh_code() -> dict[str, Any]:
            r = scene.client.post(
                "/api/v1/patients",
                json={"display_name": f"Invitee of {actor}"},
                headers=scene.h("doc_a"),
            )
            assert r.status_code == 201, r.text
            created["pid"] = r.json()["patient"]["id"]
            scene.extra_ids.setdefault(actor, set()).add(created["pid"])
            name = f"new-{actor.replace('_', '-')}"
            return {"code": r.json()["invitation_code"], "username": name, "password": PASSWORD}

        def linked(r: Any) -> None:
            assert r.json()["user"]["role"] == "patient"
            assert r.json()["user"]["patient_id"] == created["pid"]

        ok = Cell(actor, method, path, 201, True, make_json=fresh_code, check=linked)
        return [refused, ok]


class ChangePassword(Rule):
    """Each signed-in actor changes only their own password; a wrong current one is refused."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        right = {"current_password": PASSWORD, "new_password": PASSWORD + "-2"}
        if actor == "anonymous":
            return [Cell(actor, method, path, 401, False, right)]
        wrong = {"current_password": "guess-1234", "new_password": PASSWORD + "-2"}

        def still_signed_in(_r: Any) -> None:
            assert scene.client.get("/api/v1/session", headers=scene.h(actor)).status_code == 200

        ok = Cell(actor, method, path, 204, True, right, check=still_signed_in)
        return [Cell(actor, method, path, 403, False, wrong), ok]


class RedeemReset(Rule):
    """Holding a valid reset code is the authorization; a guessed code gets nothing."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        refused = Cell(actor, method, path, 404, False, {"code": "ABCD-EFGH", "password": PASSWORD})

        def fresh_code() -> dict[str, Any]:
            r = scene.client.post(
                f"/api/v1/patients/{scene.pids['A']}/password-reset", headers=scene.h("doc_a")
            )
            assert r.status_code == 201, r.text
            return {"code": r.json()["code"], "password": PASSWORD}

        def ended(_r: Any) -> None:  # patient A's sessions end; sign in again for the next
            assert scene.client.get("/api/v1/session", headers=scene.h("pat_a")).status_code == 401
            scene.world.sign_in("pat_a")

        return [refused, Cell(actor, method, path, 204, True, make_json=fresh_code, check=ended)]


class ResetUser(Rule):
    """Admins issue a code for a clinician, not for a patient or an admin; others for nobody."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        with scene.app.state.rughernia.sessions() as s:
            ids = {u.username: u.id for u in s.scalars(select(User))}
        out = []
        for target in ("doc_a", "pat_a", "admin", "missing"):
            url = path.format(user_id=ids.get(target, max(ids.values()) + 1))
            if ROLE[actor] is None:
                expect = 401
            elif ROLE[actor] != "admin":
                expect = 403
            else:
                expect = {"doc_a": 201, "missing": 404}.get(target, 403)
            out.append(Cell(actor, method, url, expect, expect == 201, label=f"[{target}]"))
        return out


class Me(Rule):
    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        if actor == "anonymous":
            return [Cell(actor, method, path, 401, False)]

        def me(r: Any) -> None:
            assert r.json()["username"] == actor
            assert r.json()["role"] == ROLE[actor]

        return [Cell(actor, method, path, 200, True, check=me)]


class SignOut(Rule):
    """Each actor ends only their own session."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        if actor == "anonymous":
            return [Cell(actor, method, path, 401, False)]

        def ended(_r: Any) -> None:
            old = scene.h(actor)
            assert scene.client.get("/api/v1/session", headers=old).status_code == 401
            scene.world.sign_in(actor)

        return [Cell(actor, method, path, 204, True, check=ended)]

    def finish(self, scene: Scene) -> None:
        for actor in ACTORS[1:]:
            r = scene.client.get("/api/v1/session", headers=scene.h(actor))
            assert r.status_code == 200, (actor, r.text)


@dataclass
class Roles(Rule):
    """Routes about no single record, open to some roles."""

    roles: frozenset[str]
    ok: int = 200
    body: Callable[[Scene, str], Any] | None = None
    check: Callable[[Scene, str, Any], None] | None = None

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        json = self.body(scene, actor) if self.body else None
        if actor == "anonymous":
            return [Cell(actor, method, path, 401, False, json)]
        if ROLE[actor] not in self.roles:
            return [Cell(actor, method, path, 403, False, json)]
        check = self.check

        def checked(r: Any) -> None:
            if check is not None:
                check(scene, actor, r)

        return [Cell(actor, method, path, self.ok, True, json, check=checked)]


class CreatePatient(Roles):
    def __init__(self) -> None:
        super().__init__(frozenset({"clinician"}), 201, lambda _s, a: {"display_name": f"By {a}"})

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        out = super().cells(scene, path, method, actor)
        if ROLE[actor] == "clinician":
            own = scene.world.team_ids[OWN[actor].lower()]
            other = next(t for t in scene.world.team_ids.values() if t != own)
            body = {"display_name": "Into another team", "team_id": other}
            out.insert(0, Cell(actor, method, path, 422, False, body, label="other team"))

            def in_own_team(r: Any) -> None:
                assert r.json()["patient"]["team_id"] == own

            out[-1].check = in_own_team
        return out


@dataclass
class Record(Rule):
    """A route on one patient's record: ``{patient_id}`` (and maybe ``{assessment_id}``)."""

    roles: frozenset[str] = frozenset({"patient", "clinician"})
    ok: int = 200
    body: Any = None
    destructive: bool = False

    @property
    def per_actor(self) -> bool:
        return self.destructive

    def expect(self, actor: str, p: str, a: str | None) -> int:
        role = ROLE[actor]
        if role is None:
            return 401
        if role not in self.roles:
            return 403
        reach = set(PATIENTS) if role == "admin" else {OWN[actor]}
        if p not in reach or (a is not None and a != p):
            return 404
        return self.ok

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        with_aid = "{assessment_id}" in path
        out = []
        for p in (*PATIENTS, "missing"):
            for a in (*PATIENTS, "missing") if with_aid else (None,):
                url = path.format(
                    patient_id=scene.pids[p],
                    date=scene.today,
                    assessment_id=scene.aids[a] if a else 0,
                )
                expect = self.expect(actor, p, a)
                body = self.body(scene) if callable(self.body) else self.body
                cell = Cell(actor, method, url, expect, expect == self.ok, body)
                cell.label = f"[patient {p}, assessment {a}]" if a else f"[patient {p}]"
                if expect == 404:
                    # Guessing: another's record (or another's assessment) answers
                    # exactly as one that does not exist.
                    own = OWN.get(actor)
                    if p != "missing" and p != own:
                        cell.same_as = f"{actor}|missing|{a}"
                    elif a is not None and a != "missing" and a != p:
                        cell.same_as = f"{actor}|{p}|missing"
                    cell.label += f" key={actor}|{p}|{a}"
                if expect == self.ok and self.destructive:
                    cell.check = _gone(scene, p)
                out.append(cell)
        return out


class FindingAck(Record):
    """Acknowledging a finding until a date: the records get a finding that may be (a cancer
    history beside the alarm) before the cells are sent, so the allowed one succeeds."""

    def cells(self, scene: Scene, path: str, method: str, actor: str) -> list[Cell]:
        for p in PATIENTS:
            intake = intake_for(
                scene.onset, saddle_numbness=True, red_flags={"cancer_history": True}
            )
            r = scene.client.put(
                f"/api/v1/patients/{scene.pids[p]}/intake",
                json=intake,
                headers=scene.h(f"doc_{p.lower()}"),
            )
            assert r.status_code == 200, r.text
        return super().cells(scene, path, method, actor)


def _finding_ack(scene: Scene) -> dict[str, Any]:
    until = (scene.clock.today + dt.timedelta(days=30)).isoformat()
    return {"code": "REDFLAG_CANCER_HISTORY", "until": until, "note": NEUTRAL}


def _naproxen(scene: Scene) -> dict[str, Any]:
    return {"step": 2, "nsaid": "naproxen", "nsaid_since": scene.today}


def _gone(scene: Scene, p: str) -> Callable[[Any], None]:
    def check(_r: Any) -> None:
        doc = f"doc_{p.lower()}"
        r = scene.client.get(f"/api/v1/patients/{scene.pids[p]}", headers=scene.h(doc))
        assert r.status_code == 404, r.text

    return check


def _valid_case(scene: Scene) -> dict[str, Any]:
    return {"today": scene.today, **intake_for(scene.onset)}


def _alarm_intake(scene: Scene) -> dict[str, Any]:
    return intake_for(scene.onset, saddle_numbness=True)


def _diary_response(scene: Scene) -> dict[str, Any]:
    items = [("date", "valueDate", scene.today), ("leg_pain", "valueInteger", 4)]
    items.append(("note", "valueString", NEUTRAL))
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "item": [{"linkId": link, "answer": [{kind: value}]} for link, kind, value in items],
    }


def _no_patient_ids(_scene: Scene, _actor: str, r: Any) -> None:
    assert all(u["patient_id"] is None for u in r.json()), "admins see no record links"


def _own_teams(scene: Scene, actor: str, r: Any) -> None:
    names = {t["name"] for t in r.json()}
    if actor == "admin":
        assert names == {"Team A", "Team B"}
    else:
        assert names == {f"Team {OWN[actor]}"}


def _own_patients(scene: Scene, actor: str, r: Any) -> None:
    assert [p["id"] for p in r.json()] == [scene.pids[OWN[actor]]]


RECORD_WRITE = frozenset({"patient", "clinician"})
CLINICIAN = frozenset({"clinician"})
P = "/api/v1/patients/{patient_id}"

EXPECT: dict[Route, Rule] = {
    ("GET", "/api/v1/openapi.json"): Public(),
    ("HEAD", "/api/v1/openapi.json"): Public(),
    ("GET", "/api/v1/docs"): Public(),
    ("GET", "/api/v1/health"): Public(),
    ("POST", "/api/v1/assess"): Public(body=_valid_case),
    ("POST", "/api/v1/session"): SignIn(),
    ("GET", "/api/v1/session"): Me(),
    ("DELETE", "/api/v1/session"): SignOut(),
    ("POST", "/api/v1/session/password"): ChangePassword(),
    ("POST", "/api/v1/password-resets/redeem"): RedeemReset(),
    ("POST", "/api/v1/users/{user_id}/password-reset"): ResetUser(),
    ("POST", "/api/v1/invitations/redeem"): Redeem(),
    ("GET", "/api/v1/users"): Roles(frozenset({"admin"}), check=_no_patient_ids),
    ("POST", "/api/v1/users"): Roles(
        frozenset({"admin"}),
        201,
        lambda _s, a: {
            "username": f"made-by-{a.replace('_', '-')}",
            "password": PASSWORD,
            "role": "clinician",
            "teams": ["Team A"],
        },
    ),
    ("GET", "/api/v1/teams"): Roles(frozenset({"admin", "clinician"}), check=_own_teams),
    ("POST", "/api/v1/teams"): Roles(frozenset({"admin"}), 201, lambda _s, a: {"name": f"T {a}"}),
    ("GET", "/api/v1/patients"): Roles(frozenset({"patient", "clinician"}), check=_own_patients),
    ("POST", "/api/v1/patients"): CreatePatient(),
    ("GET", P): Record(),
    ("DELETE", P): Record(frozenset({"patient", "admin"}), 204, destructive=True),
    ("GET", P + "/diary"): Record(),
    ("GET", P + "/diary/{date}"): Record(),
    ("PUT", P + "/diary/{date}"): Record(body={"leg_pain": 4, "note": NEUTRAL}),
    ("GET", P + "/intake"): Record(),
    ("PUT", P + "/intake"): Record(body=_alarm_intake),
    ("GET", P + "/medication"): Record(),
    ("PUT", P + "/medication"): Record(CLINICIAN, body={"step": 2, "reason": NEUTRAL}),
    ("GET", P + "/assessment"): Record(),
    ("GET", P + "/assessments"): Record(),
    ("GET", P + "/assessments/{assessment_id}"): Record(),
    ("POST", P + "/alarms/{assessment_id}/acknowledge"): Record(CLINICIAN, body={"note": NEUTRAL}),
    ("POST", P + "/password-reset"): Record(CLINICIAN, 201),
    ("POST", P + "/medication/preview"): Record(CLINICIAN, body=_naproxen),
    ("GET", P + "/notes"): Record(CLINICIAN),
    ("POST", P + "/notes"): Record(CLINICIAN, 201, body={"kind": "mri", "text": NEUTRAL}),
    ("GET", P + "/finding-acknowledgements"): Record(CLINICIAN),
    ("POST", P + "/finding-acknowledgements"): FindingAck(CLINICIAN, 201, body=_finding_ack),
    ("GET", P + "/export"): Record(),
    ("GET", P + "/fhir"): Record(),
    ("GET", P + "/fhir/QuestionnaireResponse/{date}"): Record(),
    ("POST", P + "/fhir/QuestionnaireResponse"): Record(body=_diary_response),
    ("GET", "/api/v1/fhir/Questionnaire/{questionnaire_id}"): PublicAt(
        url="/api/v1/fhir/Questionnaire/rughernia-diary-nl"
    ),
    ("GET", "/cds-services"): Public(),
    ("POST", "/cds-services/rughernia-patient-view"): CdsClientOnly(),
    ("POST", "/cds-services/rughernia-patient-view/feedback"): CdsClientOnly(),
    ("GET", P + "/access-log"): Record(),
}


# --- the tests ----------------------------------------------------------------------

# The pages' routes have a matrix of their own: tests/web/test_pages_access.py.
ROUTES = api_routes(collection_app())


def _params() -> list[Any]:
    out = []
    for route in ROUTES:
        rule = EXPECT.get(route)
        if rule is not None and rule.per_actor:
            out += [pytest.param(route, (a,), id=f"{route_id(route)}-{a}") for a in ACTORS]
        else:
            out.append(pytest.param(route, ACTORS, id=route_id(route)))
    return out


def test_every_route_has_an_expectation() -> None:
    routes = set(ROUTES)
    missing = sorted(routes - EXPECT.keys())
    stale = sorted(EXPECT.keys() - routes)
    assert not missing, f"routes without a row in the authorization matrix: {missing}"
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


@pytest.mark.parametrize(("route", "actors"), _params())
def test_route_matrix(
    route: Route, actors: tuple[str, ...], world: World, app: Any, clock: Clock
) -> None:
    rule = EXPECT.get(route)
    if rule is None:
        pytest.fail(f"{route_id(route)} has no row in the authorization matrix (EXPECT)")
    method, path = route
    scene = build_scene(world, app, clock)
    cells = [cell for actor in actors for cell in rule.cells(scene, path, method, actor)]
    assert cells

    refusals = [c for c in cells if not c.allowed]
    before = snapshot(app)
    answers: dict[str, Any] = {}
    for cell in refusals:
        r = send(scene, cell)
        if "key=" in cell.label:
            answers[cell.label.split("key=")[1]] = r.json()
    assert snapshot(app) == before, f"a refused {route_id(route)} changed stored data"
    for cell in refusals:
        if cell.same_as is not None:
            key = cell.label.split("key=")[1]
            assert answers[key] == answers[cell.same_as], (
                f"{cell.describe()}: 'not yours' differs from 'does not exist'"
            )

    for cell in (c for c in cells if c.allowed):
        send(scene, cell)
    rule.finish(scene)
