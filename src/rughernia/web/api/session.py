"""Sign-in, sign-out and "who am I". Cookie for browsers, bearer token for API clients."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rughernia.store import accounts, record
from rughernia.store.accounts import SignedIn
from rughernia.store.tables import User
from rughernia.web.api import views
from rughernia.web.api.errors import SIGNED_IN, THROTTLED, VALIDATION
from rughernia.web.api.schemas import SessionOut, SignIn, UserOut
from rughernia.web.context import (
    CSRF_COOKIE,
    DB,
    SESSION_COOKIE,
    UserCtx,
    app_state,
    in_session,
    token_hash,
)
from rughernia.web.problems import ApiError

router = APIRouter(tags=["session"])

# A shared address (a practice behind one NAT) gets more room than one name.
ADDRESS_FACTOR = 4


def user_json(session: Session, user: User | SignedIn) -> dict[str, object]:
    teams = accounts.team_names_of(session, [user.id]).get(user.id, [])
    patient = record.patient_of_user(session, user.id) if user.role == "patient" else None
    return views.user(user, teams, patient.id if patient else None)


def _check_lock(session: Session, keys: Iterable[str], now: dt.datetime) -> None:
    for key in keys:  # always name first, then address: the same order in every sign-in
        until = accounts.locked_until(session, key, now, hold=True)
        if until is not None:
            wait = max(1, math.ceil((until - now).total_seconds()))
            raise ApiError(
                429,
                "throttled",
                "Too many failed sign-ins",
                f"try again in {wait} seconds",
                headers={"Retry-After": str(wait)},
            )


@dataclass(frozen=True, slots=True)
class _Attempt:
    keys: tuple[str, str]  # the name's and the client address's throttling keys
    limits: tuple[int, int]
    window: dt.timedelta
    now: dt.datetime


@dataclass(frozen=True, slots=True)
class _Found:
    user_id: int
    password_hash: str
    active: bool


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
    limit = settings.login_max_failures
    attempt = _Attempt(
        keys=(f"name:{name}", f"addr:{client}"),
        limits=(limit, limit * ADDRESS_FACTOR),
        window=dt.timedelta(minutes=settings.login_window_minutes),
        now=state.clock(),
    )
    found = await in_session(request, _count_attempt, name, attempt)
    stored = found.password_hash if found else None
    ok = await run_in_threadpool(passwords.verify, stored, body.password)
    if found is None or not ok or not found.active:
        raise ApiError(401, "sign-in-failed", "Wrong username or password")
    new_hash = None
    if passwords.needs_rehash(found.password_hash):
        new_hash = await run_in_threadpool(passwords.hash, body.password)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    body_out = await in_session(
        request, _start_session, found, attempt, new_hash, token, csrf, settings.session_hours
    )
    response = JSONResponse(body_out)
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


def _count_attempt(session: Session, name: str, attempt: _Attempt) -> _Found | None:
    """Refuse a locked name or address; else count this attempt as a failure up front
    (taken back on success), so that guesses sent in parallel meet the lock too."""
    _check_lock(session, attempt.keys, attempt.now)
    user = accounts.user_by_name(session, name)
    for key, limit in zip(attempt.keys, attempt.limits, strict=True):
        accounts.record_failure(
            session, key, attempt.now, max_failures=limit, window=attempt.window
        )
    session.commit()
    return _Found(user.id, user.password_hash, user.active) if user else None


def _start_session(
    session: Session,
    found: _Found,
    attempt: _Attempt,
    new_hash: str | None,
    token: str,
    csrf: str,
    hours: float,
) -> dict[str, object]:
    user = session.get(User, found.user_id)
    if user is None or not user.active or user.password_hash != found.password_hash:
        # Removed, blocked or given a new password while the old one was being checked.
        raise ApiError(401, "sign-in-failed", "Wrong username or password")
    name_key, address_key = attempt.keys
    accounts.clear_failures(session, name_key)
    accounts.forgive_failure(session, address_key, max_failures=attempt.limits[1])
    if new_hash is not None:
        user.password_hash = new_hash
    accounts.delete_expired_sessions(session, attempt.now)
    expires = attempt.now + dt.timedelta(hours=hours)
    accounts.add_session(
        session, user_id=user.id, token_hash=token_hash(token), csrf_token=csrf, expires_at=expires
    )
    body_out: dict[str, object] = {
        "token": token,
        "token_type": "bearer",
        "expires_at": views.iso(expires),
        "csrf_token": csrf,
        "user": user_json(session, user),
    }
    session.commit()
    return body_out


@router.delete("/session", status_code=204, responses=SIGNED_IN, summary="Sign out")
def sign_out(ctx: UserCtx, session: DB) -> Response:
    assert ctx.user is not None
    accounts.delete_session(session, ctx.user.token_hash)
    session.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/session", response_model=UserOut, responses=SIGNED_IN, summary="Who am I")
def whoami(ctx: UserCtx, session: DB) -> JSONResponse:
    assert ctx.user is not None
    out = user_json(session, ctx.user)
    session.commit()
    return JSONResponse(out)
