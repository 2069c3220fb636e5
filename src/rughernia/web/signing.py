"""Signing in and redeeming an invitation, for the JSON routes and the pages alike.

The password is checked (or hashed) between two short transactions, not inside one:
argon2 takes about 0.1 s of CPU, and inside a transaction it held this process's
database connection (on SQLite, the write lock of all processes) all that time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from rughernia.care import invitations, signin, throttle
from rughernia.care.accounts import Account
from rughernia.care.errors import SignInFailed
from rughernia.web.context import CSRF_COOKIE, SESSION_COOKIE, app_state, in_session


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    csrf: str
    started: signin.Started


async def sign_in(request: Request, username: str, password: str) -> NewSession:
    """A new session (a new id at every sign-in), or ``SignInFailed`` / ``Throttled``."""
    state = app_state(request)
    settings, passwords = state.settings, state.passwords
    client = request.client.host if request.client else None
    name = username.strip().lower()
    attempt = signin.attempt(name, client, throttle.policy(settings), state.clock())
    found = await in_session(request, signin.count_attempt, name, attempt)
    stored = found.password_hash if found else None
    ok = await run_in_threadpool(passwords.verify, stored, password)
    if found is None or not ok or not found.active:
        raise SignInFailed("Wrong username or password")
    new_hash = None
    if passwords.needs_rehash(found.password_hash):
        new_hash = await run_in_threadpool(passwords.hash, password)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    started = await in_session(
        request, signin.start_session, found, attempt, new_hash, token, csrf, settings.session_hours
    )
    return NewSession(token, csrf, started)


def set_session_cookies(request: Request, response: Response, new: NewSession) -> None:
    secure = request.url.scheme == "https"
    max_age = int(app_state(request).settings.session_hours * 3600)
    response.set_cookie(
        SESSION_COOKIE, new.token, max_age=max_age, httponly=True, samesite="lax", secure=secure
    )
    # Readable by the page's own script, which echoes it in the X-CSRF-Token header.
    response.set_cookie(
        CSRF_COOKIE, new.csrf, max_age=max_age, httponly=False, samesite="lax", secure=secure
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


async def redeem(request: Request, code: str, username: str, password: str) -> Account:
    """The new patient's account, linked to their record; the code is used up."""
    state = app_state(request)
    client = request.client.host if request.client else None
    policy = throttle.policy(state.settings, max_failures=state.settings.redeem_max_failures)
    attempt = await in_session(
        request,
        invitations.check,
        code=code,
        username=username,
        password=password,
        client_address=client,
        policy=policy,
        at=state.clock(),
    )
    hashed = await run_in_threadpool(state.passwords.hash, password)
    return await in_session(
        request,
        invitations.finish,
        attempt,
        code=code,
        username=username,
        password_hash=hashed,
        client_address=client,
    )
