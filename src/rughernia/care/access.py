"""Who may touch which record, and the audit record of every attempt: one audited step.

A patient reaches only their own record, a clinician only the patients of
their teams; an admin manages accounts and never sees health data. A record
that exists but is not yours is ``NotFound``, the same as one that does not
exist, so ids cannot be probed.

Every operation runs inside one step, which checks access, audits the
outcome and ends the transaction::

    with on_record(session, actor, patient_id, "diary.write", at=at, lock=True) as step:
        ...  # the work, on step.patient

A refusal is audited as ``denied`` and committed at once (the attempt is kept
although nothing else is); the work's success is audited in the same
transaction as the work and committed with it. An error raised by the work
leaves no audit row: nothing happened, and the session's owner rolls it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from rughernia.care.errors import CareError, Forbidden, NotFound, NotSignedIn
from rughernia.store import audit, record
from rughernia.store.audit import Actor
from rughernia.store.record import Patient

__all__ = [
    "PATIENT_OR_CLINICIAN",
    "Actor",
    "Step",
    "as_role",
    "on_record",
    "refuse",
    "unauthenticated",
]

PATIENT_OR_CLINICIAN = ("patient", "clinician")


@dataclass(slots=True)
class Step:
    """One audited step: who acts, on what, and what its audit record will say."""

    session: Session
    actor: Actor
    action: str
    at: dt.datetime
    patient: Patient | None = None  # the record reached, in a step on one record
    # The patients the success record names, one row each; empty: no record is written.
    audited: list[int | None] = field(default_factory=lambda: [None])
    outcome: str = "success"

    @property
    def record(self) -> Patient:
        assert self.patient is not None, "only a step on one record has a patient"
        return self.patient


@contextmanager
def on_record(
    session: Session,
    actor: Actor,
    patient_id: int,
    action: str,
    *,
    at: dt.datetime,
    roles: Iterable[str] = PATIENT_OR_CLINICIAN,
    lock: bool = False,
) -> Iterator[Step]:
    """A step on one patient's record, if ``actor`` may do ``action`` on it.

    ``lock`` serialises writers of one record (see ``store.record.patient``).
    """
    step = Step(session, actor, action, at)
    if actor.user_id is None:
        raise NotSignedIn("Sign in first")
    if actor.role not in set(roles):
        _deny(step, patient_id)
        if actor.role == "admin":
            raise Forbidden("Admins manage accounts and see no health data")
        raise Forbidden(_not_for(actor.role))
    row = record.patient(session, patient_id, user_id=actor.user_id, lock=lock)
    if row is None or not _reaches(actor, row):
        _deny(step, patient_id)
        raise NotFound("No such patient")
    step.patient, step.audited = row, [row.id]
    yield step
    _finish(step)


@contextmanager
def as_role(
    session: Session, actor: Actor, action: str, *roles: str, at: dt.datetime
) -> Iterator[Step]:
    """A step about no single record (lists, creation, accounts), for these roles only."""
    step = Step(session, actor, action, at)
    if actor.user_id is None:
        raise NotSignedIn("Sign in first")
    if actor.role not in roles:
        _deny(step, None)
        raise Forbidden(_not_for(actor.role))
    yield step
    _finish(step)


def refuse(step: Step, error: CareError, patient_id: int | None = None) -> CareError:
    """A refusal found inside a step (the role was right, the target is not): recorded as
    ``denied`` and committed, as a refusal at the door is; the caller raises ``error``."""
    _deny(step, patient_id)
    return error


def _not_for(role: str | None) -> str:
    """ "An admin may not do this", "A patient may not do this": the article fits the role."""
    name = role or "user"
    article = "An" if name[0] in "aeiou" else "A"
    return f"{article} {name} may not do this"


def _reaches(actor: Actor, row: Patient) -> bool:
    if actor.role == "patient":
        return row.user_id == actor.user_id
    if actor.role == "clinician":
        return row.in_team_of_user
    return actor.role == "admin"


def _deny(step: Step, patient_id: int | None) -> None:
    """Record the refusal durably (committed now, without the work), then the caller raises."""
    step.session.rollback()
    audit.write(step.session, step.actor, step.action, "denied", [patient_id], at=step.at)
    step.session.commit()


def _finish(step: Step) -> None:
    """Audit the outcome in the same transaction as the work, and commit both."""
    audit.write(step.session, step.actor, step.action, step.outcome, step.audited, at=step.at)
    step.session.commit()


def unauthenticated(
    session: Session, client_address: str | None, action: str, patient_id: int, at: dt.datetime
) -> None:
    """An attempt on a record without a valid session is audited too (and committed)."""
    session.rollback()
    audit.write(
        session,
        Actor(None, None, None, client_address),
        action,
        "unauthenticated",
        [patient_id],
        at=at,
    )
    session.commit()
