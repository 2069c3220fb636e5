"""The nightly re-assessment (``care/reassess.py``) on both databases: today's decision for
every record, set-based, idempotent, one team at a time, and safe to interrupt."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care import reassess as batch
from rughernia.care.errors import NotFound
from rughernia.store import accounts, record
from rughernia.store.tables import AssessmentRow, AuditRow
from tests.dbsupport import intake_for, statements

ONSET = dt.date(2026, 1, 5)
DAY_55 = ONSET + dt.timedelta(days=55)
DAY_56 = ONSET + dt.timedelta(days=56)
AT = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def _patients(
    session: Session, team: str, n: int, *, diary_until: dt.date | None = DAY_55
) -> list[int]:
    """``n`` patients in scope (leg pain below the knee), a flat leg pain 7 every day from
    onset to ``diary_until`` (None: no diary at all), each assessed as of day 55."""
    team_id = accounts.ensure_team(session, team).id
    ids = []
    for i in range(n):
        row = record.add_patient(
            session,
            team_id=team_id,
            display_name=f"{team} {i}",
            language="nl",
            invitation_hash=None,
            invitation_expires_at=None,
        )
        record.put_intake(session, row.id, intake_for(ONSET, leg_pain_reaches="below_knee"), None)
        day = ONSET
        while diary_until is not None and day <= diary_until:
            record.put_diary_entry(session, row.id, day, {"leg_pain": 7})
            day += dt.timedelta(days=1)
        found = assessment.assess_and_store(session, row.id, DAY_55, "nl", "write", AT)
        assert found is not None
        ids.append(row.id)
    session.commit()
    return ids


def _newest(session: Session, patient_id: int) -> AssessmentRow:
    stmt = select(AssessmentRow).where(AssessmentRow.patient_id == patient_id)
    found = session.scalars(stmt.order_by(AssessmentRow.id.desc()).limit(1)).one()
    return found


def _codes(row: AssessmentRow) -> set[str]:
    return {f["code"] for f in row.data["findings"]}


def _of_day(session: Session, patient_id: int, day: dt.date) -> int:
    stmt = select(func.count()).where(
        AssessmentRow.patient_id == patient_id, AssessmentRow.today == day
    )
    return int(session.scalar(stmt) or 0)


def _run(session: Session, day: dt.date, **kw: Any) -> tuple[batch.Plan, batch.Tally]:
    team = kw.pop("team", None)
    plan = batch.plan(session, day, team=team)
    return plan, batch.run(session, plan, at=AT, **kw)


def test_the_calendar_alone_brings_the_checkpoint(session: Session) -> None:
    """Nothing entered since day 55: on day 56 the decision is the 8-week checkpoint's."""
    (flat,) = _patients(session, "A", 1)
    (silent,) = _patients(session, "A", 1, diary_until=None)
    assert "CHECKPOINT_NOT_IMPROVING" not in _codes(_newest(session, flat))
    assert "DIARY_INSUFFICIENT" not in _codes(_newest(session, silent))

    plan, tally = _run(session, DAY_56)

    assert (plan.stale, plan.current, plan.without_intake) == (2, 0, 0)
    assert (tally.reassessed, tally.unchanged, tally.skipped) == (2, 0, 0)
    new_flat, new_silent = _newest(session, flat), _newest(session, silent)
    assert (new_flat.today, new_flat.cause) == (DAY_56, "reassess")
    assert new_flat.phase == "checkpoint"
    assert "CHECKPOINT_NOT_IMPROVING" in _codes(new_flat)
    assert new_silent.today == DAY_56
    assert "DIARY_INSUFFICIENT" in _codes(new_silent)


def test_a_second_run_stores_nothing(session: Session) -> None:
    ids = _patients(session, "A", 3)
    _run(session, DAY_56)
    before = session.scalar(select(func.count()).select_from(AssessmentRow))
    audits = session.scalar(select(func.count()).select_from(AuditRow))

    plan, tally = _run(session, DAY_56)

    assert (plan.stale, plan.current) == (0, 3)
    assert (tally.reassessed, tally.unchanged, tally.skipped) == (0, 0, 0)
    assert session.scalar(select(func.count()).select_from(AssessmentRow)) == before
    assert session.scalar(select(func.count()).select_from(AuditRow)) == audits
    assert [_of_day(session, pid, DAY_56) for pid in ids] == [1, 1, 1]


def test_the_batch_keeps_the_dedupe_of_one_store(session: Session) -> None:
    """A patient whose assessment of today is stored by another surface meanwhile (here:
    a read of day 56 after the run's plan) gets no second one from the run."""
    ids = _patients(session, "A", 2)
    plan = batch.plan(session, DAY_56)
    assessment.assess_and_store(session, ids[0], DAY_56, "nl", "read", AT)
    session.commit()

    tally = batch.run(session, plan, at=AT)

    assert (tally.reassessed, tally.unchanged) == (1, 0)  # already current: not stale
    assert [_of_day(session, pid, DAY_56) for pid in ids] == [1, 1]


def test_patients_without_an_intake_are_skipped(session: Session) -> None:
    _patients(session, "A", 1)
    team_id = accounts.team_by_name(session, "A").id  # type: ignore[union-attr]
    record.add_patient(
        session,
        team_id=team_id,
        display_name="invited",
        language="en",
        invitation_hash=None,
        invitation_expires_at=None,
    )
    session.commit()
    plan, tally = _run(session, DAY_56)
    assert (plan.patients, plan.stale, plan.without_intake) == (2, 1, 1)
    assert tally.reassessed == 1


def test_every_patient_is_audited_once_by_the_system(session: Session) -> None:
    ids = _patients(session, "A", 3)
    _run(session, DAY_56, chunk=2)
    rows = session.scalars(select(AuditRow).where(AuditRow.action == batch.ACTION)).all()
    assert sorted(r.patient_id for r in rows if r.patient_id is not None) == ids
    assert {(r.user_id, r.username, r.role, r.outcome) for r in rows} == {
        (None, "rughernia reassess", "system", "success")
    }


def test_team_limits_the_run(session: Session) -> None:
    team_a = _patients(session, "A", 2)
    team_b = _patients(session, "B", 3)

    plan, tally = _run(session, DAY_56, team="A")

    assert (plan.patients, tally.reassessed) == (2, 2)
    assert [_of_day(session, pid, DAY_56) for pid in team_a] == [1, 1]
    assert [_of_day(session, pid, DAY_56) for pid in team_b] == [0, 0, 0]
    assert batch.plan(session, DAY_56).stale == 3
    with pytest.raises(NotFound):
        batch.plan(session, DAY_56, team="Nope")


def test_statements_do_not_grow_with_the_patients(session: Session, engine: Engine) -> None:
    """5 patients or 50: the same statements (one chunk); in chunks of 20, 3 chunks' worth."""
    _patients(session, "Five", 5)
    _patients(session, "Fifty", 50)
    _patients(session, "Again", 50)

    with statements(engine) as five:
        _, tally5 = _run(session, DAY_56, team="Five")
    with statements(engine) as fifty:
        _, tally50 = _run(session, DAY_56, team="Fifty")
    with statements(engine) as chunked:
        _, tally_chunked = _run(session, DAY_56, team="Again", chunk=20)

    assert (tally5.reassessed, tally50.reassessed, tally_chunked.reassessed) == (5, 50, 50)
    assert len(five) == len(fifty), (five, fifty)
    per_chunk = (len(chunked) - len(fifty)) / 2  # 3 chunks of 20 against 1 of 50
    assert per_chunk == int(per_chunk)
    assert 0 < per_chunk <= 8, chunked
    print(f"statements: 5 -> {len(five)}, 50 -> {len(fifty)}, 50 in 3 chunks -> {len(chunked)}")


def test_an_interrupted_run_is_finished_by_the_next(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped in its second chunk: the first is kept, the second undone; the next run does
    the rest, and every patient has exactly one assessment of the day."""
    ids = _patients(session, "A", 12)
    real = batch.assess
    calls = 0

    def failing(case: Any, content: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 8:
            raise KeyboardInterrupt
        return real(case, content)

    monkeypatch.setattr(batch, "assess", failing)
    with pytest.raises(KeyboardInterrupt):
        _run(session, DAY_56, chunk=5)
    session.rollback()
    assert [_of_day(session, pid, DAY_56) for pid in ids] == [1] * 5 + [0] * 7

    monkeypatch.setattr(batch, "assess", real)
    plan, tally = _run(session, DAY_56, chunk=5)

    assert (plan.stale, plan.current, tally.reassessed) == (7, 5, 7)
    assert [_of_day(session, pid, DAY_56) for pid in ids] == [1] * 12
    audited = session.scalars(select(AuditRow.patient_id).where(AuditRow.action == batch.ACTION))
    assert sorted(p for p in audited if p is not None) == ids
