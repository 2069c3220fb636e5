"""Findings acknowledged until a review date (``care/findings.py``, ``store/notes.py``) on
both databases: only what may be, only a finding of today's assessment, in force until its
date or a change of the record, for the patient's own team only, set-based for the worklist."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from rughernia.care import assessment, findings, privacy, worklist
from rughernia.care.errors import Forbidden, Invalid, NotFound
from rughernia.care.once import Once, Replayed
from rughernia.content import load
from rughernia.pathway.acknowledgement import counting
from rughernia.pathway.model import AckRules
from rughernia.store import notes, record
from rughernia.store.tables import FindingAck
from tests.care.support import AT, DAY_56, audit, counts, findings_of, in_scope, scene
from tests.dbsupport import statements

CHECKPOINT = "CHECKPOINT_NOT_IMPROVING"
UNTIL = DAY_56 + dt.timedelta(days=14)
LATER = AT + dt.timedelta(hours=1)


def _flat(s: Any, team: str = "A", **kw: Any) -> int:
    """Day 56 with a flat leg pain 7 all along: the 8-week checkpoint, not improving."""
    return int(s.patient(team, intake=in_scope(), flat_until=DAY_56, **kw))


def _on_worklist(session: Session, s: Any, today: dt.date = DAY_56) -> dict[int, set[str]]:
    """The acknowledged codes that count on doc_a's worklist, per patient (none: left out)."""
    listed = worklist.read(session, s["doc_a"], today=today, at=LATER, per_page=1_000)
    session.commit()
    return {r.patient_id: {a.code for a in r.acknowledged} for r in listed.rows if r.acknowledged}


def _ack(session: Session, s: Any, pid: int, code: str = CHECKPOINT, **kw: Any) -> FindingAck:
    args: dict[str, Any] = {"until": UNTIL, "note": "Neurologist booked on 10 March"}
    args.update(kw)
    return findings.acknowledge(
        session, s["doc_a"], pid, code, args["until"], args["note"], today=DAY_56, at=AT
    )


def _in_force(session: Session, s: Any, pid: int, today: dt.date = DAY_56) -> list[bool]:
    return [a.in_force for a in findings.read(session, s["doc_a"], pid, today=today, at=LATER)]


def test_an_acknowledged_finding_is_in_force_until_its_date(session: Session) -> None:
    s = scene(session)
    pid = _flat(s)
    assert CHECKPOINT in findings_of(session, pid, DAY_56)

    ack = _ack(session, s, pid)

    assert (ack.code, ack.until, ack.by_name, ack.at) == (CHECKPOINT, UNTIL, "doc_a", AT)
    assert ack.note == "Neurologist booked on 10 March"
    assert _in_force(session, s, pid) == [True]
    assert _in_force(session, s, pid, UNTIL) == [True]  # the review date itself counts
    assert _in_force(session, s, pid, UNTIL + dt.timedelta(days=1)) == [False]
    assert _on_worklist(session, s) == {pid: {CHECKPOINT}}
    assert _on_worklist(session, s, UNTIL + dt.timedelta(days=1)) == {}
    assert audit(session, "finding.acknowledge") == [("doc_a", pid, "success")]


def test_the_patients_own_assessment_does_not_change(session: Session) -> None:
    s = scene(session)
    pid = _flat(s)
    before = assessment.assess_now(session, s["doc_a"], pid, today=DAY_56, language=None, at=AT)
    _ack(session, s, pid)
    after = assessment.assess_now(session, s["doc_a"], pid, today=DAY_56, language=None, at=LATER)
    assert after[0].id == before[0].id  # the same stored assessment: nothing new
    assert after[0].data == before[0].data


@pytest.mark.parametrize("change", ["diary", "intake", "medication"])
def test_any_change_of_the_record_after_it_voids_it(session: Session, change: str) -> None:
    s = scene(session)
    pid, other = _flat(s), _flat(s)
    _ack(session, s, pid)
    _ack(session, s, other)
    if change == "diary":
        record.put_diary_entry(session, pid, DAY_56, {"leg_pain": 6}, at=LATER)
    elif change == "intake":
        record.put_intake(session, pid, in_scope(sleep_disturbed=True), None, at=LATER)
    else:
        record.set_medication(
            session, pid, {"step": 1}, by=s["doc_a"].user_id, by_name="doc_a", reason="r", at=LATER
        )
    session.commit()

    assert _in_force(session, s, pid) == [False]
    assert _on_worklist(session, s) == {other: {CHECKPOINT}}


def test_a_new_acknowledgement_after_the_change_counts_again(session: Session) -> None:
    s = scene(session)
    pid = _flat(s)
    _ack(session, s, pid)
    record.put_diary_entry(session, pid, DAY_56, {"leg_pain": 7}, at=LATER)
    session.commit()
    findings.acknowledge(
        session, s["doc_a"], pid, CHECKPOINT, UNTIL, "Seen again", today=DAY_56, at=LATER
    )
    assert _in_force(session, s, pid) == [True, False]  # newest first
    assert _on_worklist(session, s) == {pid: {CHECKPOINT}}


@pytest.mark.parametrize(
    ("symptoms", "code"),
    [
        ({"saddle_numbness": True}, "ALARM_SADDLE_NUMBNESS"),
        ({"incontinence": True}, "ALARM_INCONTINENCE"),
        ({"urinary_retention": True}, "ALARM_URINARY_RETENTION"),
        ({"weakness": "progressive"}, "ALARM_PROGRESSIVE_WEAKNESS"),  # any emergency
        ({"red_flags": {"fever": True}}, "REDFLAG_FEVER"),
        ({}, "PARACETAMOL_OVERDOSE"),
        ({}, "PARACETAMOL_ABOVE_MAX"),
        ({}, "NOT_A_CODE"),
        ({}, "NATURAL_COURSE"),  # advice, not a finding
        ({}, "NSAID_CAUTION"),  # a finding, but not of this record today
    ],
)
def test_refused_codes_name_the_code_and_store_nothing(
    session: Session, symptoms: dict[str, Any], code: str
) -> None:
    s = scene(session)
    pid = s.patient(intake=in_scope(**symptoms), flat_until=DAY_56)
    if code.startswith(("ALARM_", "REDFLAG_")):
        assert code in findings_of(session, pid, DAY_56)  # present, and still refused
    before = counts(session)
    with pytest.raises(Invalid) as caught:
        _ack(session, s, pid, code)
    session.rollback()
    assert [p.path for p in caught.value.problems] == ["code"]
    assert counts(session) == before


def test_a_record_without_an_intake_has_no_finding_to_acknowledge(session: Session) -> None:
    s = scene(session)
    pid = s.patient()
    with pytest.raises(Invalid) as caught:
        _ack(session, s, pid)
    assert [p.path for p in caught.value.problems] == ["code"]


@pytest.mark.parametrize(
    ("until", "path"),
    [
        (DAY_56, "until"),
        (DAY_56 - dt.timedelta(days=1), "until"),
        (DAY_56 + dt.timedelta(days=366), "until"),
    ],
)
def test_the_review_date_lies_after_today_and_within_a_year(
    session: Session, until: dt.date, path: str
) -> None:
    s = scene(session)
    pid = _flat(s)
    with pytest.raises(Invalid) as caught:
        _ack(session, s, pid, until=until)
    assert [p.path for p in caught.value.problems] == [path]
    assert _ack(session, s, pid, until=DAY_56 + dt.timedelta(days=365)).until > DAY_56


@pytest.mark.parametrize("note", ["", "   ", "x" * 1001, "a\x00b"])
def test_the_note_is_required(session: Session, note: str) -> None:
    s = scene(session)
    pid = _flat(s)
    with pytest.raises(Invalid) as caught:
        _ack(session, s, pid, note=note)
    assert [p.path for p in caught.value.problems] == ["note"]


def test_only_the_patients_own_team_acknowledges_or_reads(session: Session) -> None:
    s = scene(session)
    pid = _flat(s, account="pat_a")
    _ack(session, s, pid)
    before = counts(session)
    for actor, error in (("doc_b", NotFound), ("pat_a", Forbidden), ("admin", Forbidden)):
        with pytest.raises(error):
            findings.acknowledge(
                session, s[actor], pid, CHECKPOINT, UNTIL, "n", today=DAY_56, at=AT
            )
        with pytest.raises(error):
            findings.read(session, s[actor], pid, today=DAY_56, at=AT)
    assert counts(session) == before
    assert [o for _u, _p, o in audit(session, "finding.acknowledge")] == [
        "success",
        *["denied"] * 3,
    ]
    assert [o for _u, _p, o in audit(session, "finding.read")] == ["denied"] * 3


def test_a_retry_with_the_same_key_stores_one(session: Session) -> None:
    s = scene(session)
    pid = _flat(s)

    def retry() -> Once[FindingAck]:
        return Once(
            "k",
            ("POST", "/p", {"code": CHECKPOINT}),
            lambda a: (201, {"id": a.id}),
            dt.timedelta(hours=1),
        )

    first = findings.acknowledge(
        session, s["doc_a"], pid, CHECKPOINT, UNTIL, "n", today=DAY_56, at=AT, once=retry()
    )
    with pytest.raises(Replayed) as again:
        findings.acknowledge(
            session, s["doc_a"], pid, CHECKPOINT, UNTIL, "n", today=DAY_56, at=AT, once=retry()
        )
    session.rollback()
    assert again.value.body == {"id": first.id}
    assert counts(session)["finding_acknowledgements"] == 1


def test_a_code_put_on_the_never_list_later_stops_counting(session: Session) -> None:
    s = scene(session)
    pid = _flat(s)
    _ack(session, s, pid)
    content = load()
    stricter = dataclasses.replace(
        content,
        acknowledgement=AckRules(content.acknowledgement.never | {CHECKPOINT}, 365),
    )
    acks = notes.finding_acks(session, pid)
    changed = record.changed_at(session, pid)
    assert counting(acks, DAY_56, changed, content) == [True]
    assert counting(acks, DAY_56, changed, stricter) == [False]


def test_the_worklist_reads_them_in_the_same_queries_for_any_number(
    session: Session, engine: Engine
) -> None:
    s = scene(session)
    for _ in range(2):
        _ack(session, s, _flat(s))
    session.commit()
    _on_worklist(session, s)  # everyone assessed as of the day
    with statements(engine) as two:
        assert len(_on_worklist(session, s)) == 2
    for _ in range(20):
        _ack(session, s, _flat(s))
    session.commit()
    _on_worklist(session, s)
    with statements(engine) as twenty_two:
        assert len(_on_worklist(session, s)) == 22
    assert len(two) == len(twenty_two), (two, twenty_two)


def test_the_export_holds_them_and_erasure_takes_them(session: Session) -> None:
    s = scene(session)
    pid = _flat(s, account="pat_a")
    _ack(session, s, pid)
    exported = privacy.export(session, s["pat_a"], pid, at=LATER)
    assert [(a.code, a.until) for a in exported.finding_acknowledgements] == [(CHECKPOINT, UNTIL)]
    privacy.erase(session, s["pat_a"], pid, at=LATER)
    assert counts(session)["finding_acknowledgements"] == 0


def test_the_newest_acknowledgement_of_a_code_decides(session: Session) -> None:
    """A later acknowledgement with an earlier date shortens the wait: as said last."""
    s = scene(session)
    pid = _flat(s)
    _ack(session, s, pid, until=DAY_56 + dt.timedelta(days=60))
    soon = DAY_56 + dt.timedelta(days=3)
    findings.acknowledge(session, s["doc_a"], pid, CHECKPOINT, soon, "Sooner", today=DAY_56, at=AT)
    later = soon + dt.timedelta(days=1)
    assert _in_force(session, s, pid) == [True, False]
    assert _in_force(session, s, pid, later) == [False, False]
    assert _on_worklist(session, s) == {pid: {CHECKPOINT}}
    assert _on_worklist(session, s, later) == {}  # the older one, with a later date, does not
