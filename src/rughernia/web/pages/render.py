"""Pages as HTML: one Jinja2 environment per language, its chrome from the gettext catalogue.

The catalogues are the ``.po`` files under ``locale/`` (nl and en complete; a test
fails on a missing or fuzzy entry). They are compiled in memory when the app starts,
so running the app needs no build step. Clinical texts never come from here: they
come from ``content/``, through the assessment or ``note``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from starlette.responses import HTMLResponse

from rughernia.content import information

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")
HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def catalogue_path(lang: Lang) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: Lang) -> Translations:
    """The language's catalogue, compiled from its ``.po`` file in memory."""
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang])
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)  # a fuzzy entry is not a translation
    mo.seek(0)
    return Translations(mo)


def tr(lang: Lang, message: str) -> str:
    """A message of the catalogue, for texts made in Python (extracted as ``tr:2``)."""
    return str(translations(lang).gettext(message))


class ConstantMessages(Extension):
    """``_("a constant message")`` translated once, when a template is compiled.

    Each environment speaks one language, so a message without variables has one
    translation: it becomes a constant of the compiled template instead of a gettext
    call on every render (a third of a page's rendering time was these calls). The
    result is what the i18n extension's call gives: ``Markup(translation % {})``.
    Messages with variables (``_("Week %(week)s", week=w)``) stay calls. The source
    is unchanged, so ``./dev i18n`` extracts the same messages.
    """

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        catalogue: Translations = self.environment.page_translations  # type: ignore[attr-defined]
        tokens = list(stream)
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            name, *call = tokens[i : i + 4]
            if (
                name.test("name:_")
                and [t.type for t in call] == ["lparen", "string", "rparen"]
                and not (out and out[-1].type == "dot")
            ):
                text = str(catalogue.gettext(call[1].value)) % {}
                line = name.lineno
                out += [
                    Token(line, "lparen", "("),
                    Token(line, "string", text),
                    Token(line, "pipe", "|"),
                    Token(line, "name", "safe"),
                    Token(line, "rparen", ")"),
                ]
                i += 4
                continue
            out.append(name)
            i += 1
        return out


@cache
def environment(lang: Lang) -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n", ConstantMessages],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.extend(page_translations=translations(lang))
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    # Parsed once: Babel parses a locale given by name on every call.
    locale = Locale.parse(LOCALES[lang])

    def long_date(value: dt.date) -> str:
        return format_date(value, format="full", locale=locale)

    def short_date(value: dt.date) -> str:
        return format_date(value, format="EEE d MMM", locale=locale)

    def number(value: float) -> str:
        return format_decimal(value, locale=locale)

    names = information.sources(lang)
    notes = information.notes(lang)

    def source_name(source: str) -> str:
        return names.get(source, source)

    def note(nid: str) -> str:
        """A short clinical text of ``content/information.toml`` (``[notes]``). A wrong id
        fails the page: a safety text must never render as nothing."""
        return notes[nid].text

    env.filters.update(
        long_date=long_date, short_date=short_date, number=number, blocks=information.blocks
    )
    env.globals.update(
        lang=lang, other_lang="en" if lang == "nl" else "nl", source_name=source_name, note=note
    )
    return env


def html(
    lang: Lang, template: str, status: int = 200, headers: dict[str, str] | None = None, **data: Any
) -> HTMLResponse:
    body = environment(lang).get_template(template).render(**data)
    return HTMLResponse(body, status, headers=headers)
