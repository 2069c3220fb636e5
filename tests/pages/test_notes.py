"""The short clinical texts the pages show beside an assessment come from content/, with
their source, in both languages; the loader refuses a note without them."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from rughernia.content import information
from rughernia.web.pages.render import html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_note_has_its_text_and_a_known_source(lang: information.Language) -> None:
    notes = information.notes(lang)
    assert set(notes) == {"pain_not_bearable", "life_danger", "warning_sign"}
    assert notes["warning_sign"].source == "L9"
    assert notes["pain_not_bearable"].source == "L5"
    assert "112" in notes["life_danger"].text
    assert all(n.source in information.sources(lang) for n in notes.values())


def test_the_dutch_and_english_notes_differ() -> None:
    nl, en = information.notes("nl"), information.notes("en")
    assert all(nl[n].text != en[n].text for n in nl)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["notes"]["life_danger"].pop("nl"), "notes.life_danger: nl is missing"),
        (lambda d: d["notes"]["life_danger"].update(en=" "), "notes.life_danger: en is missing"),
        (lambda d: d["notes"]["pain_not_bearable"].update(source="L99"), "source L99 is not"),
    ],
)
def test_a_broken_note_is_refused_with_the_entry_named(change: object, message: str) -> None:
    data = copy.deepcopy(information.raw())
    change(data)  # type: ignore[operator]
    with pytest.raises(information.InformationError, match=message):
        information.parse_notes(data, "nl")


def test_the_emergency_screen_shows_the_note_in_the_page_language() -> None:
    emergency = {"triage": "emergency", "triage_text": "Bel nu.", "findings": []}
    for lang in ("nl", "en"):
        body = html(lang, "emergency.html", assessment=emergency, csrf="", user=None, path="/")
        page = body.body.decode()
        assert information.notes(lang)["life_danger"].text in page
        assert 'href="tel:112"' in page  # a phone calls it with one tap
        alert = page[page.index('class="emergency"') : page.index("</section>")]
        # What to do, once: the instruction names the out-of-hours service, nothing repeats it.
        assert alert.count("Bel nu.") == 1
        assert "huisartsenpost" not in alert.replace("Bel nu.", "")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_footer_speaks_to_whoever_reads_the_page(lang: information.Language) -> None:
    """Patients and visitors read what to do on a warning sign (content, with its source);
    a clinician reads that the decision is theirs, not a message meant for a patient."""
    warning = information.notes(lang)["warning_sign"].text
    emergency = {"triage": "emergency", "triage_text": "Bel nu.", "findings": []}
    for role, shown in ((None, True), ("patient", True), ("clinician", False), ("admin", False)):
        user = None if role is None else SimpleNamespace(role=role)
        page = html(lang, "emergency.html", assessment=emergency, csrf="", user=user, path="/")
        footer = page.body.decode().split('<footer class="site">')[1]
        assert (warning in footer) is shown, role
        assert ("Rughernia" in footer) is True
