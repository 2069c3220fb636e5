"""Changing one's own password: the current one is checked, every other session ends.

As at sign-in (``care/signin.py``), two short transactions with argon2 between them,
not inside one: ``begin`` counts the attempt, the surface checks the current password
and hashes the new one, then ``finish`` (or ``refuse``, when it was wrong). A wrong
current password is a failed sign-in of the user's name and address
(``care/throttle.py``): a stolen session cannot be used to guess the password faster
than signing in could. The session that changes the password stays valid (its token
is unchanged): the user who just proved the password need not sign in again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.care import throttle
from rughernia.care.accounts import record_of
from rughernia.care.errors import Conflict, WrongPassword, invalid
from rughernia.care.passwords import password_problem
from rughernia.care.throttle import Attempt
from rughernia.store import accounts, audit
from rughernia.store.accounts import SignedIn
from rughernia.store.audit import Actor

ACTION = "password.change"


def begin(session: Session, user: SignedIn, new_password: str, attempt: Attempt) -> str:
    """The stored hash to check the current password against, once the attempt is counted
    (refused while the name or address must wait). A new password that breaks the rules
    is no guess: refused before anything is counted."""
    problem = password_problem(new_password)
    if problem:
        raise invalid("new_password", problem)
    throttle.hold(session, attempt)
    row = accounts.user_by_id(session, user.id)
    if row is None:  # pragma: no cover - the session's user was just looked up
        raise Conflict("This account no longer exists")
    throttle.count(session, attempt)
    session.commit()
    return row.password_hash


def refuse(session: Session, user: SignedIn, client_address: str | None, at: dt.datetime) -> None:
    """The current password was wrong: audited as ``denied`` (the failure stays counted)."""
    actor = Actor(user.id, user.username, user.role, client_address)
    audit.write(session, actor, ACTION, "denied", [record_of(session, user)], at=at)
    session.commit()
    raise WrongPassword("The current password is wrong")


def finish(
    session: Session,
    user: SignedIn,
    attempt: Attempt,
    *,
    old_hash: str,
    new_hash: str,
    client_address: str | None,
) -> None:
    """The new password; every other session of the user ends; the failure is forgiven."""
    row = accounts.user_by_id(session, user.id)
    if row is None or row.password_hash != old_hash:
        # Changed or reset by a simultaneous request while this one was hashing.
        raise Conflict("The password was changed meanwhile", "sign in again and retry")
    row.password_hash = new_hash
    accounts.delete_sessions_of(session, user.id, keep=user.token_hash)
    throttle.forgive(session, attempt)
    actor = Actor(user.id, user.username, user.role, client_address)
    audit.write(session, actor, ACTION, "success", [record_of(session, user)], at=attempt.now)
    session.commit()
