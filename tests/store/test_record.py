"""Query functions over a patient's record, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rughernia.store import accounts, assessments, audit, idempotency, record
from rughernia.store.tables import (
    AlarmAck,
    AssessmentRow,
    AuditRow,
    DiaryRow,
    IdempotencyKey,
    Intake,
    MedicationChange,
)

D = dt.date(2026, 3, 1)


def _patient(session: Session) -> int:
    team = accounts.ensure_team(session, "Team")
    row = record.add_patient(
        session,
        team_id=team.id,
        display_name="P",
        language="nl",
        invitation_hash=None,
        invitation_expires_at=None,
    )
    return row.id


def test_diary_entry_is_keyed_by_patient_and_date(session: Session) -> None:
    pid = _patient(session)
    record.put_diary_entry(session, pid, D, {"leg_pain": 7})
    record.put_diary_entry(session, pid, D, {"leg_pain": 5, "note": "beter"})
    session.commit()
    rows = record.diary(session, pid)
    assert [(r.date, r.leg_pain, r.note) for r in rows] == [(D, 5, "beter")]
    assert record.diary_dict(rows[0]) == {"date": "2026-03-01", "leg_pain": 5, "note": "beter"}


def test_diary_range_is_inclusive_and_ordered(session: Session) -> None:
    pid = _patient(session)
    for offset in (3, 0, 2, 1):
        record.put_diary_entry(session, pid, D + dt.timedelta(days=offset), {"leg_pain": offset})
    session.commit()
    got = record.diary(session, pid, D + dt.timedelta(days=1), D + dt.timedelta(days=2))
    assert [r.leg_pain for r in got] == [1, 2]


def test_medication_keeps_who_when_why(session: Session) -> None:
    pid = _patient(session)
    doc = accounts.add_user(session, username="doc", password_hash="x", role="clinician")
    record.set_medication(
        session, pid, {"step": 1, "paracetamol_since": D}, by=doc.id, by_name="doc", reason="start"
    )
    record.set_medication(
        session, pid, {"step": 2, "nsaid": "naproxen"}, by=doc.id, by_name="doc", reason="pain"
    )
    session.commit()
    assert record.medication_dict(record.medication(session, pid)) == {
        "step": 2,
        "nsaid": "naproxen",
    }
    history = record.medication_history(session, pid)
    assert [(c.step, c.changed_by_name, c.reason) for c in history] == [
        (1, "doc", "start"),
        (2, "doc", "pain"),
    ]


def test_case_data_needs_an_intake(session: Session) -> None:
    pid = _patient(session)
    assert record.case_data(session, pid, D, "nl") is None
    record.put_intake(
        session, pid, {"onset": "2026-02-01", "symptoms": {"leg_pain_reaches": "below_knee"}}, None
    )
    record.put_diary_entry(session, pid, D, {"leg_pain": 6})
    data = record.case_data(session, pid, D, "en")
    assert data == {
        "today": "2026-03-01",
        "language": "en",
        "onset": "2026-02-01",
        "symptoms": {"leg_pain_reaches": "below_knee"},
        "diary": [{"date": "2026-03-01", "leg_pain": 6}],
        "medication": {"step": 0},
    }


def test_erasure_removes_all_health_data_but_keeps_the_audit(session: Session) -> None:
    pid = _patient(session)
    user = accounts.add_user(session, username="pat", password_hash="x", role="patient")
    record.put_intake(session, pid, {"symptoms": {}}, None)
    record.put_diary_entry(session, pid, D, {"leg_pain": 3})
    record.set_medication(session, pid, {"step": 1}, by=user.id, by_name="pat", reason="r")
    row = assessments.store(
        session, pid, D, {"content_version": "1", "triage": "urgent", "phase": None}, "read"
    )
    assessments.acknowledge(session, row, user_id=user.id, user_name="pat", note="")
    idempotency.save(
        session, user_id=user.id, key="k", fingerprint="f", status_code=201, body={}, patient_id=pid
    )
    audit.write(
        session, audit.Actor(user.id, "pat", "patient", "127.0.0.1"), "diary.read", "success", [pid]
    )
    session.commit()
    record.erase_patient(session, pid)
    session.commit()
    for table in (Intake, DiaryRow, MedicationChange, AssessmentRow, AlarmAck, IdempotencyKey):
        assert session.scalar(select(func.count()).select_from(table)) == 0, table
    assert [a.action for a in audit.for_patient(session, pid)] == ["diary.read"]
    assert session.scalar(select(func.count()).select_from(AuditRow)) == 1


def test_acknowledging_twice_keeps_the_first(session: Session) -> None:
    pid = _patient(session)
    doc = accounts.add_user(session, username="doc", password_hash="x", role="clinician")
    row = assessments.store(
        session, pid, D, {"content_version": "1", "triage": "emergency", "phase": "acute"}, "read"
    )
    first, new = assessments.acknowledge(
        session, row, user_id=doc.id, user_name="doc", note="called"
    )
    second, again = assessments.acknowledge(session, row, user_id=doc.id, user_name="doc", note="x")
    assert (new, again) == (True, False)
    assert second.id == first.id
    assert second.note == "called"


def test_latest_per_patient_in_one_query(session: Session) -> None:
    a, b = _patient(session), _patient(session)
    for pid, triage in ((a, "self_care"), (a, "urgent"), (b, "contact_gp")):
        assessments.store(session, pid, D, {"content_version": "1", "triage": triage}, "read")
    latest = assessments.latest_per_patient(session, [a, b])
    assert {pid: r.triage for pid, r in latest.items()} == {a: "urgent", b: "contact_gp"}


def test_patient_ids_are_never_reused(session: Session) -> None:
    """An erased patient's id must not name a new patient in the audit log."""
    first = _patient(session)
    session.commit()
    record.erase_patient(session, first)
    session.commit()
    assert _patient(session) > first


def test_one_idempotency_key_per_user(session: Session) -> None:
    user = accounts.add_user(session, username="u", password_hash="x", role="clinician")
    idempotency.save(
        session,
        user_id=user.id,
        key="k",
        fingerprint="f",
        status_code=201,
        body={},
        patient_id=None,
    )
    with pytest.raises(IntegrityError):
        idempotency.save(
            session,
            user_id=user.id,
            key="k",
            fingerprint="g",
            status_code=201,
            body={},
            patient_id=None,
        )


def test_case_parts_many_are_case_parts_of_each(session: Session) -> None:
    a, b, none = _patient(session), _patient(session), _patient(session)
    for pid, onset in ((a, "2026-02-01"), (b, "2026-02-10")):
        record.put_intake(session, pid, {"onset": onset, "symptoms": {}}, None)
    record.put_diary_entry(session, a, D, {"leg_pain": 6, "note": "x"})
    record.put_diary_entry(session, a, D - dt.timedelta(days=1), {"leg_pain": 7})
    record.put_diary_entry(session, none, D, {"leg_pain": 2})
    doc = accounts.add_user(session, username="doc", password_hash="x", role="clinician")
    record.set_medication(session, b, {"step": 1}, by=doc.id, by_name="doc", reason="r")
    many = record.case_parts_many(session, {a: "nl", b: "en", none: "nl"}, D)
    assert set(many) == {a, b}  # no intake: left out, as case_parts gives None
    for pid, language in ((a, "nl"), (b, "en")):
        one = record.case_parts(session, pid, D, language)
        assert one is not None
        assert many[pid].head == one.head
        assert [tuple(r) for r in many[pid].diary] == [tuple(r) for r in one.diary]
        assert record.as_json(many[pid]) == record.case_data(session, pid, D, language)
    assert [r[0] for r in many[a].diary] == [D - dt.timedelta(days=1), D]  # by date


def test_store_many_keeps_the_dedupe_of_store(session: Session) -> None:
    a, b, c = _patient(session), _patient(session), _patient(session)
    same = {"content_version": "1", "triage": "self_care", "phase": "acute"}
    assessments.store(session, a, D, same, "read")
    assessments.store(session, b, D - dt.timedelta(days=1), same, "read")
    stored = assessments.store_many(session, D, {a: same, b: same, c: same}, "reassess")
    assert sorted(stored) == sorted([b, c])  # a's newest is this one of this day already
    assert assessments.store_many(session, D, {a: same, b: same, c: same}, "reassess") == []
    other = {**same, "triage": "contact_gp"}
    assert assessments.store_many(session, D, {a: other}, "reassess") == [a]
    assert [r.triage for r in assessments.all_of(session, a)] == ["self_care", "contact_gp"]
