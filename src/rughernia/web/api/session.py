"""Sign-in, sign-out and "who am I". Cookie for browsers, bearer token for API clients."""

from __future__ import annotations

import datetime as dt
import math
import secrets

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

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
    AnyCtx,
    Hasher,
    UserCtx,
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


def _check_lock(session: Session, keys: list[str], now: dt.datetime) -> None:
    for key in keys:
        until = accounts.locked_until(session, key, now)
        if until is not None:
            wait = max(1, math.ceil((until - now).total_seconds()))
            raise ApiError(
                429,
                "throttled",
                "Too many failed sign-ins",
                f"try again in {wait} seconds",
                headers={"Retry-After": str(wait)},
            )


@router.post(
    "/session",
    response_model=SessionOut,
    responses={**VALIDATION, **THROTTLED, 401: SIGNED_IN[401]},
    summary="Sign in",
)
def sign_in(
    body: SignIn, request: Request, ctx: AnyCtx, session: DB, passwords: Hasher
) -> JSONResponse:
    settings = ctx.settings
    name = body.username.strip().lower()
    keys = [f"name:{name}", f"addr:{ctx.client_address}"]
    _check_lock(session, keys, ctx.now)
    user = accounts.user_by_name(session, name)
    ok = passwords.verify(user.password_hash if user else None, body.password)
    if user is None or not ok or not user.active:
        window = dt.timedelta(minutes=settings.login_window_minutes)
        limits = [settings.login_max_failures, settings.login_max_failures * ADDRESS_FACTOR]
        for key, limit in zip(keys, limits, strict=True):
            accounts.record_failure(session, key, ctx.now, max_failures=limit, window=window)
        session.commit()
        raise ApiError(401, "sign-in-failed", "Wrong username or password")
    accounts.clear_failures(session, keys[0])
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash(body.password)
    accounts.delete_expired_sessions(session, ctx.now)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires = ctx.now + dt.timedelta(hours=settings.session_hours)
    accounts.add_session(
        session, user_id=user.id, token_hash=token_hash(token), csrf_token=csrf, expires_at=expires
    )
    body_out = {
        "token": token,
        "token_type": "bearer",
        "expires_at": views.iso(expires),
        "csrf_token": csrf,
        "user": user_json(session, user),
    }
    session.commit()
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
