"""Account management (admins) and redeeming an invitation (new patients).

Admins see accounts and teams, never a patient's record.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from rughernia.pathway.checks import Problem
from rughernia.store import accounts, audit, record
from rughernia.web import idempotency
from rughernia.web.access import require_role
from rughernia.web.api import views
from rughernia.web.api.errors import CONFLICT, SIGNED_IN, VALIDATION
from rughernia.web.api.schemas import NewTeam, NewUser, Redeem, Redeemed, TeamOut, UserOut
from rughernia.web.context import DB, AnyCtx, Hasher, UserCtx
from rughernia.web.passwords import password_problem
from rughernia.web.problems import ApiError, invalid

router = APIRouter(tags=["accounts"])


def invitation_hash(code: str) -> str:
    """Codes are typed by people: case, spaces and dashes do not matter."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_password(password: str, path: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise invalid([Problem(path, problem)])


def _name_taken(session: Session, username: str) -> None:
    if accounts.user_by_name(session, username) is not None:
        raise ApiError(
            409,
            "username-taken",
            "This username is taken",
            errors=[Problem("username", "is taken; choose another")],
        )


@router.get("/users", response_model=list[UserOut], responses=SIGNED_IN, summary="All accounts")
def list_users(ctx: UserCtx, session: DB) -> JSONResponse:
    require_role(session, ctx, "users.list", "admin")
    users = accounts.list_users(session)
    teams = accounts.team_names_of(session, [u.id for u in users])
    # Admins see who has an account, not whose record it is: no patient ids, and no patient's
    # name (that a named person is a patient of this sciatica pathway is health information).
    out = [views.user(u, teams.get(u.id, []), None) for u in users]
    for item in out:
        if item["role"] == "patient":
            item["display_name"] = None
    audit.write(session, ctx.actor, "users.list", "success")
    session.commit()
    return JSONResponse(out)


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
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> JSONResponse:
    require_role(session, ctx, "users.create", "admin")
    key = idempotency.check_key(idempotency_key)
    print_ = idempotency.fingerprint("POST", "/users", body.model_dump())
    replayed = idempotency.replay(session, ctx, key, print_)
    if replayed is not None:
        return replayed
    _new_password(body.password)
    _name_taken(session, body.username)
    team_ids = [accounts.ensure_team(session, name.strip()).id for name in body.teams]
    user = accounts.add_user(
        session,
        username=body.username,
        password_hash=hasher.hash(body.password),
        role=body.role,
        display_name=body.display_name,
        team_ids=team_ids,
    )
    out = views.user(user, sorted(name.strip() for name in body.teams), None)
    idempotency.remember(session, ctx, key, print_, 201, out, None)
    audit.write(session, ctx.actor, "users.create", "success")
    session.commit()
    return JSONResponse(out, 201)


@router.get("/teams", response_model=list[TeamOut], responses=SIGNED_IN, summary="Teams")
def list_teams(ctx: UserCtx, session: DB) -> JSONResponse:
    """Admins see every team; clinicians their own."""
    require_role(session, ctx, "teams.list", "admin", "clinician")
    teams = accounts.list_teams(session)
    assert ctx.user is not None
    if ctx.user.role == "clinician":
        mine = set(ctx.team_ids(session))
        teams = [t for t in teams if t.id in mine]
    session.commit()
    return JSONResponse([{"id": t.id, "name": t.name} for t in teams])


@router.post(
    "/teams",
    status_code=201,
    response_model=TeamOut,
    responses={**SIGNED_IN, **CONFLICT},
    summary="Add a team",
)
def add_team(body: NewTeam, ctx: UserCtx, session: DB) -> JSONResponse:
    require_role(session, ctx, "teams.create", "admin")
    name = body.name.strip()
    if not name:
        raise invalid([Problem("name", "must not be empty")])
    if accounts.team_by_name(session, name) is not None:
        raise ApiError(409, "team-exists", "A team with this name exists")
    team = accounts.ensure_team(session, name)
    audit.write(session, ctx.actor, "teams.create", "success")
    session.commit()
    return JSONResponse({"id": team.id, "name": team.name}, 201)


@router.post(
    "/invitations/redeem",
    status_code=201,
    response_model=Redeemed,
    responses={
        **VALIDATION,
        **CONFLICT,
        # No sign-in is needed and a token sent along is not used; a malformed
        # Authorization header is still refused (401).
        401: SIGNED_IN[401],
        404: {"description": "Unknown or expired code"},
    },
    summary="Redeem an invitation: the patient chooses a username and password",
)
def redeem(body: Redeem, ctx: AnyCtx, session: DB, hasher: Hasher) -> JSONResponse:
    row = record.patient_by_invitation(session, invitation_hash(body.code))
    expires = row.invitation_expires_at if row else None
    if row is None or expires is None or expires <= ctx.now or row.user_id is not None:
        raise ApiError(404, "invitation-unknown", "This invitation code is unknown or has expired")
    _new_password(body.password)
    _name_taken(session, body.username)
    user = accounts.add_user(
        session,
        username=body.username,
        password_hash=hasher.hash(body.password),
        role="patient",
        display_name=row.display_name,
    )
    row.user_id, row.invitation_hash, row.invitation_expires_at = user.id, None, None
    session.flush()
    actor = audit.Actor(user.id, user.username, user.role, ctx.client_address)
    audit.write(session, actor, "invitation.redeem", "success", [row.id])
    out = {"user": views.user(user, [], row.id)}
    session.commit()
    return JSONResponse(out, 201)
