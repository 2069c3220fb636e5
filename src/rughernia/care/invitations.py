"""Redeeming an invitation: a new patient takes their record and chooses a name and password.

Like signing in, two short transactions with the argon2 hash between them, not
inside one (where it held the database connection, on SQLite the write lock of
every process, for about 0.1 s): ``check`` counts the attempt and checks the
code and the name, the surface hashes the password, ``finish`` makes the account.

Throttled (``care/throttle.py``) per valid code, so that one code cannot be
used to test which usernames exist (a taken name answers 409 and the code stays
valid), and per address, so that codes cannot be guessed quickly.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.care import throttle
from rughernia.care.accounts import Account, name_free, new_password
from rughernia.care.codes import code_hash
from rughernia.care.errors import InvitationUnknown
from rughernia.care.throttle import Attempt, Policy
from rughernia.store import accounts, audit, record
from rughernia.store.audit import Actor
from rughernia.store.tables import PatientRow


def _invited(session: Session, code: str, at: dt.datetime) -> PatientRow | None:
    """The patient this code invites (locked), if the code is known, unused and unexpired."""
    row = record.patient_by_invitation(session, code_hash(code))
    expires = row.invitation_expires_at if row else None
    if row is None or expires is None or expires <= at or row.user_id is not None:
        return None
    return row


def check(
    session: Session,
    *,
    code: str,
    username: str,
    password: str,
    client_address: str | None,
    policy: Policy,
    at: dt.datetime,
) -> Attempt:
    """Count the attempt (refused while its code or address must wait), then check the
    code and that the name is free. The count is committed before either check, so a
    wrong code or a taken name stays counted."""
    new_password(password)  # a password that breaks the rules is no guess: not counted
    row = _invited(session, code, at)
    own = f"code:{code_hash(code)}" if row is not None else None
    attempt = Attempt(own, f"redeem:{client_address}", policy, at)
    throttle.hold(session, attempt)
    throttle.count(session, attempt)
    session.commit()
    if row is None:
        raise InvitationUnknown("This invitation code is unknown or has expired")
    name_free(session, username)
    session.rollback()  # nothing written since the commit; the connection goes back now
    return attempt


def finish(
    session: Session,
    attempt: Attempt,
    *,
    code: str,
    username: str,
    password_hash: str,
    client_address: str | None,
) -> Account:
    """The account, linked to the record; the code is used up. Nobody is signed in, so
    the audit record names the new account as who acted."""
    at = attempt.now
    row = _invited(session, code, at)
    if row is None:  # used by a simultaneous request while the password was hashed
        raise InvitationUnknown("This invitation code is unknown or has expired")
    name_free(session, username)
    user = accounts.add_user(
        session,
        username=username,
        password_hash=password_hash,
        role="patient",
        display_name=row.display_name,
        at=at,
    )
    row.user_id, row.invitation_hash, row.invitation_expires_at = user.id, None, None
    throttle.forgive(session, attempt)
    session.flush()
    actor = Actor(user.id, user.username, user.role, client_address)
    audit.write(session, actor, "invitation.redeem", "success", [row.id], at=at)
    out = Account(user, [], row.id)
    session.commit()
    return out
