"""The worklist's reads: every patient of some teams with what ranks them, in a fixed
number of queries whatever the number of patients (each query is by team, never one a
patient). The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from rughernia.store import record
from rughernia.store.tables import (
    AlarmAck,
    AssessmentRow,
    DiaryRow,
    FindingAck,
    PatientRow,
    Team,
)

_PATIENTS = cast(Table, PatientRow.__table__)
_ASSESSMENTS = cast(Table, AssessmentRow.__table__)
_ACKS = cast(Table, AlarmAck.__table__)
_DIARY = cast(Table, DiaryRow.__table__)


@dataclass(frozen=True, slots=True)
class Listed:
    """One patient as the worklist reads them."""

    patient_id: int
    name: str
    team: str
    language: str
    # Of the newest stored assessment (all None without one), only what the list shows
    # and ranks by, from its columns and its findings: not its texts and advice, nine
    # tenths of its JSON.
    assessment_id: int | None
    assessed_for: dt.date | None  # the day it is of
    triage: str | None
    phase: str | None
    days_since_onset: int | None
    step: int | None  # the medication step it was made with
    findings: list[dict[str, Any]]  # as stored: code, triage, source, text
    last_diary: dt.date | None
    changed_at: dt.datetime | None  # the newest change of intake, diary or medication


@dataclass(frozen=True, slots=True)
class AlarmSeen:
    """The newest alarm acknowledgement of a patient."""

    patient_id: int
    triage: str  # the acknowledged assessment's level
    by: str
    at: dt.datetime
    note: str


def _of_teams(team_ids: Sequence[int]) -> Select[int]:
    return select(_PATIENTS.c.id).where(_PATIENTS.c.team_id.in_(list(team_ids)))


def patients(session: Session, team_ids: Sequence[int]) -> list[Listed]:
    """Every patient of these teams with their newest assessment, last diary day and last
    change, in one query for any number of patients: per patient, index lookups only
    (the newest assessment by (patient_id, id), the last day by the diary's key, the
    newest changes by ``record.changed_columns``), never a scan of every diary row."""
    if not team_ids:
        return []
    newest_id = (
        select(func.max(_ASSESSMENTS.c.id))
        .where(_ASSESSMENTS.c.patient_id == _PATIENTS.c.id)
        .correlate(_PATIENTS)
        .scalar_subquery()
    )
    last_diary = (
        select(func.max(_DIARY.c.date)).where(_DIARY.c.patient_id == _PATIENTS.c.id)
    ).scalar_subquery()
    stmt = (
        select(
            _PATIENTS.c.id,
            _PATIENTS.c.display_name,
            Team.name,
            _PATIENTS.c.language,
            _ASSESSMENTS.c.id,
            _ASSESSMENTS.c.today,
            _ASSESSMENTS.c.triage,
            _ASSESSMENTS.c.phase,
            _ASSESSMENTS.c.days_since_onset,
            _ASSESSMENTS.c.step,
            _ASSESSMENTS.c.data["findings"],
            last_diary,
            *record.changed_columns(_PATIENTS.c.id),
        )
        .select_from(_PATIENTS)
        .join(Team, Team.id == _PATIENTS.c.team_id)
        .outerjoin(_ASSESSMENTS, _ASSESSMENTS.c.id == newest_id)
        .where(_PATIENTS.c.team_id.in_(list(team_ids)))
    )
    return [
        Listed(
            patient_id=r[0],
            name=r[1],
            team=r[2],
            language=r[3],
            assessment_id=r[4],
            assessed_for=r[5],
            triage=r[6],
            phase=r[7],
            days_since_onset=r[8],
            step=r[9],
            findings=r[10] or [],
            last_diary=r[11],
            changed_at=record.newest(*r[12:]),
        )
        for r in session.execute(stmt)
    ]


def alarm_acknowledgements(
    session: Session, team_ids: Sequence[int], *, patient_id: int | None = None
) -> dict[int, AlarmSeen]:
    """Each patient's newest alarm acknowledgement (of these teams, or of one patient), with
    the level it acknowledged."""
    of = _ACKS.c.patient_id == patient_id
    if patient_id is None:
        of = _ACKS.c.patient_id.in_(_of_teams(team_ids))
    newest = select(func.max(_ACKS.c.id)).where(of).group_by(_ACKS.c.patient_id)
    stmt = (
        select(_ACKS.c.patient_id, _ASSESSMENTS.c.triage, _ACKS.c.user_name, _ACKS.c.at)
        .add_columns(_ACKS.c.note)
        .join(_ASSESSMENTS, _ASSESSMENTS.c.id == _ACKS.c.assessment_id)
        .where(_ACKS.c.id.in_(newest))
    )
    return {r[0]: AlarmSeen(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(stmt)}


def finding_acknowledgements(
    session: Session, team_ids: Sequence[int]
) -> dict[int, list[FindingAck]]:
    """The newest acknowledgement of each code of each patient of these teams, newest
    first; whether each counts today is ``pathway.acknowledgement.counting``'s to say.

    Not only those whose date is still ahead: a newest one whose date has passed must
    keep an older one with a later date from counting."""
    newest = (
        select(func.max(FindingAck.id))
        .where(FindingAck.patient_id.in_(_of_teams(team_ids)))
        .group_by(FindingAck.patient_id, FindingAck.code)
    )
    stmt = select(FindingAck).where(FindingAck.id.in_(newest)).order_by(FindingAck.id.desc())
    out: dict[int, list[FindingAck]] = {}
    for ack in session.scalars(stmt):
        out.setdefault(ack.patient_id, []).append(ack)
    return out


def leg_pain(
    session: Session, patient_ids: Sequence[int], since: dt.date
) -> dict[int, list[tuple[dt.date, int]]]:
    """The leg pain per day from ``since`` of a page's patients (one query), oldest first."""
    out: dict[int, list[tuple[dt.date, int]]] = {p: [] for p in patient_ids}
    if not patient_ids:
        return out
    stmt = (
        select(_DIARY.c.patient_id, _DIARY.c.date, _DIARY.c.leg_pain)
        .where(_DIARY.c.patient_id.in_(list(patient_ids)), _DIARY.c.date >= since)
        .order_by(_DIARY.c.patient_id, _DIARY.c.date)
    )
    for pid, day, pain in session.execute(stmt):
        out[pid].append((day, pain))
    return out
