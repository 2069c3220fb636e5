"""The medication step (clinicians change it, with a reason kept); a change re-assesses.

``preview`` shows what a proposed change would bring before it is saved: the record
assessed with it, by ``assess()`` itself (NSAID cautions, stomach protection, the
opioid's duration, the laxative come from the pathway, not from here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care import case as record_case
from rughernia.care.access import Actor, on_record
from rughernia.care.errors import IntakeRequired, invalid
from rughernia.content import load
from rughernia.pathway import Case, assess
from rughernia.pathway.model import ALARM_QUESTIONS
from rughernia.store import record
from rughernia.store.assessments import Stored
from rughernia.store.record import Patient
from rughernia.store.tables import MEDICATION_FIELDS, MedicationChange

# Only to validate medication fields before any intake exists; never stored or assessed.
_PLACEHOLDER_SYMPTOMS = {"leg_pain_reaches": "below_knee", **dict.fromkeys(ALARM_QUESTIONS)}


@dataclass(frozen=True, slots=True)
class Medication:
    current: dict[str, Any]  # in the contract's shape
    history: list[tuple[MedicationChange, dict[str, Any]]]  # each change, oldest first
    assessment: Stored | None = None  # after a change, when there is an intake to assess


def _medication(session: Session, patient_id: int) -> Medication:
    history = [
        (c, record.medication_dict(c)) for c in record.medication_history(session, patient_id)
    ]
    return Medication(record.medication_dict(record.medication(session, patient_id)), history)


def read(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> Medication:
    with on_record(session, actor, patient_id, "medication.read", at=at) as step:
        return _medication(session, step.record.id)


def _with_medication(
    session: Session, row: Patient, body: dict[str, Any], today: dt.date, language: str
) -> tuple[Case, bool]:
    """The record as of ``today`` with ``body`` as its medication, validated as a case (the
    problems named after the body's fields); and whether the record has an intake."""
    base = record_case.record_json(session, row, today, need_intake=False)
    assert base is not None
    has_intake = "symptoms" in base
    if not has_intake:
        base["symptoms"] = _PLACEHOLDER_SYMPTOMS
    base["language"] = language
    return record_case.with_input({**base, "medication": body}, body="medication"), has_intake


def write(
    session: Session,
    actor: Actor,
    patient_id: int,
    body: dict[str, Any],
    *,
    today: dt.date,
    at: dt.datetime,
) -> Medication:
    """Set the medication to ``body`` (with its ``reason``); re-assess if there is an intake."""
    body = dict(body)
    reason = body.pop("reason", None)
    roles = ("clinician",)
    with on_record(
        session, actor, patient_id, "medication.write", at=at, roles=roles, lock=True
    ) as step:
        # Checked after the access check: another team's patient is a 404, audited,
        # whatever the form holds.
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 1000:
            raise invalid("reason", "is required: say why, in 1 to 1000 characters")
        row = step.record
        case, has_intake = _with_medication(session, row, body, today, row.language)
        values = {name: getattr(case.medication, name) for name in MEDICATION_FIELDS}
        assert actor.user_id is not None
        assert actor.username is not None
        record.set_medication(
            session,
            row.id,
            values,
            by=actor.user_id,
            by_name=actor.username,
            reason=reason.strip(),
            at=at,
        )
        out = _medication(session, row.id)
        if has_intake:
            stored = assessment.store(session, row.id, case, "medication", at)
            out = Medication(out.current, out.history, stored)
    return out


@dataclass(frozen=True, slots=True)
class Preview:
    """The record's assessment as of today, and as it would be with a proposed medication."""

    medication: dict[str, Any]  # the proposed medication, as it would be stored
    current: dict[str, Any]  # the assessment with the stored medication
    proposed: dict[str, Any]  # the assessment with the proposed one
    new_findings: list[dict[str, Any]]  # findings of ``proposed`` not in ``current``
    new_advice: list[dict[str, Any]]  # advice of ``proposed`` not in ``current``


def _new(proposed: object, current: object) -> list[dict[str, Any]]:
    """The items (findings or advice, as ``to_dict`` gives them) of ``proposed`` whose code
    is not among ``current``'s."""
    known = {item["code"] for item in cast(list[dict[str, Any]], current)}
    return [item for item in cast(list[dict[str, Any]], proposed) if item["code"] not in known]


def preview(
    session: Session,
    actor: Actor,
    patient_id: int,
    body: dict[str, Any],
    *,
    today: dt.date,
    at: dt.datetime,
    language: str | None = None,
) -> Preview:
    """What saving ``body`` as the medication would bring, as of ``today``; nothing is stored
    but the audit record (a read). Validated as ``write`` validates it; a ``reason`` may be
    sent along (the same form) and is not needed. Texts in ``language`` or the patient's."""
    body = {k: v for k, v in body.items() if k != "reason"}
    roles = ("clinician",)
    with on_record(session, actor, patient_id, "medication.preview", at=at, roles=roles) as step:
        row = step.record
        lang = language or row.language
        case, has_intake = _with_medication(session, row, body, today, lang)
        if has_intake:
            content = load()
            current = record_case.stored(session, row.id, today, lang)
            assert current is not None
            now = assess(current, content).to_dict()
            then = assess(case, content).to_dict()
    if not has_intake:  # the look was audited all the same
        raise IntakeRequired("No intake yet, so nothing to assess")
    return Preview(
        _as_stored(case),
        now,
        then,
        _new(then["findings"], now["findings"]),
        _new(then["advice"], now["advice"]),
    )


def _as_stored(case: Case) -> dict[str, Any]:
    """The case's medication in the contract's shape, as ``write`` would store it."""
    out: dict[str, Any] = {}
    for name in MEDICATION_FIELDS:
        value = getattr(case.medication, name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out
