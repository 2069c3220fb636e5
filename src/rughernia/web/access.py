"""Who may touch which patient's record, and the audit record of every attempt.

A patient reaches only their own record, a clinician only the patients of
their teams; an admin manages accounts and never sees health data. A record
that exists but is not yours answers 404, the same as one that does not
exist, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from rughernia.store import audit, record
from rughernia.store.record import Patient
from rughernia.web.context import Ctx
from rughernia.web.problems import ApiError

PATIENT_OR_CLINICIAN = ("patient", "clinician")


def patient_for(
    session: Session,
    ctx: Ctx,
    patient_id: int,
    action: str,
    *,
    roles: Iterable[str] = PATIENT_OR_CLINICIAN,
    lock: bool = False,
) -> Patient:
    """The patient row if this user may do ``action`` on it; otherwise audit and refuse."""
    user = ctx.user
    if user is None:  # routes use UserCtx; this keeps the rule here complete
        raise ApiError(401, "unauthenticated", "Sign in first")
    if user.role not in set(roles):
        deny(session, ctx, action, patient_id)
        if user.role == "admin":
            raise ApiError(403, "forbidden", "Admins manage accounts and see no health data")
        raise ApiError(403, "forbidden", f"A {user.role} may not do this")
    row = record.patient(session, patient_id, user_id=user.id, lock=lock)
    if row is None or not _reaches(ctx, row):
        deny(session, ctx, action, patient_id)
        raise ApiError(404, "not-found", "No such patient")
    return row


def _reaches(ctx: Ctx, row: Patient) -> bool:
    assert ctx.user is not None
    if ctx.user.role == "patient":
        return row.user_id == ctx.user.id
    if ctx.user.role == "clinician":
        return row.in_team_of_user
    return ctx.user.role == "admin"


def require_role(session: Session, ctx: Ctx, action: str, *roles: str) -> None:
    """For routes about no single patient (lists, creation, account management)."""
    assert ctx.user is not None
    if ctx.user.role not in roles:
        deny(session, ctx, action, None)
        raise ApiError(403, "forbidden", f"A {ctx.user.role} may not do this")


def deny(session: Session, ctx: Ctx, action: str, patient_id: int | None) -> None:
    """Record the refusal durably (committed now), then the caller raises."""
    session.rollback()
    audit.write(session, ctx.actor, action, "denied", [patient_id])
    session.commit()


def done(
    session: Session, ctx: Ctx, action: str, patient_ids: Iterable[int | None], commit: bool = True
) -> None:
    """Audit a successful action in the same transaction as the action, then commit it."""
    audit.write(session, ctx.actor, action, "success", patient_ids)
    if commit:
        session.commit()
