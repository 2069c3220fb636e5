"""Inviting a patient from the pages (``web/pages/invite.py``), on SQLite and PostgreSQL.

A clinician signed in with a session cookie fills the form; the letter shows the code
(which then lets the patient join), the address to join and a QR code of it, read back
here with a kept decoder (zxing-cpp) from the very SVG the page sent.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rughernia.care.codes import code_hash
from rughernia.settings import Settings
from rughernia.store.tables import AuditRow, PatientRow
from rughernia.web.app import create_app
from tests.dbsupport import PASSWORD, Clock, World

JOIN = "http://testserver/join"  # the test client's base URL + /join


def _signed_in(world: World, username: str) -> Any:
    """The test client with a cookie session of ``username``, as a browser has one."""
    c = world.client
    c.cookies.clear()
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/signin").text)
    assert token is not None
    form = {"csrf": token.group(1), "username": username, "password": PASSWORD}
    assert c.post("/signin", data=form, follow_redirects=False).status_code == 303
    return c


def _form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'type="hidden" name="(csrf|key)" value="([^"]*)"', html))


def _patients(app: Any) -> int:
    with app.state.rughernia.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(PatientRow)) or 0)


def _qr_text(svg: str) -> str:
    """The text of segno's SVG QR code: its path (a row of dark modules per ``h`` run,
    in module units) drawn as a grey image and decoded by zxing-cpp."""
    size = int(re.search(r'<svg width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))  # type: ignore[union-attr]
    path = re.search(r' d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    modules = size // scale
    dark = [[False] * modules for _ in range(modules)]
    x = y = 0.0
    for op, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op in "Mm":
            x, y = (float(a), float(b)) if op == "M" else (x + float(a), y + float(b))
        else:
            length = float(a)
            for col in range(int(x), int(x + length)):
                dark[int(y)][col] = True
            x += length
    pixels = bytes(
        0 if dark[row // scale][col // scale] else 255 for row in range(size) for col in range(size)
    )
    found = zxingcpp.read_barcodes(zxingcpp.ImageView(pixels, size, size, zxingcpp.ImageFormat.Lum))
    assert len(found) == 1, found
    return str(found[0].text)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_clinician_invites_a_patient_and_the_letter_lets_them_join(
    world: World, app: Any, language: str
) -> None:
    c = _signed_in(world, "doc_a")
    page = c.get("/invite")
    assert page.status_code == 200
    assert "Team A" in page.text
    assert "Team B" not in page.text  # only one's own teams
    fields = _form_fields(page.text)
    form = {**fields, "display_name": "Els de Vries", "team_id": str(world.team_ids["a"])}
    r = c.post("/invite", data={**form, "language": language})
    assert r.status_code == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    assert f'<html lang="{language}">' in r.text  # the letter speaks the patient's language
    assert ("Beste Els de Vries," if language == "nl" else "Dear Els de Vries,") in r.text
    code = re.search(r'class="instruction code">([^<]+)<', r.text)
    assert code is not None
    assert JOIN in r.text
    svg = re.search(r"<svg .*?</svg>", r.text, re.S)
    assert svg is not None
    assert _qr_text(svg.group(0)) == JOIN
    assert code.group(1) not in svg.group(0)  # the QR code holds the address, not the code
    with app.state.rughernia.sessions() as s:
        row = s.scalars(select(PatientRow).where(PatientRow.display_name == "Els de Vries")).one()
        assert row.team_id == world.team_ids["a"]
        assert row.language == language
        assert row.invitation_hash == code_hash(code.group(1))  # only its hash is kept
        audited = s.scalars(select(AuditRow).where(AuditRow.patient_id == row.id)).all()
        assert [(a.action, a.outcome, a.username) for a in audited] == [
            ("patient.create", "success", "doc_a")
        ]
    # The code on the letter is the one that works.
    redeem = {"code": code.group(1), "username": "els", "password": PASSWORD}
    assert c.post("/api/v1/invitations/redeem", json=redeem).status_code == 201


def test_the_same_form_sent_twice_makes_one_patient_and_shows_the_code_once(
    world: World, app: Any
) -> None:
    c = _signed_in(world, "doc_a")
    fields = _form_fields(c.get("/invite").text)
    form = {**fields, "display_name": "Twice", "team_id": str(world.team_ids["a"])}
    before = _patients(app)
    first = c.post("/invite", data={**form, "language": "nl"})
    assert first.status_code == 201
    code = re.search(r'class="instruction code">([^<]+)<', first.text)
    assert code is not None
    again = c.post("/invite", data={**form, "language": "nl"})
    assert again.status_code == 200
    assert "is al gemaakt" in again.text
    assert code.group(1) not in again.text
    assert _patients(app) == before + 1


def test_another_team_cannot_be_chosen(world: World, app: Any) -> None:
    c = _signed_in(world, "doc_a")
    fields = _form_fields(c.get("/invite").text)
    before = _patients(app)
    for team in (str(world.team_ids["b"]), "999999", "x", ""):
        form = {**fields, "display_name": "Sneaky", "team_id": team, "language": "nl"}
        r = c.post("/invite", data=form)
        assert r.status_code == 422, (team, r.status_code)
        assert "Kies een van uw teams." in r.text
        assert 'value="Sneaky"' in r.text  # what was typed stays
    assert _patients(app) == before


def test_a_form_without_its_csrf_token_stores_nothing(world: World, app: Any) -> None:
    c = _signed_in(world, "doc_a")
    fields = _form_fields(c.get("/invite").text)
    before = _patients(app)
    form = {"key": fields["key"], "display_name": "Forged", "team_id": str(world.team_ids["a"])}
    for token in (None, "wrong-token"):
        data = {**form, "language": "nl", **({"csrf": token} if token else {})}
        assert c.post("/invite", data=data).status_code == 403
    assert _patients(app) == before


@pytest.mark.parametrize("who", ["pat_a", "admin"])
def test_no_one_but_a_clinician_invites(world: World, app: Any, who: str) -> None:
    c = _signed_in(world, who)
    assert c.get("/invite").status_code == 404
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text)
    assert csrf is not None  # the signed-in session's own token: the form itself is valid
    form = {"csrf": csrf.group(1), "display_name": "X", "team_id": str(world.team_ids["a"])}
    before = _patients(app)
    assert c.post("/invite", data={**form, "language": "nl"}).status_code == 404
    assert _patients(app) == before


def test_the_address_is_the_public_url_when_set(
    world: World, settings: Settings, clock: Clock
) -> None:
    """Behind a proxy the request's own address is not the one patients reach."""
    public = dataclasses.replace(settings, public_url="https://rug.example.nl/")
    with TestClient(create_app(public, clock=clock)) as client:
        c = _signed_in(World(client), "doc_a")
        fields = _form_fields(c.get("/invite").text)
        form = {**fields, "display_name": "Behind a proxy", "team_id": str(world.team_ids["a"])}
        r = c.post("/invite", data={**form, "language": "en"})
    assert r.status_code == 201
    svg = re.search(r"<svg .*?</svg>", r.text, re.S)
    assert svg is not None
    assert _qr_text(svg.group(0)) == "https://rug.example.nl/join"


def test_a_used_form_sent_again_with_another_name_is_the_form_with_a_new_key(
    world: World, app: Any
) -> None:
    c = _signed_in(world, "doc_a")
    fields = _form_fields(c.get("/invite").text)
    form = {**fields, "team_id": str(world.team_ids["a"]), "language": "nl"}
    assert c.post("/invite", data={**form, "display_name": "First"}).status_code == 201
    before = _patients(app)
    again = c.post("/invite", data={**form, "display_name": "Second"})  # Back, changed, sent
    assert again.status_code == 422
    assert "Met dit formulier is al een patiënt uitgenodigd." in again.text
    assert 'value="Second"' in again.text
    fresh = _form_fields(again.text)
    assert fresh["key"] != fields["key"]
    assert _patients(app) == before
    sent = c.post("/invite", data={**form, **fresh, "display_name": "Second"})
    assert sent.status_code == 201
    assert _patients(app) == before + 1
