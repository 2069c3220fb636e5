"""A patient's record: the patient row, intake, diary and medication.

The caller owns the transaction. ``case_parts`` gives the stored record as the
parts of its case (``contract.stored`` checks them), ``case_data`` as the case JSON
of the shared contract; deciding anything from it is the
pathway's job, not ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ScalarSelect, Table, bindparam, delete, exists, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from rughernia.store.clock import when
from rughernia.store.tables import (
    DIARY_FIELDS,
    MEDICATION_FIELDS,
    DiaryRow,
    Intake,
    MedicationChange,
    MedicationRow,
    PatientRow,
    TeamMember,
)
from rughernia.store.upsert import upsert


def add_patient(
    session: Session,
    *,
    team_id: int,
    display_name: str,
    language: str,
    invitation_hash: str | None,
    invitation_expires_at: dt.datetime | None,
    at: dt.datetime | None = None,
) -> PatientRow:
    row = PatientRow(
        team_id=team_id,
        display_name=display_name,
        language=language,
        invitation_hash=invitation_hash,
        invitation_expires_at=invitation_expires_at,
        created_at=when(at),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class Patient:
    """A patient row as plain data: what access checks and answers need."""

    id: int
    team_id: int
    user_id: int | None
    display_name: str
    language: str
    created_at: dt.datetime
    in_team_of_user: bool  # the user named in the lookup is a member of the patient's team


_PATIENTS = cast(Table, PatientRow.__table__)
_MEMBERS = cast(Table, TeamMember.__table__)
_INTAKES = cast(Table, Intake.__table__)
_MEDICATIONS = cast(Table, MedicationRow.__table__)
_DIARY = cast(Table, DiaryRow.__table__)
# Core statements built once: every request about a patient runs this first.
_PATIENT_COLUMNS = select(
    _PATIENTS.c.id,
    _PATIENTS.c.team_id,
    _PATIENTS.c.user_id,
    _PATIENTS.c.display_name,
    _PATIENTS.c.language,
    _PATIENTS.c.created_at,
    exists()
    .where(_MEMBERS.c.team_id == _PATIENTS.c.team_id, _MEMBERS.c.user_id == bindparam("user_id"))
    .label("in_team"),
)
_PATIENT = _PATIENT_COLUMNS.where(_PATIENTS.c.id == bindparam("patient_id"))
_PATIENT_LOCKED = _PATIENT.with_for_update(of=_PATIENTS)
_OWN_PATIENT = _PATIENT_COLUMNS.where(_PATIENTS.c.user_id == bindparam("user_id"))


def patient(
    session: Session, patient_id: int, *, user_id: int | None = None, lock: bool = False
) -> Patient | None:
    """The patient, and whether ``user_id`` is in their team (one query).

    ``lock`` serialises writers of one record (a PostgreSQL row lock; SQLite
    transactions hold the database's write lock from their start anyway).
    """
    stmt = _PATIENT_LOCKED if lock else _PATIENT
    row = session.connection().execute(stmt, {"patient_id": patient_id, "user_id": user_id})
    found = row.first()
    return None if found is None else Patient(*found)


def own_patient(session: Session, user_id: int) -> Patient | None:
    """The record of the patient signed in as ``user_id``, as plain data (one Core query:
    the patient's pages look it up on every request, and the ORM row cost them more than
    rendering the page)."""
    found = session.connection().execute(_OWN_PATIENT, {"user_id": user_id}).first()
    return None if found is None else Patient(*found)


def patient_of_user(session: Session, user_id: int) -> PatientRow | None:
    return session.scalars(select(PatientRow).where(PatientRow.user_id == user_id)).first()


def patient_by_invitation(session: Session, invitation_hash: str) -> PatientRow | None:
    stmt = select(PatientRow).where(PatientRow.invitation_hash == invitation_hash)
    return session.scalars(stmt.with_for_update()).first()


def patients_in_teams(session: Session, team_ids: list[int]) -> list[PatientRow]:
    stmt = select(PatientRow).where(PatientRow.team_id.in_(team_ids)).order_by(PatientRow.id)
    return list(session.scalars(stmt))


def erase_patient(session: Session, patient_id: int) -> None:
    """Remove the record; ON DELETE CASCADE takes every piece of health data along."""
    session.execute(delete(PatientRow).where(PatientRow.id == patient_id))


# --- intake -----------------------------------------------------------------------


def intake(session: Session, patient_id: int) -> dict[str, Any] | None:
    row = session.get(Intake, patient_id)
    return None if row is None else dict(row.data)


def put_intake(
    session: Session,
    patient_id: int,
    data: dict[str, Any],
    by: int | None,
    *,
    at: dt.datetime | None = None,
) -> None:
    upsert(
        session,
        _INTAKES,
        {"patient_id": patient_id, "data": data, "updated_at": when(at), "updated_by": by},
        keys=["patient_id"],
        update=["data", "updated_at", "updated_by"],
    )


# --- diary ------------------------------------------------------------------------


def diary_entry(session: Session, patient_id: int, date: dt.date) -> DiaryRow | None:
    stmt = select(DiaryRow).where(DiaryRow.patient_id == patient_id, DiaryRow.date == date)
    return session.scalars(stmt).first()


def diary(
    session: Session,
    patient_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[DiaryRow]:
    stmt = select(DiaryRow).where(DiaryRow.patient_id == patient_id)
    if start is not None:
        stmt = stmt.where(DiaryRow.date >= start)
    if end is not None:
        stmt = stmt.where(DiaryRow.date <= end)
    return list(session.scalars(stmt.order_by(DiaryRow.date)))


def put_diary_entry(
    session: Session,
    patient_id: int,
    date: dt.date,
    fields: dict[str, Any],
    *,
    at: dt.datetime | None = None,
) -> None:
    """Write the entry of this date, replacing any earlier one.

    Keyed by patient and date, so a retried PUT leaves exactly one entry.
    """
    now = when(at)
    values = {name: fields.get(name) for name in DIARY_FIELDS}
    upsert(
        session,
        _DIARY,
        {"patient_id": patient_id, "date": date, **values, "created_at": now, "updated_at": now},
        keys=["patient_id", "date"],
        update=[*DIARY_FIELDS, "updated_at"],
    )


def diary_dict(row: DiaryRow) -> dict[str, Any]:
    """One entry in the contract's shape; unknown (None) fields are left out."""
    return entry_dict(row.date, {name: getattr(row, name) for name in DIARY_FIELDS})


def entry_dict(date: dt.date, fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"date": date.isoformat()}
    out.update((name, fields[name]) for name in DIARY_FIELDS if fields.get(name) is not None)
    return out


# --- medication -------------------------------------------------------------------


def medication(session: Session, patient_id: int) -> MedicationRow | None:
    return session.get(MedicationRow, patient_id)


def medication_dict(row: MedicationRow | MedicationChange | Row[Any] | None) -> dict[str, Any]:
    if row is None:
        return {"step": 0}
    out: dict[str, Any] = {}
    for name in MEDICATION_FIELDS:
        value = getattr(row, name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def set_medication(
    session: Session,
    patient_id: int,
    values: dict[str, Any],
    *,
    by: int,
    by_name: str,
    reason: str,
    at: dt.datetime | None = None,
) -> MedicationChange:
    """Set the current medication and keep the change (who, when, why) in the history."""
    now = when(at)
    fields = {name: values.get(name) for name in MEDICATION_FIELDS}
    fields["step"] = fields["step"] or 0
    upsert(
        session,
        _MEDICATIONS,
        {"patient_id": patient_id, **fields, "updated_at": now, "updated_by": by},
        keys=["patient_id"],
        update=[*MEDICATION_FIELDS, "updated_at", "updated_by"],
    )
    change = MedicationChange(
        patient_id=patient_id,
        **fields,
        changed_at=now,
        changed_by=by,
        changed_by_name=by_name,
        reason=reason,
    )
    session.add(change)
    session.flush()
    return change


def medication_history(session: Session, patient_id: int) -> list[MedicationChange]:
    stmt = (
        select(MedicationChange)
        .where(MedicationChange.patient_id == patient_id)
        .order_by(MedicationChange.id)
    )
    return list(session.scalars(stmt))


# --- when the record last changed ----------------------------------------------------


def changed_columns(patient_id: Any) -> tuple[ScalarSelect[Any], ...]:
    """The newest change of the record's intake, diary and medication (each None without
    rows), for ``patient_id``: a value, or a column of the enclosing query (a correlated
    subquery then: an index lookup a patient, whatever the length of the diary)."""
    return tuple(
        select(func.max(column))
        .where(column.table.c.patient_id == patient_id)
        .correlate_except(column.table)
        .scalar_subquery()
        for column in (_INTAKES.c.updated_at, _DIARY.c.updated_at, _MEDICATIONS.c.updated_at)
    )


def newest(*times: dt.datetime | None) -> dt.datetime | None:
    """The newest of the times given (None: nothing changed yet)."""
    known = [t for t in times if t is not None]
    return max(known) if known else None


def changed_at(session: Session, patient_id: int) -> dt.datetime | None:
    """The newest change of the record's intake, diary and medication: an acknowledgement
    made before it no longer holds (None: nothing yet)."""
    return newest(*session.execute(select(*changed_columns(patient_id))).one())


# --- the record as a case ---------------------------------------------------------


# One row for any patient: the intake (None before there is one) and the medication.
_INTAKE_AND_MEDICATION = (
    select(_INTAKES.c.data, *(_MEDICATIONS.c[name] for name in MEDICATION_FIELDS))
    .select_from(
        _PATIENTS.outerjoin(_INTAKES, _INTAKES.c.patient_id == _PATIENTS.c.id).outerjoin(
            _MEDICATIONS, _MEDICATIONS.c.patient_id == _PATIENTS.c.id
        )
    )
    .where(_PATIENTS.c.id == bindparam("patient_id"))
)
# Plain rows, not ORM objects: every diary write re-reads the whole diary, and building
# an object per entry was most of a write's time on a long diary.
_DIARY_ROWS = (
    select(_DIARY.c.date, *(_DIARY.c[name] for name in DIARY_FIELDS))
    .where(_DIARY.c.patient_id == bindparam("patient_id"))
    .order_by(_DIARY.c.date)
)


@dataclass(frozen=True, slots=True)
class CaseParts:
    """A stored record as its case's parts: ``head`` the case JSON without the diary (today,
    language, the intake's sections, the medication), ``diary`` its rows by date, each the
    date and then the values of DIARY_FIELDS (None where not answered)."""

    head: dict[str, Any]
    diary: Sequence[Sequence[Any]]


def case_parts(
    session: Session,
    patient_id: int,
    today: dt.date,
    language: str,
    *,
    need_intake: bool = True,
) -> CaseParts | None:
    """The stored record's case parts for ``today``, in two queries.

    Without an intake (no symptoms yet) it is None; with ``need_intake=False`` it
    is the rest of the record (diary, medication) all the same, for the writes
    that are about to add the intake or may come before it.
    """
    connection = session.connection()
    found = connection.execute(_INTAKE_AND_MEDICATION, {"patient_id": patient_id}).first()
    has_intake = found is not None and found.data is not None
    if need_intake and not has_intake:
        return None
    diary = list(connection.execute(_DIARY_ROWS, {"patient_id": patient_id}))
    return CaseParts(_head(today, language, found if has_intake else None, found), diary)


def case_data(
    session: Session,
    patient_id: int,
    today: dt.date,
    language: str,
    *,
    need_intake: bool = True,
) -> dict[str, Any] | None:
    """The stored record as case JSON for ``today`` (``case_parts`` written out), for the
    writes that put new input into it before it is parsed."""
    parts = case_parts(session, patient_id, today, language, need_intake=need_intake)
    return None if parts is None else as_json(parts)


def as_json(parts: CaseParts) -> dict[str, Any]:
    """Case parts as the case JSON of the shared contract."""
    diary = [
        entry_dict(row[0], dict(zip(DIARY_FIELDS, row[1:], strict=True))) for row in parts.diary
    ]
    return {**parts.head, "diary": diary}


def _head(
    today: dt.date, language: str, intake_row: Row[Any] | None, medication_row: Row[Any] | None
) -> dict[str, Any]:
    """The case JSON of one record but its diary: its intake and its medication (a row with
    the medication fields; none or a None step: no medication)."""
    no_medication = medication_row is None or medication_row.step is None
    return {
        "today": today.isoformat(),
        "language": language,
        **(intake_row.data if intake_row is not None else {}),
        "medication": medication_dict(None if no_medication else medication_row),
    }


# The same two statements for many patients at once (``case_parts_many``).
_INTAKES_AND_MEDICATIONS = (
    select(
        _INTAKES.c.patient_id,
        _INTAKES.c.data,
        *(_MEDICATIONS.c[name] for name in MEDICATION_FIELDS),
    )
    .select_from(
        _INTAKES.outerjoin(_MEDICATIONS, _MEDICATIONS.c.patient_id == _INTAKES.c.patient_id)
    )
    .where(_INTAKES.c.patient_id.in_(bindparam("patient_ids", expanding=True)))
)
_DIARIES_ROWS = (
    select(_DIARY.c.patient_id, _DIARY.c.date, *(_DIARY.c[name] for name in DIARY_FIELDS))
    .where(_DIARY.c.patient_id.in_(bindparam("patient_ids", expanding=True)))
    .order_by(_DIARY.c.patient_id, _DIARY.c.date)
)


def case_parts_many(
    session: Session, patients: dict[int, str], today: dt.date
) -> dict[int, CaseParts]:
    """``case_parts`` for many patients (id -> language) in two queries, whatever their
    number: their intakes with their medication, then all their diaries. Patients
    without an intake are left out, as ``case_parts`` gives None for them."""
    if not patients:
        return {}
    connection = session.connection()
    ids = {"patient_ids": list(patients)}
    found = {row.patient_id: row for row in connection.execute(_INTAKES_AND_MEDICATIONS, ids)}
    diaries: dict[int, list[Sequence[Any]]] = {patient_id: [] for patient_id in found}
    for row in connection.execute(_DIARIES_ROWS, ids):
        diary = diaries.get(row[0])
        if diary is not None:
            diary.append(row[1:])
    return {
        patient_id: CaseParts(_head(today, patients[patient_id], row, row), diaries[patient_id])
        for patient_id, row in found.items()
    }
