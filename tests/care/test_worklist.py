"""The clinician's worklist (``care/worklist.py``) on both databases: today's decision for
every patient, ranked by who needs the clinician, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from sqlalchemy import Engine, Table, insert
from sqlalchemy.orm import Session

from rughernia.care import alarms, findings, intake
from rughernia.care import worklist as work
from rughernia.care.errors import Invalid, NotFound, Superseded
from rughernia.store import accounts, assessments, record
from rughernia.store.audit import Actor
from rughernia.store.tables import DiaryRow, FindingAck, Intake, PatientRow
from tests.dbsupport import intake_for, statements

ONSET = dt.date(2026, 1, 5)
DAY_55 = ONSET + dt.timedelta(days=55)
DAY_56 = ONSET + dt.timedelta(days=56)
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _team(session: Session, name: str) -> int:
    return accounts.ensure_team(session, name).id


def _clinician(session: Session, name: str, *team_ids: int) -> Actor:
    user = accounts.add_user(
        session, username=name, password_hash="x", role="clinician", team_ids=team_ids
    )
    session.commit()
    return Actor(user.id, name, "clinician", "127.0.0.1")


def _patients(
    session: Session,
    team_id: int,
    n: int,
    *,
    pain: int = 7,
    until: dt.date = DAY_55,
    days: int = 56,
    alarm: bool = False,
    name: str = "p",
) -> list[int]:
    """``n`` patients inserted set-based: an intake from ONSET and a flat leg pain ``pain``
    on the ``days`` days up to ``until``; ``alarm``: saddle numbness in the intake."""
    rows = [
        {
            "team_id": team_id,
            "display_name": f"{name} {i:04d}",
            "language": "nl",
            "created_at": AT,
        }
        for i in range(n)
    ]
    ids = [
        r[0]
        for r in session.execute(
            insert(cast(Table, PatientRow.__table__)).returning(PatientRow.id), rows
        )
    ]
    data = intake_for(ONSET, leg_pain_reaches="below_knee", saddle_numbness=alarm)
    session.execute(
        insert(cast(Table, Intake.__table__)),
        [{"patient_id": p, "data": data, "updated_at": AT} for p in ids],
    )
    entries = [
        {
            "patient_id": p,
            "date": until - dt.timedelta(days=d),
            "leg_pain": pain,
            "created_at": AT,
            "updated_at": AT,
        }
        for p in ids
        for d in range(days)
    ]
    if entries:
        session.execute(insert(cast(Table, DiaryRow.__table__)), entries)
    session.commit()
    return ids


def _read(session: Session, actor: Actor, today: dt.date, **kw: Any) -> work.Worklist:
    return work.read(session, actor, today=today, at=AT, **kw)


def _places(found: work.Worklist) -> dict[int, str]:
    return {r.patient_id: r.place.reason for r in found.rows}


def test_the_clock_alone_brings_the_checkpoint(session: Session) -> None:
    """A flat course and nothing entered after day 55: on day 56 the worklist shows the
    8-week checkpoint, without anyone having run the nightly job."""
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (flat,) = _patients(session, team, 1, until=DAY_55)

    assert _places(_read(session, doc, DAY_55))[flat] == "rest"
    on_56 = _read(session, doc, DAY_56)

    assert _places(on_56)[flat] == "checkpoint"
    assert on_56.rows[0].place.codes == ("CHECKPOINT_NOT_IMPROVING",)
    assert on_56.reassessed == 1


def test_the_order_is_alarm_then_checkpoint_then_silent_then_rest(session: Session) -> None:
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (rest,) = _patients(session, team, 1, name="rest", until=DAY_56, days=57, pain=1)
    (silent,) = _patients(
        session, team, 1, name="silent", until=DAY_56 - dt.timedelta(days=3), days=54
    )
    (checkpoint,) = _patients(session, team, 1, name="checkpoint", until=DAY_56, days=57)
    (alarm,) = _patients(session, team, 1, name="zz alarm", until=DAY_56, days=57, alarm=True)

    found = _read(session, doc, DAY_56)

    assert [r.patient_id for r in found.rows] == [alarm, checkpoint, silent, rest]
    assert [r.place.reason for r in found.rows] == ["emergency", "checkpoint", "checkpoint", "rest"]
    assert found.alarm_ids == [alarm]
    assert found.counts["emergency"] == 1
    # The filter by reason keeps the order and the counts of all.
    only = _read(session, doc, DAY_56, reason="checkpoint")
    assert [r.patient_id for r in only.rows] == [checkpoint, silent]
    assert only.counts == found.counts


def test_no_diary_for_three_days_ranks_above_the_rest(session: Session) -> None:
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    day_20 = ONSET + dt.timedelta(days=20)
    (fresh,) = _patients(session, team, 1, name="a", until=day_20, days=21)
    (silent,) = _patients(session, team, 1, name="b", until=day_20 - dt.timedelta(days=3), days=18)

    found = _read(session, doc, day_20)

    assert _places(found) == {silent: "no_diary", fresh: "rest"}
    assert found.rows[0].place.days_without_diary == 3


def test_an_acknowledged_alarm_moves_down_until_the_record_changes(session: Session) -> None:
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (alarm,) = _patients(session, team, 1, until=DAY_56, days=57, alarm=True, name="alarm")
    (_checkpoint,) = _patients(session, team, 1, until=DAY_56, days=57, name="checkpoint")
    first = _read(session, doc, DAY_56)
    assert first.rows[0].patient_id == alarm
    newest = first.rows[0]

    stored = work.worklist.patients(session, [team])
    assessment_id = next(p.assessment_id for p in stored if p.patient_id == alarm)
    assert assessment_id is not None
    later = AT + dt.timedelta(minutes=5)
    alarms.acknowledge(
        session, doc, alarm, assessment_id, "called, seen today", today=DAY_56, at=later
    )

    after = work.read(session, doc, today=DAY_56, at=later)
    row = next(r for r in after.rows if r.patient_id == alarm)
    assert row.place.reason == "checkpoint"  # its other reason: a flat course at week 8
    assert row.alarm_ack is not None
    assert row.alarm_ack.note == "called, seen today"
    assert newest.alarm_ack is None
    # The next day, nothing entered: the acknowledgement still holds.
    next_day = work.read(session, doc, today=DAY_56 + dt.timedelta(days=1), at=later)
    assert _places(next_day)[alarm] == "checkpoint"
    # A new diary day (with the alarm standing) brings it back to the top.
    session.execute(
        insert(cast(Table, DiaryRow.__table__)),
        [
            {
                "patient_id": alarm,
                "date": DAY_56 + dt.timedelta(days=1),
                "leg_pain": 7,
                "created_at": later + dt.timedelta(minutes=1),
                "updated_at": later + dt.timedelta(minutes=1),
            }
        ],
    )
    session.commit()
    again = work.read(
        session, doc, today=DAY_56 + dt.timedelta(days=1), at=later + dt.timedelta(minutes=2)
    )
    assert again.rows[0].patient_id == alarm
    assert again.rows[0].place.reason == "emergency"


def test_an_older_assessment_cannot_acknowledge_a_newer_alarm(session: Session) -> None:
    # A page left open while the patient reported a new alarm: acknowledging what the page
    # showed would cover the new alarm too (an acknowledgement holds until the record
    # changes after it). Refused; the alarm stays at the top; today's one can be.
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (alarm,) = _patients(session, team, 1, alarm=True, name="alarm")  # diary up to day 55
    _read(session, doc, DAY_55)
    yesterdays = next(p.assessment_id for p in work.worklist.patients(session, [team]))
    _read(session, doc, DAY_56)
    seen = next(p.assessment_id for p in work.worklist.patients(session, [team]))
    data = intake_for(ONSET, leg_pain_reaches="below_knee", saddle_numbness=True, incontinence=True)
    changed = AT + dt.timedelta(minutes=1)
    intake.write(session, doc, alarm, data, today=DAY_56, at=changed)  # re-assesses
    later = AT + dt.timedelta(minutes=5)
    newest = next(p.assessment_id for p in work.worklist.patients(session, [team]))
    assert yesterdays is not None
    assert seen is not None
    assert newest is not None
    assert len({yesterdays, seen, newest}) == 3

    for old in (yesterdays, seen):
        with pytest.raises(Superseded):
            alarms.acknowledge(session, doc, alarm, old, "seen", today=DAY_56, at=later)
        session.rollback()

    assert work.read(session, doc, today=DAY_56, at=later).rows[0].place.reason == "emergency"
    alarms.acknowledge(session, doc, alarm, newest, "seen", today=DAY_56, at=later)
    assert work.read(session, doc, today=DAY_56, at=later).rows[0].place.reason != "emergency"


def test_yesterdays_assessment_with_the_same_alarms_can_be_acknowledged(
    session: Session,
) -> None:
    # Only the day changed (the page was opened before midnight): the clinician saw every
    # alarm of today's decision, so the acknowledgement stands.
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (alarm,) = _patients(session, team, 1, alarm=True, name="alarm")  # diary up to day 55
    _read(session, doc, DAY_55)
    yesterdays = next(p.assessment_id for p in work.worklist.patients(session, [team]))
    assert yesterdays is not None
    _read(session, doc, DAY_56)
    later = AT + dt.timedelta(minutes=5)
    alarms.acknowledge(session, doc, alarm, yesterdays, "seen", today=DAY_56, at=later)
    assert work.read(session, doc, today=DAY_56, at=later).rows[0].place.reason != "emergency"


def test_another_teams_patients_are_not_listed(session: Session) -> None:
    a, b = _team(session, "A"), _team(session, "B")
    doc = _clinician(session, "doc", a)
    mine = _patients(session, a, 2, name="mine")
    _patients(session, b, 2, name="theirs", alarm=True)

    found = _read(session, doc, DAY_56)

    assert sorted(r.patient_id for r in found.rows) == sorted(mine)
    with pytest.raises(NotFound):
        _read(session, doc, DAY_56, team_id=b)
    with pytest.raises(Invalid):
        _read(session, doc, DAY_56, reason="nonsense")


def test_paging(session: Session) -> None:
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    ids = _patients(session, team, 7, until=DAY_55, days=10)

    pages = [_read(session, doc, DAY_55, page=n, per_page=3) for n in (1, 2, 3)]

    assert [len(p.rows) for p in pages] == [3, 3, 1]
    assert {p.pages for p in pages} == {3}
    assert sorted(r.patient_id for p in pages for r in p.rows) == ids


def test_the_number_of_queries_does_not_grow_with_the_patients(
    session: Session, engine: Engine
) -> None:
    """The same statements for a team of 10 patients as for one of 1,000: on a new day
    (every patient re-assessed) and with every assessment current."""
    counts = {}
    for name, n in (("small", 10), ("large", 1000)):
        team = _team(session, name)
        doc = _clinician(session, f"doc-{name}", team)
        _patients(session, team, n - 2, until=DAY_55, days=5, name=name)
        _patients(session, team, 2, until=DAY_55, days=5, alarm=True, name=f"{name} alarm")
        with statements(engine) as new_day:
            first = _read(session, doc, DAY_55, per_page=n)
        with statements(engine) as current:
            second = _read(session, doc, DAY_55, per_page=n)
        assert (first.reassessed, second.reassessed, len(second.rows)) == (n, 0, n)
        counts[name] = (len(new_day), len(current))

    assert counts["small"] == counts["large"], counts


def test_a_finding_acknowledged_until_a_date_ranks_no_more_until_then(session: Session) -> None:
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (flat,) = _patients(session, team, 1, until=DAY_56, days=57)
    assert _places(_read(session, doc, DAY_56))[flat] == "checkpoint"
    review = DAY_56 + dt.timedelta(days=14)
    later = AT + dt.timedelta(minutes=5)
    findings.acknowledge(
        session,
        doc,
        flat,
        "CHECKPOINT_NOT_IMPROVING",
        review,
        "neurologist booked",
        today=DAY_56,
        at=later,
    )

    during = work.read(session, doc, today=DAY_56 + dt.timedelta(days=3), at=later)
    row = during.rows[0]
    assert row.place.reason == "no_diary"  # its other reason: nothing entered for 3 days
    assert [(a.code, a.by_name, a.note) for a in row.acknowledged] == [
        ("CHECKPOINT_NOT_IMPROVING", "doc", "neurologist booked")
    ]
    after = work.read(session, doc, today=review + dt.timedelta(days=1), at=later)
    assert after.rows[0].place.reason == "checkpoint"
    assert after.rows[0].acknowledged == ()


def test_an_acknowledgement_never_hides_an_alarm_even_if_stored(session: Session) -> None:
    """A row acknowledging an alarm finding (which care refuses) is ignored all the same."""
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (alarm,) = _patients(session, team, 1, until=DAY_56, days=57, alarm=True)
    session.add(
        FindingAck(
            patient_id=alarm,
            code="ALARM_SADDLE_NUMBNESS",
            until=DAY_56 + dt.timedelta(days=9),
            note="x",
            by_name="doc",
            at=AT + dt.timedelta(hours=1),
        )
    )
    session.commit()

    row = _read(session, doc, DAY_56).rows[0]

    assert row.place.reason == "emergency"
    assert row.acknowledged == ()


def test_each_row_shows_what_its_newest_assessment_says(session: Session) -> None:
    """Week, phase, step and triage on the list are those of the stored assessment (read
    from its columns), the findings its ranking used those of its JSON."""
    team = _team(session, "A")
    doc = _clinician(session, "doc", team)
    (pid,) = _patients(session, team, 1, until=DAY_56, days=57)
    doc_user = accounts.user_by_name(session, "doc")
    assert doc_user is not None
    record.set_medication(session, pid, {"step": 1}, by=doc_user.id, by_name="doc", reason="r")
    session.commit()

    (row,) = _read(session, doc, DAY_56).rows

    (stored,) = [a.data for a in assessments.all_of(session, pid) if a.today == DAY_56]
    assert row.week == stored["days_since_onset"] // 7 == 8
    assert (row.phase, row.triage) == (stored["phase"], stored["triage"])
    assert row.step == stored["medication"]["step"] == 1
    assert set(row.place.codes) <= {f["code"] for f in stored["findings"]}
