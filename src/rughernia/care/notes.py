"""A clinician's notes on a record: a note, or that an MRI or a referral was arranged."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.care.access import Actor, on_record
from rughernia.care.errors import invalid
from rughernia.care.once import Once
from rughernia.store import notes
from rughernia.store.tables import NOTE_KINDS, ClinicalNote

MAX_TEXT = 2000
CLINICIAN = ("clinician",)


def checked_text(text: object, path: str, limit: int) -> str:
    """``text`` without surrounding blanks, 1 to ``limit`` characters, storable."""
    if not isinstance(text, str) or not text.strip():
        raise invalid(path, f"is required: write 1 to {limit} characters")
    text = text.strip()
    if len(text) > limit:
        raise invalid(path, f"is {len(text)} characters long; write at most {limit}")
    if "\x00" in text:
        raise invalid(path, "must not contain NUL characters")
    return text


def add(
    session: Session,
    actor: Actor,
    patient_id: int,
    kind: str,
    text: str,
    *,
    at: dt.datetime,
    once: Once[ClinicalNote] | None = None,
) -> ClinicalNote:
    """Add a note of ``kind`` ("note", "mri": an MRI was arranged, "referral": a referral)."""
    with on_record(session, actor, patient_id, "note.write", at=at, roles=CLINICIAN) as step:
        # The input is checked after the access check: another team's patient is a 404,
        # audited, whatever the form holds.
        if kind not in NOTE_KINDS:
            raise invalid("kind", f"must be one of {', '.join(NOTE_KINDS)}")
        text = checked_text(text, "text", MAX_TEXT)
        if once is not None:
            once.replay(session, actor, at)
        assert actor.username is not None
        row = notes.add_note(
            session, step.record.id, kind, text, by=actor.user_id, by_name=actor.username, at=at
        )
        if once is not None:
            once.remember(session, actor, row, step.record.id, at)
    return row


def read(session: Session, actor: Actor, patient_id: int, *, at: dt.datetime) -> list[ClinicalNote]:
    """The record's notes, newest first (clinicians: the patient's own pages show none)."""
    with on_record(session, actor, patient_id, "note.read", at=at, roles=CLINICIAN) as step:
        return notes.notes(session, step.record.id)
