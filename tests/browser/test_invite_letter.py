"""The invitation letter in a real Chromium against a real server: a clinician signs in,
invites a patient, and the form and the letter have no axe violations in nl and en at
phone and desktop width. Screenshots (phone width, and as printed) go to ``screenshots/``."""

from __future__ import annotations

from typing import Any

from tests.browser.test_patient_journey import (  # the same server and browser, module-wide
    DESKTOP,
    PHONE,
    SHOTS,
    browser,
    check_page,
    pytestmark,
    server,
)
from tests.dbsupport import PASSWORD
from tests.web.test_server import Server

__all__ = ["browser", "pytestmark", "server"]


def test_a_clinician_prints_an_invitation_letter(server: Server, browser: Any) -> None:
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.goto(server.base + "/signin?next=/invite")
    page.get_by_label("Gebruikersnaam").fill("doc")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(server.base + "/invite")
    for lang, language in (("nl", "Nederlands"), ("en", "English")):
        for viewport, width in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(viewport)
            page.goto(server.base + "/invite")
            check_page(page, f"invite-form-{width}", shot=width == "phone")
            page.get_by_label("Naam van de patiënt").fill(f"Letter {lang} {width}")
            page.get_by_label(language, exact=True).check()
            page.get_by_role("button", name="Uitnodiging maken").click()
            page.wait_for_selector("article.letter")
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator(".letter svg.qr").count() == 1
            check_page(page, f"invite-letter-{lang}-{width}", shot=width == "phone")
            if width == "phone":
                page.emulate_media(media="print")
                SHOTS.mkdir(exist_ok=True)
                page.screenshot(path=str(SHOTS / f"invite-letter-{lang}-print.png"), full_page=True)
                assert not page.locator("header.site").is_visible()  # only the letter prints
                page.emulate_media(media="screen")
    ctx.close()
