"""Signing in and out, joining with an invitation code, and the language switch."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Match

from rughernia.care import patients
from rughernia.care import signin as care_signin
from rughernia.care.accounts import USERNAME_PATTERN
from rughernia.care.errors import Invalid, InvitationUnknown, SignInFailed, Throttled, UsernameTaken
from rughernia.care.passwords import password_problem
from rughernia.care.shapes import Actor
from rughernia.web import signing
from rughernia.web.context import DB, in_session
from rughernia.web.pages.frame import LANG_COOKIE, YEAR, AnonPageCtx, PageCtx, takes_form
from rughernia.web.pages.render import LANGS, Lang, tr

router = APIRouter()


def safe_next(target: object, default: str = "/") -> str:
    """Only a path of this site: never a redirect to another host."""
    text = target if isinstance(target, str) else ""
    parts = urlsplit(text)
    if not text.startswith("/") or text.startswith("//") or parts.scheme or parts.netloc:
        return default
    return text


@router.get("/signin", response_class=HTMLResponse)
def signin_form(page: PageCtx, next: str = "/") -> HTMLResponse:
    return page.render("signin.html", next=safe_next(next), values={}, errors={})


@router.post("/signin", response_class=HTMLResponse)
@takes_form
async def signin(page: AnonPageCtx) -> Response:
    form = await page.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    target = safe_next(form.get("next"))
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = tr(page.lang, "Fill in your username.")
    if not password:
        errors["password"] = tr(page.lang, "Fill in your password.")
    if not errors:
        try:
            new = await signing.sign_in(page.request, username, password)
        except SignInFailed:
            errors["password"] = tr(page.lang, "The username or password is wrong.")
        except Throttled:
            errors["password"] = tr(page.lang, "Too many attempts. Wait a little and try again.")
        else:
            user = new.started.account.user
            home = {"patient": "/today", "clinician": "/worklist"}.get(user.role, "/")
            response = RedirectResponse(target if target != "/" else home, status_code=303)
            signing.set_session_cookies(page.request, response, new)
            if user.role == "patient":  # a patient's language is their record's
                actor = Actor(user.id, user.username, user.role, page.ctx.client_address)
                own = await in_session(page.request, patients.own_record, actor)
                if own is not None and own.language in LANGS:
                    response.set_cookie(LANG_COOKIE, own.language, max_age=YEAR, samesite="lax")
            return response
    values = {"username": username}
    return page.render("signin.html", 422, next=target, values=values, errors=errors)


@router.post("/signout")
@takes_form
async def signout(page: PageCtx, session: DB) -> Response:
    await page.form()
    user = page.ctx.user
    response = RedirectResponse("/", status_code=303)
    if user is not None:
        await run_in_threadpool(care_signin.sign_out, session, user)
    signing.clear_session_cookies(response)
    return response


@router.get("/join", response_class=HTMLResponse)
def join_form(page: PageCtx) -> HTMLResponse:
    return page.render("join.html", values={}, errors={})


@router.post("/join", response_class=HTMLResponse)
@takes_form
async def join(page: AnonPageCtx) -> Response:
    form = await page.form()
    values = {k: str(form.get(k) or "").strip() for k in ("code", "username")}
    values["username"] = values["username"].lower()
    password = str(form.get("password") or "")
    errors: dict[str, str] = {}
    if not values["code"]:
        errors["code"] = tr(page.lang, "Fill in the code from your GP.")
    if not re.fullmatch(USERNAME_PATTERN, values["username"]):
        errors["username"] = _field_message(page.lang, "username")
    if password_problem(password) is not None:
        errors["password"] = _field_message(page.lang, "password")
    if not errors:
        try:
            await signing.redeem(page.request, values["code"], values["username"], password)
            new = await signing.sign_in(page.request, values["username"], password)
        except InvitationUnknown:
            errors["code"] = tr(page.lang, "This code is unknown or has expired. Ask your GP.")
        except UsernameTaken:
            errors["username"] = tr(page.lang, "This username is taken. Choose another one.")
        except Throttled:
            errors["code"] = tr(page.lang, "Too many attempts. Wait a little and try again.")
        except Invalid as bad:
            for problem in bad.problems:
                key = problem.path if problem.path in ("username", "password") else "code"
                errors[key] = _field_message(page.lang, key)
        else:
            response = RedirectResponse("/intake", status_code=303)
            signing.set_session_cookies(page.request, response, new)
            return response
    return page.render("join.html", 422, values=values, errors=errors)


def _field_message(lang: Lang, key: str) -> str:
    if key == "username":
        return tr(lang, "Use 3 to 64 small letters, digits, dots, dashes or underscores.")
    if key == "password":
        return tr(lang, "Choose a password of at least 10 characters.")
    return tr(lang, "This code is unknown or has expired. Ask your GP.")


def _gettable(request: Request, target: str) -> str:
    """``target``, or the nearest page above it that answers GET. A page shown in answer to
    a form (a preview, a form with errors) names the form's address, which may take POST
    only (``/patients/1/medication``): the switch would lead to a 405."""
    path, query = target.partition("?")[::2]
    while path != "/":
        scope = {"type": "http", "path": path, "root_path": "", "method": "GET"}
        matches = [route.matches(scope)[0] for route in request.app.router.routes]
        if Match.FULL in matches or Match.PARTIAL not in matches:
            break  # a page (or no page at all: its 404, in the other language)
        path, query = path.rsplit("/", 1)[0] or "/", ""
    return f"{path}?{query}" if query else path


@router.post("/language")
@takes_form
async def language(page: PageCtx, session: DB) -> Response:
    form = await page.form()
    lang = form.get("lang")
    response = RedirectResponse(_gettable(page.request, safe_next(form.get("next"))), 303)
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, str(lang), max_age=YEAR, samesite="lax")
        user = page.ctx.user  # looked up by page.form() already
        if user is not None and user.role == "patient":
            await run_in_threadpool(
                patients.set_language, session, page.ctx.actor, str(lang), at=page.ctx.now
            )
    return response
