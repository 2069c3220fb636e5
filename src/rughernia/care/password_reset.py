"""Password reset: a one-time code, issued for someone else's account, sets a new password.

Who issues a code for whom (docs/api.md, "Password reset"): a clinician for a patient
of their own teams (another team's patient is ``NotFound``, as every record is); an
admin for a clinician. Nobody here resets an admin's password, and an admin never a
patient's: a patient's account opens their health record, which admins never see.

A code is shown once and kept only as its hash (``care/codes.py``, as invitations
are); it expires, is used once, and a newer code for the same user voids the older.
Redeeming is anonymous and, like an invitation (``care/invitations.py``), two short
transactions with the argon2 hash between them, throttled per code and per address.
The address's counter is the invitations' own: guessing either kind of code from one
address adds up. Using a code ends every session of the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rughernia.care import signin, throttle
from rughernia.care.access import Actor, as_role, on_record, refuse
from rughernia.care.accounts import new_password, record_of
from rughernia.care.codes import code_hash, new_code
from rughernia.care.errors import Forbidden, NoAccount, NotFound, ResetCodeUnknown
from rughernia.care.throttle import Attempt, Policy
from rughernia.store import accounts, audit, resets
from rughernia.store.tables import User

ISSUE = "password_reset.issue"
REDEEM = "password_reset.redeem"
_UNKNOWN = "This reset code is unknown, used or expired"


@dataclass(frozen=True, slots=True)
class Issued:
    code: str  # shown once; only its hash is stored
    expires_at: dt.datetime
    username: str  # whose password the code sets


def _issue(session: Session, actor: Actor, user: User, hours: int, at: dt.datetime) -> Issued:
    code = new_code()
    expires = at + dt.timedelta(hours=hours)
    resets.issue(
        session,
        user_id=user.id,
        code_hash=code_hash(code),
        issued_by=actor.user_id,
        at=at,
        expires_at=expires,
    )
    return Issued(code, expires, user.username)


def for_patient(
    session: Session, actor: Actor, patient_id: int, *, hours: int, at: dt.datetime
) -> Issued:
    """A clinician's code for a patient of their teams, audited on the patient's record."""
    with on_record(
        session, actor, patient_id, ISSUE, at=at, roles=("clinician",), lock=True
    ) as step:
        user_id = step.record.user_id
        user = accounts.user_by_id(session, user_id) if user_id is not None else None
        if user is None:
            raise NoAccount(
                "This patient has no account yet", "they join with their invitation code"
            )
        return _issue(session, actor, user, hours, at)


def for_user(
    session: Session, actor: Actor, user_id: int, *, hours: int, at: dt.datetime
) -> Issued:
    """An admin's code for a clinician's account (no record: the audit row names none)."""
    with as_role(session, actor, ISSUE, "admin", at=at) as step:
        user = accounts.user_by_id(session, user_id)
        if user is None:
            raise refuse(step, NotFound("No such account"))
        if user.role != "clinician":
            detail = (
                "a patient's password is reset by a clinician of their team"
                if user.role == "patient"
                else "an administrator's password is set by the operator"
            )
            raise refuse(step, Forbidden("An admin may reset only a clinician's password", detail))
        return _issue(session, actor, user, hours, at)


def check(
    session: Session,
    *,
    code: str,
    password: str,
    client_address: str | None,
    policy: Policy,
    at: dt.datetime,
) -> Attempt:
    """Count the attempt (refused while its code or address must wait), then check the
    code. The count, and for an unusable code its audit row, are committed first."""
    new_password(password)  # a password that breaks the rules is no guess: not counted
    hashed = code_hash(code)
    row = resets.usable(session, hashed, at)
    attempt = Attempt(f"reset:{hashed}" if row else None, f"redeem:{client_address}", policy, at)
    throttle.hold(session, attempt)
    throttle.count(session, attempt)
    if row is None:
        audit.write(session, Actor(None, None, None, client_address), REDEEM, "denied", at=at)
    session.commit()
    if row is None:
        raise ResetCodeUnknown(_UNKNOWN)
    return attempt


def finish(
    session: Session,
    attempt: Attempt,
    *,
    code: str,
    password_hash: str,
    client_address: str | None,
) -> None:
    """The new password; the code is used up; every session of the user ends. The user's
    failed sign-ins are forgiven too: they may have locked their name trying to remember."""
    at = attempt.now
    row = resets.usable(session, code_hash(code), at, lock=True)
    user = accounts.user_by_id(session, row.user_id) if row else None
    if row is None or user is None:  # used by a simultaneous request while hashing
        raise ResetCodeUnknown(_UNKNOWN)
    user.password_hash = password_hash
    row.used_at = at
    accounts.delete_sessions_of(session, user.id)
    throttle.forgive(session, attempt)
    accounts.clear_failures(session, signin.name_key(user.username))
    actor = Actor(user.id, user.username, user.role, client_address)
    audit.write(session, actor, REDEEM, "success", [record_of(session, user)], at=at)
    session.commit()
