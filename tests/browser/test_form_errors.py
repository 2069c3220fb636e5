"""Form errors with JavaScript on, in a real Chromium against a real server.

htmx boosts every form; by default it does not swap in an answer of 4xx, so a form
sent back with its errors (422) or a refused action (403, 409) left the page as it was,
as if nothing had happened. These tests send such forms and look for the message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_patient_journey import (
    browser,
    check_page,
    fill_intake,
    invite,
    join,
    pytestmark,
    server,
)
from tests.web.test_server import Server

__all__ = ["browser", "pytestmark", "server"]


def _js_on(page: Any) -> None:
    assert page.evaluate("typeof window.htmx") == "object"  # the boosted path is the one tested


def test_a_wrong_password_shows_its_message_with_javascript_on(
    server: Server, browser: Any
) -> None:
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(server.base + "/signin")
    _js_on(page)
    page.get_by_label("Gebruikersnaam").fill("nobody")
    page.get_by_label("Wachtwoord").fill("wrong-password-here")
    page.locator("main").get_by_role("button", name="Inloggen").click()
    expect(page.locator("[id$='-error'], [role='alert']").first).to_be_visible()
    assert page.get_by_label("Gebruikersnaam").input_value() == "nobody"
    check_page(page, "signin-error-js")


def test_a_diary_day_with_an_open_question_shows_the_errors_with_javascript_on(
    server: Server, browser: Any
) -> None:
    page = browser.new_context(locale="nl-NL").new_page()
    join(page, server.base, invite(server, "Fout Formulier"), "formerrors")
    fill_intake(page, 21)
    page.goto(f"{server.base}/diary/{dt.date.today().isoformat()}")
    _js_on(page)
    page.get_by_role("button", name="Dagboek opslaan").click()
    expect(page.get_by_text("Kies een getal van 0 tot 10.").first).to_be_visible()
    expect(page.get_by_text("Kies een van de antwoorden.").first).to_be_visible()
    check_page(page, "diary-error-js")
