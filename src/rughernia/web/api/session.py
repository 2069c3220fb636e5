"""Sign-in, sign-out and "who am I". Cookie for browsers, bearer token for API clients."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rughernia.care import password_change, signin, throttle
from rughernia.care.errors import SignInFailed
from rughernia.care.shapes import SignedIn
from rughernia.care.throttle import Attempt
from rughernia.web.api import views
from rughernia.web.api.schemas import PasswordChange, SessionOut, SignIn, UserOut
from rughernia.web.context import (
    CSRF_COOKIE,
    DB,
    SESSION_COOKIE,
    UserCtx,
    app_state,
    in_session,
    user_in,
)
from rughernia.web.problem_responses import CONFLICT, SIGNED_IN, THROTTLED, VALIDATION

router = APIRouter(tags=["session"])


@router.post(
    "/session",
    response_model=SessionOut,
    responses={**VALIDATION, **THROTTLED, 401: SIGNED_IN[401]},
    summary="Sign in",
)
async def sign_in(body: SignIn, request: Request) -> JSONResponse:
    """The password is checked between two short transactions, not inside one: argon2
    takes about 0.1 s of CPU, and inside a transaction it held this process's
    database connection (on SQLite, the write lock of all processes) all that time.
    """
    state = app_state(request)
    settings, passwords = state.settings, state.passwords
    client = request.client.host if request.client else None
    name = body.username.strip().lower()
    attempt = signin.attempt(name, client, throttle.policy(settings), state.clock())
    found = await in_session(request, signin.count_attempt, name, attempt)
    stored = found.password_hash if found else None
    ok = await run_in_threadpool(passwords.verify, stored, body.password)
    if found is None or not ok or not found.active:
        raise SignInFailed("Wrong username or password")
    new_hash = None
    if passwords.needs_rehash(found.password_hash):
        new_hash = await run_in_threadpool(passwords.hash, body.password)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    started = await in_session(
        request, signin.start_session, found, attempt, new_hash, token, csrf, settings.session_hours
    )
    response = JSONResponse(
        {
            "token": token,
            "token_type": "bearer",
            "expires_at": views.iso(started.expires_at),
            "csrf_token": csrf,
            "user": views.account(started.account),
        }
    )
    secure = request.url.scheme == "https"
    max_age = int(settings.session_hours * 3600)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure
    )
    # Readable by the page's own script, which echoes it in the X-CSRF-Token header.
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="lax", secure=secure
    )
    return response


@router.delete("/session", status_code=204, responses=SIGNED_IN, summary="Sign out")
def sign_out(ctx: UserCtx, session: DB) -> Response:
    assert ctx.user is not None
    signin.sign_out(session, ctx.user)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/session", response_model=UserOut, responses=SIGNED_IN, summary="Who am I")
def whoami(ctx: UserCtx, session: DB) -> JSONResponse:
    assert ctx.user is not None
    return JSONResponse(views.account(signin.whoami(session, ctx.user)))


def _begin_change(
    session: Session, request: Request, body: PasswordChange
) -> tuple[SignedIn, Attempt, str]:
    """Who asks (as every signed-in route checks it), and the attempt counted as a sign-in."""
    user = user_in(session, request)
    state = app_state(request)
    client = request.client.host if request.client else None
    attempt = signin.attempt(user.username, client, throttle.policy(state.settings), state.clock())
    return user, attempt, password_change.begin(session, user, body.new_password, attempt)


@router.post(
    "/session/password",
    status_code=204,
    responses={**SIGNED_IN, **THROTTLED, **CONFLICT},
    summary="Change one's own password; the user's other sessions end",
)
async def change_password(body: PasswordChange, request: Request) -> Response:
    """This session stays valid (same token); every other session of the user ends. As at
    sign-in, the passwords are checked and hashed between two short transactions, so the
    route does not hold a database connection (``db``) while argon2 runs."""
    passwords = app_state(request).passwords
    client = request.client.host if request.client else None
    user, attempt, stored = await in_session(request, _begin_change, request, body)
    if not await run_in_threadpool(passwords.verify, stored, body.current_password):
        await in_session(request, password_change.refuse, user, client, attempt.now)
    new_hash = await run_in_threadpool(passwords.hash, body.new_password)
    await in_session(
        request,
        password_change.finish,
        user,
        attempt,
        old_hash=stored,
        new_hash=new_hash,
        client_address=client,
    )
    return Response(status_code=204)
