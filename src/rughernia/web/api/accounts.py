"""Account management (admins), redeeming an invitation (new patients) or a password
reset code (anyone given one).

Admins see accounts and teams, never a patient's record.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from rughernia.care import accounts, password_reset, throttle
from rughernia.care.accounts import Account, NewAccount
from rughernia.care.once import HEADER, Answer
from rughernia.web import signing
from rughernia.web.api import views
from rughernia.web.api.inputs import UserId, once
from rughernia.web.api.schemas import (
    NewTeam,
    NewUser,
    Redeem,
    Redeemed,
    ResetIssued,
    ResetRedeem,
    TeamOut,
    UserOut,
)
from rughernia.web.context import DB, Hasher, UserCtx, app_state, in_session
from rughernia.web.problem_responses import CONFLICT, SIGNED_IN, THROTTLED, VALIDATION

router = APIRouter(tags=["accounts"])


@router.get("/users", response_model=list[UserOut], responses=SIGNED_IN, summary="All accounts")
def list_users(ctx: UserCtx, session: DB) -> JSONResponse:
    # Admins see who has an account, not whose record it is: no patient ids, and no patient's
    # name (that a named person is a patient of this sciatica pathway is health information).
    out = [views.account(a) for a in accounts.list_users(session, ctx.actor, at=ctx.now)]
    for item in out:
        if item["role"] == "patient":
            item["display_name"] = None
    return JSONResponse(out)


def _added(found: Account) -> Answer:
    return 201, views.account(found)


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    responses={**SIGNED_IN, **CONFLICT},
    summary="Add a clinician or admin account",
)
def add_user(
    body: NewUser,
    ctx: UserCtx,
    session: DB,
    hasher: Hasher,
    idempotency_key: str | None = Header(default=None, alias=HEADER),
) -> JSONResponse:
    new = NewAccount(body.username, body.password, body.role, body.display_name, body.teams)
    retry = once(ctx, idempotency_key, "POST", "/users", body.model_dump(), _added)
    added = accounts.add_user(session, ctx.actor, hasher, new, at=ctx.now, once=retry)
    status, out = _added(added)
    return JSONResponse(out, status)


@router.get("/teams", response_model=list[TeamOut], responses=SIGNED_IN, summary="Teams")
def list_teams(ctx: UserCtx, session: DB) -> JSONResponse:
    """Admins see every team; clinicians their own."""
    teams = accounts.list_teams(session, ctx.actor, at=ctx.now)
    return JSONResponse([{"id": t.id, "name": t.name} for t in teams])


@router.post(
    "/teams",
    status_code=201,
    response_model=TeamOut,
    responses={**SIGNED_IN, **CONFLICT},
    summary="Add a team",
)
def add_team(body: NewTeam, ctx: UserCtx, session: DB) -> JSONResponse:
    team = accounts.add_team(session, ctx.actor, body.name, at=ctx.now)
    return JSONResponse({"id": team.id, "name": team.name}, 201)


@router.post(
    "/invitations/redeem",
    status_code=201,
    response_model=Redeemed,
    responses={
        **VALIDATION,
        **CONFLICT,
        **THROTTLED,
        404: {"description": "Unknown or expired code"},
    },
    summary="Redeem an invitation: the patient chooses a username and password",
)
async def redeem(body: Redeem, request: Request) -> JSONResponse:
    """No sign-in is needed (a token sent along is not used). As at sign-in, the password
    is hashed between two short transactions, not inside one (see ``care.invitations``)."""
    found = await signing.redeem(request, body.code, body.username, body.password)
    return JSONResponse({"user": views.account(found)}, 201)


@router.post(
    "/users/{user_id}/password-reset",
    status_code=201,
    response_model=ResetIssued,
    responses={**SIGNED_IN, 404: {"description": "No such account"}},
    summary="A one-time password reset code for a clinician (admins)",
)
def reset_user_password(user_id: UserId, ctx: UserCtx, session: DB) -> JSONResponse:
    hours = ctx.settings.reset_code_hours
    issued = password_reset.for_user(session, ctx.actor, user_id, hours=hours, at=ctx.now)
    return JSONResponse(views.reset_issued(issued), 201)


@router.post(
    "/password-resets/redeem",
    status_code=204,
    responses={**VALIDATION, **THROTTLED, 404: {"description": "Unknown, used or expired code"}},
    summary="Redeem a password reset code: set a new password; every session of the user ends",
)
async def redeem_reset(body: ResetRedeem, request: Request) -> Response:
    """No sign-in is needed. Throttled as invitation redeem is, and like it, the password is
    hashed between two short transactions, not inside one (see ``care.password_reset``)."""
    state = app_state(request)
    client = request.client.host if request.client else None
    policy = throttle.policy(state.settings, max_failures=state.settings.redeem_max_failures)
    attempt = await in_session(
        request,
        password_reset.check,
        code=body.code,
        password=body.password,
        client_address=client,
        policy=policy,
        at=state.clock(),
    )
    hashed = await run_in_threadpool(state.passwords.hash, body.password)
    await in_session(
        request,
        password_reset.finish,
        attempt,
        code=body.code,
        password_hash=hashed,
        client_address=client,
    )
    return Response(status_code=204)
