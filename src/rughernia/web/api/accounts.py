"""Account management (admins) and redeeming an invitation (new patients).

Admins see accounts and teams, never a patient's record.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from rughernia.care import accounts
from rughernia.care.accounts import Account, NewAccount
from rughernia.care.once import HEADER, Answer
from rughernia.web import signing
from rughernia.web.api import views
from rughernia.web.api.inputs import once
from rughernia.web.api.schemas import NewTeam, NewUser, Redeem, Redeemed, TeamOut, UserOut
from rughernia.web.context import DB, Hasher, UserCtx
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
