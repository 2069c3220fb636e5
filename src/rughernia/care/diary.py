"""The diary: one entry per patient and date. Saving a day re-assesses in the same transaction.

``save_day`` is the whole of "a patient writes a diary day": the check of the
input, access, the new entry read against the stored record (it must make a
valid case with it), the write, the new assessment, the audit record, the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care import case as record_case
from rughernia.care.access import Actor, on_record
from rughernia.care.case import INTAKE_FIELDS
from rughernia.care.errors import IntakeRequired, Invalid, NotFound, invalid
from rughernia.pathway.checks import Problem
from rughernia.pathway.model import ALARM_QUESTIONS
from rughernia.pathway.plan import standing_alarm_answer
from rughernia.store import record
from rughernia.store.assessments import Stored
from rughernia.store.tables import DIARY_FIELDS


@dataclass(frozen=True, slots=True)
class SavedDay:
    entry: dict[str, Any]  # as stored, in the contract's shape
    created: bool  # a new date, not a replaced entry
    assessment: Stored


def days(
    session: Session,
    actor: Actor,
    patient_id: int,
    first: dt.date | None,
    last: dt.date | None,
    *,
    at: dt.datetime,
) -> list[dict[str, Any]]:
    """The entries from ``first`` to ``last`` (inclusive, either open), oldest first."""
    with on_record(session, actor, patient_id, "diary.read", at=at) as step:
        rows = record.diary(session, step.record.id, first, last)
        return [record.diary_dict(e) for e in rows]


def day(
    session: Session, actor: Actor, patient_id: int, date: dt.date, *, at: dt.datetime
) -> dict[str, Any]:
    return day_and_language(session, actor, patient_id, date, at=at)[0]


def day_and_language(
    session: Session, actor: Actor, patient_id: int, date: dt.date, *, at: dt.datetime
) -> tuple[dict[str, Any], str]:
    """The entry of ``date`` and the language the patient reads (for FHIR's texts)."""
    with on_record(session, actor, patient_id, "diary.read", at=at) as step:
        entry = record.diary_entry(session, step.record.id, date)
        language = step.record.language
    if entry is None:  # the look was audited all the same
        raise NotFound(f"No diary entry on {date.isoformat()}")
    return record.diary_dict(entry), language


def save_day(
    session: Session,
    actor: Actor,
    patient_id: int,
    date: dt.date,
    entry: dict[str, Any],
    *,
    today: dt.date,
    at: dt.datetime,
    alarms: dict[str, Any] | None = None,
) -> SavedDay:
    """Write the entry of ``date`` (replacing any earlier one) and re-assess as of ``today``.

    ``alarms``: the alarm questions as answered in the diary (the pages ask them every
    day). They update the intake's answers in the same step, the more urgent answer
    standing (``pathway.plan.standing_alarm_answer``); the intake is written only when
    one of them changes.
    """
    unknown = [
        Problem(f"alarms.{k}", "is not an alarm question")
        for k in alarms or {}
        if k not in ALARM_QUESTIONS
    ]
    if unknown:
        raise Invalid(unknown)
    if entry.get("date") is not None and entry["date"] != date.isoformat():
        raise invalid("date", f"must be the date in the URL ({date.isoformat()})")
    entry = {**entry, "date": date.isoformat()}
    # Lock the record: concurrent writes to one patient re-assess one after another.
    with on_record(session, actor, patient_id, "diary.write", at=at, lock=True) as step:
        candidate = record_case.record_json(session, step.record, today)
        if candidate is None:
            raise IntakeRequired(
                "Fill in the intake first",
                "the alarm questions of the intake are needed before diary entries",
            )
        # The intake is written again only when a diary answer raises one that stands (a
        # "yes" or "don't know" after a "no"): a day answered as before changes nothing, so
        # it writes no more than the JSON route's save does.
        raised = False
        if alarms:
            symptoms = dict(candidate["symptoms"])
            for question, reported in alarms.items():
                standing = standing_alarm_answer(question, symptoms.get(question), reported)
                raised = raised or question not in symptoms or symptoms[question] != standing
                symptoms[question] = standing
            candidate = {**candidate, "symptoms": symptoms}
        diary = [e for e in candidate["diary"] if e["date"] != entry["date"]] + [entry]
        case = record_case.with_entry(candidate, diary)
        parsed = next(e for e in case.diary if e.date == date)
        fields = {name: getattr(parsed, name) for name in DIARY_FIELDS}
        # Under the record's lock the diary just read is current: no query to ask if it is new.
        created = all(e["date"] != entry["date"] for e in candidate["diary"])
        record.put_diary_entry(session, step.record.id, date, fields, at=at)
        if raised:
            intake = {k: candidate[k] for k in INTAKE_FIELDS if k in candidate}
            record.put_intake(session, step.record.id, intake, actor.user_id, at=at)
        stored = assessment.store(session, step.record.id, case, "diary", at)
    return SavedDay(record.entry_dict(date, fields), created, stored)
