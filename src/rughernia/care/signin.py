"""Signing in (with throttling), the session behind a token, signing out, "who am I".

Signing in is two short transactions with the password check between them,
not inside one: argon2 takes about 0.1 s of CPU, and inside a transaction it
held the database connection (on SQLite, the write lock of all processes) all
that time. So the surface calls ``count_attempt``, checks the password itself,
then calls ``start_session``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rughernia.care import throttle
from rughernia.care.accounts import Account, account_of
from rughernia.care.errors import SignInFailed
from rughernia.care.throttle import Attempt, Policy
from rughernia.store import accounts
from rughernia.store.accounts import SignedIn
from rughernia.store.tables import User


def token_hash(token: str) -> str:
    """What the database keeps of a session token: a copy of it does not let anyone sign in."""
    return hashlib.sha256(token.encode()).hexdigest()


def name_key(name: str) -> str:
    """The throttle's key of a name: its failures lock it for sign-in."""
    return f"name:{name}"


def attempt(name: str, client: str | None, policy: Policy, now: dt.datetime) -> Attempt:
    """A sign-in's throttling keys: the name's (locked after failures) and the address's."""
    return Attempt(name_key(name), f"addr:{client}", policy, now)


@dataclass(frozen=True, slots=True)
class Found:
    user_id: int
    password_hash: str
    active: bool


@dataclass(frozen=True, slots=True)
class Started:
    account: Account
    expires_at: dt.datetime


def count_attempt(session: Session, name: str, attempt: Attempt) -> Found | None:
    """Refuse a locked name or a waiting address; else count this attempt as a failure up
    front (taken back on success), so that guesses sent in parallel meet the lock too."""
    throttle.hold(session, attempt)
    user = accounts.user_by_name(session, name)
    throttle.count(session, attempt)
    session.commit()
    return Found(user.id, user.password_hash, user.active) if user else None


def start_session(
    session: Session,
    found: Found,
    attempt: Attempt,
    new_hash: str | None,
    token: str,
    csrf: str,
    hours: float,
) -> Started:
    """The password was right: a new session (the token's hash is kept), failures forgiven."""
    user = session.get(User, found.user_id)
    if user is None or not user.active or user.password_hash != found.password_hash:
        # Removed, blocked or given a new password while the old one was being checked.
        raise SignInFailed("Wrong username or password")
    throttle.forgive(session, attempt)
    if new_hash is not None:
        user.password_hash = new_hash
    accounts.delete_expired_sessions(session, attempt.now)
    expires = attempt.now + dt.timedelta(hours=hours)
    accounts.add_session(
        session,
        user_id=user.id,
        token_hash=token_hash(token),
        csrf_token=csrf,
        expires_at=expires,
        at=attempt.now,
    )
    out = Started(account_of(session, user), expires)
    session.commit()
    return out


def signed_in(session: Session, token: str, at: dt.datetime) -> SignedIn | None:
    """The live session with this token and its (active) user; None when there is none."""
    return accounts.session_user(session, token_hash(token), at)


def sign_out(session: Session, user: SignedIn) -> None:
    accounts.delete_session(session, user.token_hash)
    session.commit()


def whoami(session: Session, user: SignedIn) -> Account:
    out = account_of(session, user)
    session.commit()
    return out
