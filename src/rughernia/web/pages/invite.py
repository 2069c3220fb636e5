"""Inviting a patient (clinicians): a new record and a printable letter with the code.

The form calls ``care.patients.create_patient``, the same use case as
``POST /api/v1/patients`` (the same access check, team check and audit). The letter,
in the patient's language, shows the invitation code, the address to join and a QR
code of that address, made here on the server with ``segno`` (inline SVG: nothing is
fetched). The code is shown once: only its hash is stored, the letter is never cached,
and a form sent twice (a reload of the letter) creates no second patient and shows the
code no second time (the form's own idempotency key, as the JSON route's header).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import segno
from fastapi import APIRouter
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from rughernia.care import accounts, patients
from rughernia.care.errors import Invalid, KeyReused, NotFound, NotSignedIn
from rughernia.care.once import Answer, Once, Replayed
from rughernia.care.patients import Created
from rughernia.care.shapes import MAX_ID
from rughernia.web.context import DB
from rughernia.web.ids import canonical_int
from rughernia.web.pages.frame import Page, PageCtx, takes_form
from rughernia.web.pages.render import LANGS, Lang, tr

router = APIRouter()
# The QR code: error correction M (readable with some wear of the paper), drawn at 4 px a
# module with the standard quiet zone. A URL, never the code: a photo of the QR code alone
# does not let anyone join.
QR_MAKE: dict[str, Any] = {"error": "m", "micro": False}
QR_SVG: dict[str, Any] = {"scale": 4, "svgclass": "qr", "lineclass": None}
NO_STORE = {"Cache-Control": "no-store"}
MAX_NAME = 200  # the column's length, as the JSON route's schema says


def clinician(page: Page) -> None:
    """Only a clinician invites: anyone else signed in is told there is no such page, as the
    patients' pages tell a clinician."""
    actor = page.ctx.actor
    if actor.user_id is None:
        raise NotSignedIn("Sign in first")
    if actor.role != "clinician":
        raise NotFound("These pages are for clinicians")


def join_url(page: Page) -> str:
    """Where a patient joins: RUGHERNIA_PUBLIC_URL (the address patients reach, behind a
    proxy) or else this request's own address, + /join."""
    base = page.ctx.settings.public_url or str(page.request.base_url)
    return base.rstrip("/") + "/join"


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG (segno's output; only our URL goes in)."""
    return Markup(segno.make(url, **QR_MAKE).svg_inline(**QR_SVG))  # noqa: S704


def _form(page: Page, session: DB, values: dict[str, str], errors: dict[str, str]) -> HTMLResponse:
    teams = accounts.list_teams(session, page.ctx.actor, at=page.ctx.now)
    return page.render(
        "invite_form.html",
        422 if errors else 200,
        teams=[(t.id, t.name) for t in teams],
        values={"key": secrets.token_urlsafe(16), **values},
        errors=errors,
    )


@router.get("/invite", response_class=HTMLResponse)
def invite_form(page: PageCtx, session: DB) -> HTMLResponse:
    clinician(page)
    return _form(page, session, {"language": page.lang}, {})


def _read(lang: Lang, form: FormData) -> tuple[dict[str, str], dict[str, str], int | None]:
    values = {k: str(form.get(k) or "").strip() for k in ("display_name", "team_id", "language")}
    values["key"] = str(form.get("key") or "")[:64]
    errors = {}
    if not values["display_name"]:
        errors["display_name"] = tr(lang, "Fill in the patient's name.")
    elif len(values["display_name"]) > MAX_NAME:
        errors["display_name"] = tr(lang, "Use a name of at most 200 characters.")
    if values["language"] not in LANGS:
        errors["language"] = tr(lang, "Choose the language of the letter.")
    team = values["team_id"]
    team_id = canonical_int(team, MAX_ID)  # not str.isdigit: it takes '²', which int() refuses
    if team_id is None:
        errors["team_id"] = tr(lang, "Choose one of your teams.")
    return values, errors, team_id


def _answer(found: Created) -> Answer:
    # What a form sent twice gets back: which patient, never the code.
    return 201, {"patient_id": found.patient.id}


@router.post("/invite", response_class=HTMLResponse)
@takes_form
async def invite(page: PageCtx, session: DB) -> Response:
    form = await page.form()  # first: a form from another site is refused before all else
    await run_in_threadpool(clinician, page)
    values, errors, team_id = _read(page.lang, form)
    if not errors:
        ctx = page.ctx
        once: Once[Created] = Once(
            values["key"] or None,
            ("POST", "/invite", {k: values[k] for k in ("display_name", "team_id", "language")}),
            _answer,
            dt.timedelta(hours=ctx.settings.idempotency_hours),
        )
        try:
            created = await run_in_threadpool(
                lambda: patients.create_patient(
                    session,
                    ctx.actor,
                    display_name=values["display_name"],
                    language=values["language"],
                    team_id=team_id,
                    invitation_days=ctx.settings.invitation_days,
                    at=ctx.now,
                    once=once,
                )
            )
        except Replayed:
            page.lang = _lang(values["language"])
            return page.render("invite_letter.html", 200, created=None, url=join_url(page))
        except KeyReused:
            # The form of an invitation already made, changed and sent again (Back in the
            # browser): a new form key, and the clinician sends it once more on purpose.
            del values["key"]
            errors["display_name"] = tr(
                page.lang,
                "This form already invited a patient. Check the name, then send it again "
                "to invite another one.",
            )
        except Invalid as bad:
            for problem in bad.problems:
                if problem.path == "team_id":
                    errors["team_id"] = tr(page.lang, "Choose one of your teams.")
                else:
                    # The name's own check (care.names): a control character or the like.
                    errors["display_name"] = tr(
                        page.lang, "Remove the special characters from the name."
                    )
        else:
            return _letter(page, created)
    return await run_in_threadpool(_form, page, session, values, errors)


def _lang(language: str) -> Lang:
    return "en" if language == "en" else "nl"


def _letter(page: Page, created: Created) -> HTMLResponse:
    """The letter in the patient's language; never stored by the browser or a proxy."""
    page.lang = _lang(created.patient.language)
    url = join_url(page)
    expires = created.invitation_expires_at.astimezone(page.ctx.settings.zone).date()
    response = page.render(
        "invite_letter.html",
        201,
        created=created,
        url=url,
        qr=qr_svg(url),
        expires=expires,
    )
    response.headers.update(NO_STORE)
    return response
