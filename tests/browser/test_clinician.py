"""The clinician's worklist and patient page in a real Chromium against a real server.

A clinician has the worklist open; a patient saves a diary day with an alarm on their
own page; without a reload it comes to the top of the worklist and the live region
says so. The clinician acknowledges it with a note (it moves down), steps up the
medication (the NSAID's safety findings shown before saving) and the patient's own plan
shows the new step. A clinician of another team sees none of it and gets 404. axe-core
on both pages in nl and en at phone and desktop width; screenshots in ``screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.test_patient_journey import (
    DESKTOP,
    PHONE,
    browser,
    check_page,
    fill_diary,
    pytestmark,
)
from tests.dbsupport import PASSWORD, intake_for
from tests.web.test_server import RUGHERNIA, Server, _env, add_clinician

__all__ = ["browser", "pytestmark"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("clinic")
    url = f"sqlite:///{folder / 'clinic.db'}"
    done = subprocess.run(
        [RUGHERNIA, "db", "upgrade"], env=_env(url), cwd=folder, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    add_clinician(url, folder)
    add_clinician(url, folder, "other", "U")
    s = Server(url, folder)
    s.start()
    yield s
    s.kill()


def _patient(server: Server, name: str, username: str) -> int:
    """A patient of team T aged 72 (an NSAID needs a stomach protector), with an intake
    from three weeks ago and a week of diary, made through the API."""
    c = httpx.Client(base_url=server.base, timeout=10)
    doc = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD}).json()
    h = {"Authorization": f"Bearer {doc['token']}"}
    r = c.post("/api/v1/patients", json={"display_name": name}, headers=h)
    assert r.status_code == 201, r.text
    pid = int(r.json()["patient"]["id"])
    redeem = {"code": r.json()["invitation_code"], "username": username, "password": PASSWORD}
    assert c.post("/api/v1/invitations/redeem", json=redeem).status_code == 201
    today = dt.date.today()
    intake = intake_for(today - dt.timedelta(days=21), leg_pain_reaches="below_knee")
    intake["patient"]["age"] = 72
    assert c.put(f"/api/v1/patients/{pid}/intake", json=intake, headers=h).status_code == 200
    for back in range(1, 6):
        day = today - dt.timedelta(days=back)
        r = c.put(f"/api/v1/patients/{pid}/diary/{day}", json={"leg_pain": 6}, headers=h)
        assert r.status_code in (200, 201), r.text
    return pid


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/signin")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_an_alarm_reaches_the_open_worklist_and_the_clinician_acts(
    server: Server, browser: Any
) -> None:
    pid = _patient(server, "Anna Alarm", "anna-alarm")
    _patient(server, "Bram Rustig", "bram-rustig")
    doc_ctx = browser.new_context(viewport=PHONE)
    doc = doc_ctx.new_page()
    _sign_in(doc, server.base, "doc")
    doc.wait_for_url("**/worklist")
    status = doc.locator("#worklist-status")
    expect(status).to_contain_text("Alarmen nog niet afgehandeld: 0.")
    check_page(doc, "clinic-nl-phone-worklist-before")

    # The patient, on their own phone, reports numbness around the anus in today's diary.
    patient_ctx = browser.new_context(viewport=PHONE)
    patient = patient_ctx.new_page()
    _sign_in(patient, server.base, "anna-alarm")
    patient.wait_for_url("**/today")
    patient.goto(f"{server.base}/diary/{dt.date.today().isoformat()}")
    fill_diary(patient, 8, alarm=True)
    patient.get_by_role("button", name="Dagboek opslaan").click()
    patient.wait_for_url("**/today?saved=1")

    # No reload: the polled list brings the alarm to the top, the live region says so.
    # (It polls every 10 s: within 30 s it has asked at least twice since the save.)
    first = doc.locator("ol.worklist > li").first
    expect(first).to_contain_text("Alarmsignaal, nog niet afgehandeld", timeout=30_000)
    expect(first).to_contain_text("Anna Alarm")
    expect(status).to_contain_text("Alarmen nog niet afgehandeld: 1.")
    assert doc.url.endswith("/worklist")
    check_page(doc, "clinic-nl-phone-worklist-alarm")

    first.get_by_role("link", name="Anna Alarm").click()
    doc.wait_for_url(f"**/patients/{pid}")
    check_page(doc, "clinic-nl-phone-patient-alarm")
    doc.get_by_label("Wat er is gedaan").fill("Gebeld, vandaag naar de neuroloog")
    doc.get_by_role("button", name="Alarm afhandelen").click()
    expect(doc.get_by_role("status")).to_contain_text("Het alarm is afgehandeld.")
    doc.goto(server.base + "/worklist")
    row = doc.locator("ol.worklist > li", has_text="Anna Alarm")
    expect(row).not_to_contain_text("Alarmsignaal, nog niet afgehandeld")
    expect(row).to_contain_text("Gebeld, vandaag naar de neuroloog")
    expect(status).to_contain_text("Alarmen nog niet afgehandeld: 0.")

    # A step-up to an NSAID: what it brings is shown before anything is saved.
    doc.goto(f"{server.base}/patients/{pid}")
    doc.get_by_label("Stap", exact=True).select_option("2")
    doc.get_by_label("NSAID", exact=True).select_option("naproxen")
    doc.get_by_label("NSAID sinds").fill(dt.date.today().isoformat())
    doc.get_by_role("button", name="Laat zien wat dit verandert").click()
    preview = doc.locator("#preview")
    expect(preview).to_contain_text("NSAID_STOMACH_PROTECTION")
    expect(preview).to_contain_text("NSAID_USE")
    check_page(doc, "clinic-nl-phone-patient-preview")
    patient.goto(server.base + "/plan")
    expect(patient.locator("main")).not_to_contain_text("Neem die in met wat eten")
    doc.get_by_label("Reden van de wijziging").fill("Pijn niet te verdragen op stap 1")
    doc.get_by_role("button", name="Wijziging opslaan").click()
    expect(doc.get_by_role("status")).to_contain_text("De medicatie is gewijzigd.")
    patient.goto(server.base + "/plan")
    expect(patient.locator("main")).to_contain_text("Neem die in met wat eten")
    patient.screenshot(path="screenshots/clinic-patient-plan-after-step-up.png", full_page=True)

    # Another team's clinician: not on their list, 404 on the page.
    other_ctx = browser.new_context(viewport=PHONE)
    other = other_ctx.new_page()
    _sign_in(other, server.base, "other")
    other.wait_for_url("**/worklist")
    expect(other.locator("main")).not_to_contain_text("Anna Alarm")
    response = other.goto(f"{server.base}/patients/{pid}")
    assert response is not None
    assert response.status == 404
    expect(other.locator("main")).not_to_contain_text("Anna Alarm")
    for ctx in (doc_ctx, patient_ctx, other_ctx):
        ctx.close()


def test_axe_finds_nothing_on_the_clinicians_pages(server: Server, browser: Any) -> None:
    pid = _patient(server, "Carla Controle", "carla")
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    _sign_in(page, server.base, "doc")
    page.wait_for_url("**/worklist")
    for lang in ("nl", "en"):
        if page.locator("html").get_attribute("lang") != lang:
            page.get_by_role("button", name="English" if lang == "en" else "Nederlands").click()
            expect(page.locator("html")).to_have_attribute("lang", lang)
        for viewport, width in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(viewport)
            for path in ("/worklist", f"/patients/{pid}"):
                page.goto(server.base + path)
                assert page.locator("html").get_attribute("lang") == lang
                name = f"clinic-{lang}-{width}-{path.strip('/').split('/')[0]}"
                check_page(page, name)
    ctx.close()
