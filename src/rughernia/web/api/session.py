"""Sign-in, sign-out and "who am I". Cookie for browsers, bearer token for API clients."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rughernia.care import password_change, signin, throttle
from rughernia.care.shapes import SignedIn
from rughernia.care.throttle import Attempt
from rughernia.web import signing
from rughernia.web.api import views
from rughernia.web.api.schemas import PasswordChange, SessionOut, SignIn, UserOut
from rughernia.web.context import (
    DB,
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
    new = await signing.sign_in(request, body.username, body.password)
    response = JSONResponse(
        {
            "token": new.token,
            "token_type": "bearer",
            "expires_at": views.iso(new.started.expires_at),
            "csrf_token": new.csrf,
            "user": views.account(new.started.account),
        }
    )
    signing.set_session_cookies(request, response, new)
    return response


@router.delete("/session", status_code=204, responses=SIGNED_IN, summary="Sign out")
def sign_out(ctx: UserCtx, session: DB) -> Response:
    assert ctx.user is not None
    signin.sign_out(session, ctx.user)
    response = Response(status_code=204)
    signing.clear_session_cookies(response)
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
