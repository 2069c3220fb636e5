"""The pages' own authorization matrix, CSRF and audit, on SQLite and PostgreSQL.

Every page route comes from the router (``page_routes``): one without a row in
``EXPECT`` fails. Pages act on the signed-in patient's own record only (no id in
any URL), so another patient's record cannot even be named; the test plants a
marker in each record and checks that no page of one patient shows the other's.
A state-changing form without its CSRF token is refused and stores nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from rughernia.store.tables import AuditRow, DiaryRow
from tests.dbsupport import PASSWORD, Clock, World
from tests.web.routesupport import Route, collection_app, page_routes, route_id

ACTORS = ("anonymous", "pat_a", "pat_b", "doc_a", "admin")
PUBLIC = 200
OWN = "own"  # 200 for a patient, the sign-in page for anonymous, 404 for anyone else
FORM = "form"  # a POST: refused without the form's CSRF token
CLINIC = "clinic"  # 200 for a clinician of the team, the sign-in page for anonymous, else 403
CLINICIAN = "clinician"  # 200 for a clinician, the sign-in page for anonymous, 404 for others
# What each page route answers a GET with; POST routes are checked for CSRF below.
EXPECT: dict[Route, Any] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/info"): PUBLIC,
    ("GET", "/info/{topic}"): PUBLIC,
    ("GET", "/selfcheck"): PUBLIC,
    ("GET", "/signin"): PUBLIC,
    ("GET", "/join"): PUBLIC,
    ("GET", "/today"): OWN,
    ("GET", "/intake"): OWN,
    ("GET", "/diary"): OWN,
    ("GET", "/diary/{day}"): OWN,
    ("GET", "/plan"): OWN,
    ("GET", "/plan.ics"): OWN,
    ("GET", "/course"): OWN,
    ("GET", "/my-data"): OWN,
    ("GET", "/my-data/export.json"): OWN,
    ("GET", "/my-data/delete"): OWN,
    ("GET", "/worklist"): CLINIC,
    ("GET", "/patients/{patient_id}"): CLINIC,
    ("POST", "/patients/{patient_id}/alarm"): FORM,
    ("POST", "/patients/{patient_id}/notes"): FORM,
    ("POST", "/patients/{patient_id}/findings"): FORM,
    ("POST", "/patients/{patient_id}/medication"): FORM,
    ("GET", "/invite"): CLINICIAN,
    ("POST", "/selfcheck"): FORM,
    ("POST", "/signin"): FORM,
    ("POST", "/signout"): FORM,
    ("POST", "/join"): FORM,
    ("POST", "/language"): FORM,
    ("POST", "/intake"): FORM,
    ("POST", "/diary/{day}"): FORM,
    ("POST", "/my-data/delete"): FORM,
    ("POST", "/invite"): FORM,
    ("*", "/static"): PUBLIC,
}
ROUTES = page_routes(collection_app())
# The audit action each page of the record writes: the same as the API's for that data.
AUDITED = {
    "/today": "assessment.read",
    "/diary": "diary.read",
    "/plan": "plan.read",
    "/course": "course.read",
    "/my-data": "access_log.read",
    "/my-data/export.json": "patient.export",
}


def test_every_page_route_has_an_expectation() -> None:
    missing = [route_id(r) for r in ROUTES if r not in EXPECT]
    assert not missing, f"page routes without a row in EXPECT: {missing}"
    assert not set(EXPECT) - set(ROUTES), "rows for page routes that no longer exist"


def _url(path: str, clock: Clock, world: World) -> str:
    return (
        path.replace("{topic}", "alarm")
        .replace("{patient_id}", str(world.patient_ids["pat_a"]))
        .replace("{day}", clock.today.isoformat())
        .replace("/static", "/static/app.css")
    )


def _headers(world: World, actor: str) -> dict[str, str]:
    world.client.cookies.clear()
    return world.h(None if actor == "anonymous" else actor)


def _plant(world: World, clock: Clock) -> dict[str, str]:
    markers = {}
    for p in ("a", "b"):
        marker = f"marker-of-{p}-{'x' * 6}"
        r = world.client.put(
            f"/api/v1/patients/{world.patient_ids[f'pat_{p}']}/diary/{clock.today}",
            json={"leg_pain": 5, "note": marker},
            headers=world.h(f"pat_{p}"),
        )
        assert r.status_code == 201, r.text
        markers[p] = marker
    return markers


@pytest.mark.parametrize("route", [r for r in EXPECT if EXPECT[r] != FORM], ids=route_id)
def test_page_gets(route: Route, world: World, clock: Clock) -> None:
    markers = _plant(world, clock)
    url = _url(route[1], clock, world)
    for actor in ACTORS:
        r = world.client.get(url, headers=_headers(world, actor), follow_redirects=False)
        what = f"{actor} GET {url} -> {r.status_code}"
        rule = EXPECT[route]
        if rule == PUBLIC:
            expected = 303 if (url == "/" and actor.startswith(("pat", "doc"))) else 200
        elif rule == CLINIC:
            expected = {"anonymous": 303, "doc_a": 200}.get(actor, 403)
        elif actor == "anonymous":
            expected = 303
            assert r.headers["location"].startswith("/signin?next="), what
        elif rule == CLINICIAN:
            expected = 200 if actor.startswith("doc") else 404
        else:
            expected = 200 if actor.startswith("pat") else 404
        assert r.status_code == expected, what
        if route[1] != "/static":
            assert r.headers["cache-control"] == "no-store", what
        for p, marker in markers.items():
            own = (actor == f"pat_{p}" and rule == OWN) or (actor == "doc_a" and p == "a")
            if rule == CLINIC and own:
                continue
            if actor != f"pat_{p}" or rule != OWN:
                assert marker not in r.text, f"{marker} leaked: {what}"
        if rule == OWN and actor.startswith("pat") and route[1] in ("/diary/{day}", "/diary"):
            assert markers[actor[-1]] in r.text or route[1] == "/diary", what


@pytest.mark.parametrize("route", [r for r in EXPECT if EXPECT[r] == FORM], ids=route_id)
def test_forms_without_the_csrf_token_change_nothing(
    route: Route, world: World, app: Any, clock: Clock
) -> None:
    url = _url(route[1], clock, world)
    form = {"leg_pain": "7", "back_pain": "2", "username": "pat_a", "password": "x" * 12}
    with app.state.rughernia.sessions() as s:
        before = s.scalar(select(func.count()).select_from(DiaryRow))
    for actor in ACTORS:
        for token in (None, "wrong-token"):
            data = dict(form) if token is None else {**form, "csrf": token}
            r = world.client.post(
                url, data=data, headers=_headers(world, actor), follow_redirects=False
            )
            what = f"{actor} POST {url} with {token!r}: {r.status_code}"
            if actor == "anonymous" and url.startswith(("/intake", "/diary", "/my-data")):
                # Nobody to act for: to the sign-in page, before the form is read.
                assert r.status_code == 303, what
                assert r.headers["location"].startswith("/signin?next="), what
                continue
            if actor in ("doc_a", "admin") and url.startswith(("/intake", "/diary", "/my-data")):
                assert r.status_code == 404, what  # a patient's own pages: none of theirs
                continue
            assert r.status_code == 403, what
            assert "text/html" in r.headers["content-type"]
    with app.state.rughernia.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DiaryRow)) == before


@pytest.mark.parametrize("path", sorted(AUDITED))
def test_a_page_of_the_record_is_audited(path: str, world: World, app: Any, clock: Clock) -> None:
    _plant(world, clock)
    with app.state.rughernia.sessions() as s:
        s.query(AuditRow).delete()
        s.commit()
    r = world.client.get(path, headers=_headers(world, "pat_a"))
    assert r.status_code == 200
    with app.state.rughernia.sessions() as s:
        rows = list(s.scalars(select(AuditRow)))
    actions = {(row.action, row.outcome) for row in rows}
    assert (AUDITED[path], "success") in actions, actions
    assert all(row.username == "pat_a" for row in rows)


def test_a_signed_in_form_posts_with_the_sessions_token(world: World, clock: Clock) -> None:
    """The cookie session of a real sign-in: its token is in every form of the page."""
    c = world.client
    c.cookies.clear()
    page = c.get("/signin").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    r = c.post(
        "/signin",
        data={"csrf": token.group(1), "username": "pat_a", "password": "x" * 3 + "wrong"},
    )
    assert r.status_code == 422
    assert "klopt niet" in r.text

    r = c.post(
        "/signin",
        data={"csrf": token.group(1), "username": "pat_a", "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/today"
    diary = c.get(f"/diary/{clock.today}").text
    session_token = re.search(r'name="csrf" value="([^"]+)"', diary)
    assert session_token is not None
    assert session_token.group(1) != token.group(1)
    r = c.post(
        f"/diary/{clock.today}",
        data={"csrf": session_token.group(1), "leg_pain": "11"},
    )
    assert r.status_code == 422
    assert "Kies een getal van 0 tot 10." in r.text
    c.cookies.clear()
