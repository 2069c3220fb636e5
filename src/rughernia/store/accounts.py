"""Users, teams, sessions and sign-in throttling. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import LoginFailure, SessionRow, Team, TeamMember, User
from rughernia.store.upsert import upsert


def team_by_name(session: Session, name: str) -> Team | None:
    return session.scalars(select(Team).where(Team.name == name)).first()


def ensure_team(session: Session, name: str, *, at: dt.datetime | None = None) -> Team:
    team = team_by_name(session, name)
    if team is None:
        team = Team(name=name, created_at=when(at))
        session.add(team)
        session.flush()
    return team


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def add_user(
    session: Session,
    *,
    username: str,
    password_hash: str,
    role: str,
    display_name: str = "",
    team_ids: Iterable[int] = (),
    at: dt.datetime | None = None,
) -> User:
    user = User(
        username=username,
        password_hash=password_hash,
        role=role,
        display_name=display_name,
        active=True,
        created_at=when(at),
    )
    session.add(user)
    session.flush()
    for team_id in team_ids:
        session.add(TeamMember(team_id=team_id, user_id=user.id))
    session.flush()
    return user


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


_TEAM_IDS = select(TeamMember.team_id).where(TeamMember.user_id == bindparam("user_id"))


def team_ids_of(session: Session, user_id: int) -> list[int]:
    return sorted(session.scalars(_TEAM_IDS, {"user_id": user_id}))


def teams_of(session: Session, user_id: int) -> list[tuple[int, str]]:
    """A user's teams (id, name), by name."""
    stmt = (
        select(Team.id, Team.name)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user_id)
        .order_by(Team.name)
    )
    return [(int(i), str(n)) for i, n in session.execute(stmt)]


def team_names_of(session: Session, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """Every user's team names in one query (lists of users must not cost a query each)."""
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(TeamMember.user_id, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.user_id.in_(list(user_ids)))
        .order_by(Team.name)
    )
    for user_id, name in rows:
        out.setdefault(user_id, []).append(name)
    return out


def member_ids(session: Session, team_id: int) -> set[int]:
    """The users in a team."""
    return set(session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team_id)))


def delete_user(session: Session, user_id: int) -> None:
    session.execute(delete(User).where(User.id == user_id))


# --- sessions ---------------------------------------------------------------------


def add_session(
    session: Session,
    *,
    user_id: int,
    token_hash: str,
    csrf_token: str,
    expires_at: dt.datetime,
    at: dt.datetime | None = None,
) -> SessionRow:
    row = SessionRow(
        token_hash=token_hash,
        user_id=user_id,
        csrf_token=csrf_token,
        created_at=when(at),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session and its user: what every authenticated request needs, nothing more."""

    session_id: int
    token_hash: str
    csrf_token: str
    id: int  # the user's id
    username: str
    role: str
    display_name: str


_SESSIONS = cast(Table, SessionRow.__table__)
_USERS = cast(Table, User.__table__)
# Core, built once: every authenticated request runs it, and ORM objects (or building
# the statement anew) cost more than running the query itself.
_SESSION_USER = (
    select(
        _SESSIONS.c.id,
        _SESSIONS.c.token_hash,
        _SESSIONS.c.csrf_token,
        _USERS.c.id,
        _USERS.c.username,
        _USERS.c.role,
        _USERS.c.display_name,
    )
    .join(_USERS, _USERS.c.id == _SESSIONS.c.user_id)
    .where(
        _SESSIONS.c.token_hash == bindparam("token_hash"),
        _SESSIONS.c.expires_at > bindparam("at"),
        _USERS.c.active,
    )
)


def session_user(session: Session, token_hash: str, at: dt.datetime) -> SignedIn | None:
    """The live session with this token and its (active) user, in one query."""
    row = session.connection().execute(_SESSION_USER, {"token_hash": token_hash, "at": at}).first()
    return None if row is None else SignedIn(*row)


def delete_session(session: Session, token_hash: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))


def delete_sessions_of(session: Session, user_id: int, *, keep: str | None = None) -> None:
    """Every session of the user but the one whose token hash is ``keep``."""
    stmt = delete(SessionRow).where(SessionRow.user_id == user_id)
    session.execute(stmt if keep is None else stmt.where(SessionRow.token_hash != keep))


def delete_expired_sessions(session: Session, at: dt.datetime) -> None:
    session.execute(delete(SessionRow).where(SessionRow.expires_at <= at))


# --- sign-in throttling -----------------------------------------------------------


def locked_until(
    session: Session, key: str, at: dt.datetime, *, hold: bool = False
) -> dt.datetime | None:
    """Until when sign-in is locked for ``key``, if it is.

    With ``hold``, ``key``'s count of failures is also locked until the transaction
    ends. Its row is made if new, so that the first attempts sent in parallel queue
    here too (PostgreSQL cannot lock a missing row).
    """
    if hold:
        new_row = {"key": key, "failures": 0, "window_start": at, "locked_until": None}
        upsert(session, LoginFailure.__table__, new_row, keys=["key"], update=["key"])  # type: ignore[arg-type]
    row = session.get(
        LoginFailure, key, with_for_update=True if hold else None, populate_existing=hold
    )
    if row is None or row.locked_until is None or row.locked_until <= at:
        return None
    return row.locked_until


def record_failure(
    session: Session, key: str, at: dt.datetime, *, max_failures: int, window: dt.timedelta
) -> None:
    """Count a failed sign-in; at ``max_failures`` within ``window`` the key is locked."""
    row = session.get(LoginFailure, key, with_for_update=True)
    if row is None:
        upsert(
            session,
            LoginFailure.__table__,  # type: ignore[arg-type]
            {"key": key, "failures": 1, "window_start": at, "locked_until": None},
            keys=["key"],
            update=["failures", "window_start"],
        )
        row = session.get(LoginFailure, key, populate_existing=True)
        if row is None:  # pragma: no cover - the upsert just wrote it
            return
    elif row.window_start + window <= at:
        row.failures, row.window_start, row.locked_until = 1, at, None
    else:
        row.failures += 1
    if row.failures >= max_failures:
        # A failure while locked extends the lock: guessing on does not pay.
        row.locked_until = at + window
    session.flush()


def record_address_failure(
    session: Session,
    key: str,
    at: dt.datetime,
    *,
    free: int,
    window: dt.timedelta,
    max_delay: dt.timedelta,
) -> None:
    """Count a failure from an address: never a lock, but a delay before its next attempt.

    An address is shared (a practice behind one NAT), so locking it locked everyone out.
    After ``free`` failures each one makes the next attempt from the address wait twice as
    long as the last (1, 2, 4, ... seconds, at most ``max_delay``), from this attempt on:
    ``locked_until`` is when the next may come. Here ``window_start`` is the latest
    failure, so the count ends only after a quiet ``window``; a steady attacker stays slowed.
    """
    row = session.get(LoginFailure, key, with_for_update=True)
    if row is None or row.window_start + window <= at:
        upsert(
            session,
            LoginFailure.__table__,  # type: ignore[arg-type]
            {"key": key, "failures": 0, "window_start": at, "locked_until": None},
            keys=["key"],
            update=["failures", "window_start", "locked_until"],
        )
        row = session.get(LoginFailure, key, populate_existing=True)
        if row is None:  # pragma: no cover - the upsert just wrote it
            return
    row.failures += 1
    row.window_start = at
    beyond = row.failures - free
    if beyond >= 0:
        delay = dt.timedelta(seconds=2 ** min(beyond, 30))
        row.locked_until = at + min(delay, max_delay)
    session.flush()


def forgive_failure(session: Session, key: str, *, max_failures: int) -> None:
    """Take back one counted failure (a sign-in is counted before its password is checked,
    so that attempts sent in parallel cannot outrun the lock). A lock that only this
    count caused is lifted; one that other failures caused stays."""
    row = session.get(LoginFailure, key, with_for_update=True)
    if row is None or row.failures <= 0:
        return
    row.failures -= 1
    if row.failures < max_failures:
        row.locked_until = None
    session.flush()


def clear_failures(session: Session, key: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.key == key))
