"""A small world for the care tests, straight through the store: two teams, their
clinicians, a patient account, an admin, and records to act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care.access import Actor
from rughernia.store import accounts, record
from rughernia.store.tables import AuditRow, Base
from tests.dbsupport import intake_for

ONSET = dt.date(2026, 1, 5)
DAY_56 = ONSET + dt.timedelta(days=56)
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class Scene:
    session: Session
    actors: dict[str, Actor] = field(default_factory=dict)
    team_ids: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Actor:
        return self.actors[name]

    def patient(
        self,
        team: str = "A",
        *,
        intake: dict[str, Any] | None = None,
        flat_until: dt.date | None = None,
        account: str | None = None,
    ) -> int:
        """A patient of ``team``: an intake (None: none yet) and a flat leg pain 7 every day
        from onset to ``flat_until``, written at ``AT - 1 day``."""
        s = self.session
        user_id = None
        if account is not None:
            user = accounts.add_user(s, username=account, password_hash="x", role="patient")
            user_id = user.id
            self.actors[account] = Actor(user.id, account, "patient", "test")
        row = record.add_patient(
            s,
            team_id=self.team_ids[team],
            display_name=f"patient of {team}",
            language="nl",
            invitation_hash=None,
            invitation_expires_at=None,
        )
        row.user_id = user_id
        before = AT - dt.timedelta(days=1)
        if intake is not None:
            record.put_intake(s, row.id, intake, None, at=before)
        day = ONSET
        while flat_until is not None and day <= flat_until:
            record.put_diary_entry(s, row.id, day, {"leg_pain": 7}, at=before)
            day += dt.timedelta(days=1)
        s.commit()
        return row.id


def scene(session: Session) -> Scene:
    out = Scene(session)
    for team in ("A", "B"):
        t = accounts.ensure_team(session, f"Team {team}")
        out.team_ids[team] = t.id
        name = f"doc_{team.lower()}"
        user = accounts.add_user(
            session, username=name, password_hash="x", role="clinician", team_ids=[t.id]
        )
        out.actors[name] = Actor(user.id, name, "clinician", "test")
    admin = accounts.add_user(session, username="admin", password_hash="x", role="admin")
    out.actors["admin"] = Actor(admin.id, "admin", "admin", "test")
    session.commit()
    return out


def in_scope(**symptoms: Any) -> dict[str, Any]:
    return intake_for(ONSET, leg_pain_reaches="below_knee", **symptoms)


def counts(session: Session) -> dict[str, int]:
    """Rows per table, but the audit log's."""
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name != "audit_log":
            out[table.name] = int(session.scalar(select(func.count()).select_from(table)) or 0)
    return out


def audit(session: Session, action: str) -> list[tuple[str | None, int | None, str]]:
    stmt = select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id)
    return [(r.username, r.patient_id, r.outcome) for r in session.scalars(stmt)]


def findings_of(session: Session, patient_id: int, today: dt.date) -> set[str]:
    found = assessment.assess_and_store(session, patient_id, today, "nl", "read", AT)
    session.rollback()
    assert found is not None
    return {f["code"] for f in found[0].data["findings"]}
