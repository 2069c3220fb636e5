"""The stored record as a pathway ``Case``: the only place a record becomes one.

The store gives the record as its case's parts (``store.record.case_parts``: the
intake and medication as case JSON, the diary as rows); the contract checks them
by its rules (``contract.stored.record_case``), like any other input. A write puts
the caller's new input into the record's case JSON and parses that, so problems are
named after what the caller sent. Deciding anything from the case is the pathway's job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care.errors import Invalid, RecordNotAssessable
from rughernia.contract import CaseInvalid, parse_case
from rughernia.contract.stored import record_case
from rughernia.pathway import Case
from rughernia.pathway.checks import Problem
from rughernia.store import record
from rughernia.store.record import Patient

INTAKE_FIELDS = ("onset", "patient", "symptoms")


def stored(session: Session, patient_id: int, today: dt.date, language: str) -> Case | None:
    """The record as a case for ``today``, its texts in ``language``; None without an intake."""
    parts = record.case_parts(session, patient_id, today, language)
    return None if parts is None else _parsed(parts)


def stored_many(
    session: Session, patients: dict[int, str], today: dt.date
) -> dict[int, Case | RecordNotAssessable]:
    """``stored`` for many records (patient id -> language) in a fixed number of queries.

    A patient without an intake is left out; a record that makes no valid case is
    its ``RecordNotAssessable`` (not raised: one bad record must not stop the others).
    """
    out: dict[int, Case | RecordNotAssessable] = {}
    for patient_id, parts in record.case_parts_many(session, patients, today).items():
        try:
            out[patient_id] = _parsed(parts)
        except RecordNotAssessable as exc:
            out[patient_id] = exc
    return out


def _parsed(parts: record.CaseParts) -> Case:
    try:
        return record_case(parts.head, parts.diary)
    except CaseInvalid as exc:
        # Stored data that no longer makes a valid case (e.g. the clock went back):
        # say so plainly rather than guess; the record itself is untouched.
        raise RecordNotAssessable(
            "The stored record cannot be assessed as it is", str(exc)
        ) from None


def record_json(
    session: Session, patient: Patient, today: dt.date, *, need_intake: bool = True
) -> dict[str, Any] | None:
    """The record as case JSON, to put new input into before it is parsed (``with_input``)."""
    return record.case_data(session, patient.id, today, patient.language, need_intake=need_intake)


def with_input(candidate: dict[str, Any], *, body: str | None = None) -> Case:
    """The record with the caller's new input as a case; problems named as the caller sent them.

    With ``body`` (the section the caller sent, e.g. "medication") its prefix is
    dropped; a problem elsewhere in the stored record is a conflict with the new
    answer, named after the field the caller sent that caused it.
    """
    try:
        return parse_case(candidate)
    except CaseInvalid as exc:
        problems = []
        for p in exc.problems:
            head = p.path.split(".")[0].split("[")[0]
            if body is not None and head == body:
                problems.append(Problem(p.path[len(body) + 1 :] or "body", p.message))
            elif head == "diary":
                problems.append(Problem("onset", f"conflicts with the stored diary: {p}"))
            else:
                problems.append(p)
        raise Invalid(problems) from None


def with_entry(candidate: dict[str, Any], diary: list[dict[str, Any]]) -> Case:
    """The record with a new diary (its last entry the new one) as a case.

    The new entry's problems are named by its fields: ``leg_pain``, not ``diary[7].leg_pain``.
    """
    try:
        return parse_case({**candidate, "diary": diary})
    except CaseInvalid as exc:
        prefix = f"diary[{len(diary) - 1}]"
        out = []
        for p in exc.problems:
            if p.path == prefix:
                out.append(Problem("body", p.message))
            elif p.path.startswith(prefix + "."):
                out.append(Problem(p.path[len(prefix) + 1 :], p.message))
            else:
                out.append(p)
        raise Invalid(out) from None
