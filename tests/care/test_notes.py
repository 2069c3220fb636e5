"""A clinician's notes (``care/notes.py``) on both databases: written and read by the
patient's own team only, audited, validated by field, retried once, erased with the record."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rughernia.care import notes, privacy
from rughernia.care.errors import Forbidden, Invalid, NotFound
from rughernia.care.once import Once, Replayed
from rughernia.store import accounts
from rughernia.store import notes as stored_notes
from rughernia.store.tables import ClinicalNote
from tests.care.support import AT, audit, counts, in_scope, scene


def test_notes_are_kept_newest_first_with_who_and_when(session: Session) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope())
    notes.add(session, s["doc_a"], pid, "note", "  Called: pain the same.  ", at=AT)
    later = AT + dt.timedelta(minutes=5)
    notes.add(session, s["doc_a"], pid, "mri", "MRI booked for 12 March", at=later)
    notes.add(session, s["doc_a"], pid, "referral", "Referred to neurology", at=later)

    found = notes.read(session, s["doc_a"], pid, at=later)

    assert [(n.kind, n.text) for n in found] == [
        ("referral", "Referred to neurology"),
        ("mri", "MRI booked for 12 March"),
        ("note", "Called: pain the same."),  # without the blanks around it
    ]
    assert {(n.by_name, n.by_user_id) for n in found} == {("doc_a", s["doc_a"].user_id)}
    assert found[-1].at == AT


@pytest.mark.parametrize(
    ("kind", "text", "path"),
    [
        ("scan", "x", "kind"),
        ("", "x", "kind"),
        ("note", "", "text"),
        ("note", "   ", "text"),
        ("note", "x" * 2001, "text"),
        ("note", "a\x00b", "text"),
    ],
)
def test_bad_input_names_its_field_and_stores_nothing(
    session: Session, kind: str, text: str, path: str
) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope())
    before = counts(session)
    with pytest.raises(Invalid) as caught:
        notes.add(session, s["doc_a"], pid, kind, text, at=AT)
    assert [p.path for p in caught.value.problems] == [path]
    session.rollback()
    assert counts(session) == before


def test_2000_characters_is_the_most(session: Session) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope())
    assert len(notes.add(session, s["doc_a"], pid, "note", "x" * 2000, at=AT).text) == 2000


def test_only_the_patients_own_team_reaches_the_notes(session: Session) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope(), account="pat_a")
    notes.add(session, s["doc_a"], pid, "note", "seen", at=AT)
    before = counts(session)
    for actor, error in (("doc_b", NotFound), ("pat_a", Forbidden), ("admin", Forbidden)):
        with pytest.raises(error):
            notes.add(session, s[actor], pid, "note", "not mine", at=AT)
        with pytest.raises(error):
            notes.read(session, s[actor], pid, at=AT)
    with pytest.raises(NotFound):
        notes.read(session, s["doc_a"], pid + 100, at=AT)
    assert counts(session) == before

    assert audit(session, "note.write") == [
        ("doc_a", pid, "success"),
        ("doc_b", pid, "denied"),
        ("pat_a", pid, "denied"),
        ("admin", pid, "denied"),
    ]
    assert audit(session, "note.read")[-1] == ("doc_a", pid + 100, "denied")


def test_a_retry_with_the_same_key_gets_the_first_answer_and_stores_one(
    session: Session,
) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope())

    def retry() -> Once[ClinicalNote]:
        body = {"kind": "note", "text": "Called"}
        return Once(
            "key-1",
            ("POST", f"/x/{pid}", body),
            lambda n: (201, {"id": n.id}),
            dt.timedelta(hours=24),
        )

    first = notes.add(session, s["doc_a"], pid, "note", "Called", at=AT, once=retry())
    with pytest.raises(Replayed) as again:
        notes.add(session, s["doc_a"], pid, "note", "Called", at=AT, once=retry())
    session.rollback()
    assert (again.value.status, again.value.body) == (201, {"id": first.id})
    assert len(notes.read(session, s["doc_a"], pid, at=AT)) == 1


def test_the_export_holds_the_notes_and_erasure_takes_them(session: Session) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope(), account="pat_a")
    notes.add(session, s["doc_a"], pid, "mri", "MRI booked", at=AT)

    exported = privacy.export(session, s["pat_a"], pid, at=AT)
    assert [(n.kind, n.text, n.by_name) for n in exported.notes] == [("mri", "MRI booked", "doc_a")]

    privacy.erase(session, s["pat_a"], pid, at=AT)
    assert counts(session)["clinical_notes"] == 0


def test_a_removed_clinician_is_still_named_on_their_notes_and_acknowledgements(
    session: Session,
) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope())
    notes.add(session, s["doc_a"], pid, "referral", "To neurology", at=AT)
    until = AT.date() + dt.timedelta(days=7)
    stored_notes.add_finding_ack(
        session, pid, "CHECKPOINT_NOT_IMPROVING", until, "n", by=s["doc_a"].user_id, by_name="doc_a"
    )
    session.commit()
    accounts.delete_user(session, s["doc_a"].user_id)  # type: ignore[arg-type]
    session.commit()
    session.expire_all()
    (note,) = stored_notes.notes(session, pid)
    (ack,) = stored_notes.finding_acks(session, pid)
    assert (note.by_user_id, note.by_name) == (None, "doc_a")
    assert (ack.by_user_id, ack.by_name) == (None, "doc_a")
