"""The page chrome's catalogue: every message the pages use is translated, in nl and en.

The messages are extracted from the templates and the page modules exactly as
``./dev i18n`` does (Babel, ``babel.cfg``, keyword ``tr:2``); each must be in both
``.po`` files, translated and not fuzzy, and no catalogue keeps a message nobody uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from rughernia.web.pages.render import LANGS, catalogue_path, environment, tr

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "src" / "rughernia" / "web" / "pages"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.svg", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "tr": (2,)}


def used_messages() -> set[str]:
    found = extract_from_dir(str(PAGES), METHODS, keywords=KEYWORDS)
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


USED = used_messages()


def test_messages_are_found() -> None:
    assert len(USED) > 100
    assert "Call your GP now" in USED  # a template's
    assert "Choose a number from 0 to 10." in USED  # a page module's, through tr()


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_is_complete(lang: str) -> None:
    with catalogue_path(lang).open("rb") as f:  # type: ignore[arg-type]
        catalog = read_po(f)
    entries = {m.id: m for m in catalog if m.id}
    missing = sorted(USED - set(entries))
    untranslated = sorted(i for i, m in entries.items() if not m.string)
    fuzzy = sorted(i for i, m in entries.items() if m.fuzzy)
    unused = sorted(set(entries) - USED)
    assert not missing, f"{lang}: messages missing from the catalogue: {missing}"
    assert not untranslated, f"{lang}: untranslated: {untranslated}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy}"
    assert not unused, f"{lang}: messages nobody uses: {unused}"


def test_dutch_is_dutch_and_english_is_english() -> None:
    assert tr("nl", "Call your GP now") == "Bel nu uw huisarts"
    assert tr("en", "Call your GP now") == "Call your GP now"
    page = environment("nl").get_template("error.html")
    html = page.render(title="t", message="m", csrf="", user=None, path="/")
    assert '<html lang="nl">' in html
    assert "Naar de startpagina" in html
