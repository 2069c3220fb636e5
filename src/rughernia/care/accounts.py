"""Accounts and teams (admins); the rules for a new account's name and password.

Admins see accounts and teams, never a patient's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from rughernia.care.access import Actor, as_role
from rughernia.care.errors import TeamExists, UsernameTaken, invalid
from rughernia.care.names import checked_name
from rughernia.care.once import Once
from rughernia.care.passwords import Passwords, password_problem
from rughernia.pathway.checks import Problem
from rughernia.store import accounts, record
from rughernia.store.accounts import SignedIn
from rughernia.store.tables import Team, User

# 3 to 64 lower-case letters, digits, '.', '_' or '-': for every surface (the API's schema too).
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"


@dataclass(frozen=True, slots=True)
class Account:
    user: User | SignedIn
    teams: list[str]  # the names of the user's teams, sorted
    patient_id: int | None = None  # a patient's own record, where the answer may say it


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A clinician's or admin's account to be made, in these teams (made when new)."""

    username: str
    password: str
    role: str
    display_name: str = ""
    teams: list[str] = field(default_factory=list)


def new_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise invalid("password", problem)


def name_free(session: Session, username: str) -> None:
    if accounts.user_by_name(session, username) is not None:
        raise UsernameTaken(
            "This username is taken", problems=[Problem("username", "is taken; choose another")]
        )


def list_users(session: Session, actor: Actor, *, at: dt.datetime) -> list[Account]:
    with as_role(session, actor, "users.list", "admin", at=at):
        users = accounts.list_users(session)
        teams = accounts.team_names_of(session, [u.id for u in users])
    return [Account(u, teams.get(u.id, [])) for u in users]


def add_user(
    session: Session,
    actor: Actor,
    passwords: Passwords,
    new: NewAccount,
    *,
    at: dt.datetime,
    once: Once[Account] | None = None,
) -> Account:
    """An admin adds a clinician or admin account."""
    with as_role(session, actor, "users.create", "admin", at=at):
        if once is not None:
            once.replay(session, actor, at)
        out = create_account(session, passwords, new, at=at)
        if once is not None:
            once.remember(session, actor, out, None, at)
    return out


def create_account(
    session: Session, passwords: Passwords, new: NewAccount, *, at: dt.datetime
) -> Account:
    """The account itself, with no one's permission asked (``add_user``, ``rughernia user add``).

    The caller commits.
    """
    display_name = checked_name("display_name", new.display_name, optional=True)
    teams = [checked_name(f"teams[{i}]", name) for i, name in enumerate(new.teams)]
    new_password(new.password)
    name_free(session, new.username)
    team_ids = [accounts.ensure_team(session, name, at=at).id for name in teams]
    user = accounts.add_user(
        session,
        username=new.username,
        password_hash=passwords.hash(new.password),
        role=new.role,
        display_name=display_name,
        team_ids=team_ids,
        at=at,
    )
    return Account(user, sorted(teams))


def list_teams(session: Session, actor: Actor, *, at: dt.datetime) -> list[Team]:
    """Admins see every team; clinicians their own. Team names are not audited."""
    with as_role(session, actor, "teams.list", "admin", "clinician", at=at) as step:
        teams = accounts.list_teams(session)
        if actor.role == "clinician":
            assert actor.user_id is not None
            mine = set(accounts.team_ids_of(session, actor.user_id))
            teams = [t for t in teams if t.id in mine]
        step.audited = []
    return teams


def add_team(session: Session, actor: Actor, name: str, *, at: dt.datetime) -> Team:
    with as_role(session, actor, "teams.create", "admin", at=at):
        name = checked_name("name", name)
        if accounts.team_by_name(session, name) is not None:
            raise TeamExists("A team with this name exists")
        team = accounts.ensure_team(session, name, at=at)
    return team


def account_of(session: Session, user: User | SignedIn) -> Account:
    """A user with their team names and, for a patient, their own record's id."""
    teams = accounts.team_names_of(session, [user.id]).get(user.id, [])
    patient = record.patient_of_user(session, user.id) if user.role == "patient" else None
    return Account(user, teams, patient.id if patient else None)


def record_of(session: Session, user: User | SignedIn) -> int | None:
    """A patient's own record id, else None. What happens to a patient's account (a password
    changed or reset) is audited on their record, so that their access log shows it."""
    patient = record.patient_of_user(session, user.id) if user.role == "patient" else None
    return patient.id if patient else None
