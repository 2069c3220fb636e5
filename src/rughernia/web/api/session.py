"""Sign-in, sign-out and "who am I". Cookie for browsers, bearer token for API clients."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from rughernia.care import signin
from rughernia.web import signing
from rughernia.web.api import views
from rughernia.web.api.schemas import SessionOut, SignIn, UserOut
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import SIGNED_IN, THROTTLED, VALIDATION

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
