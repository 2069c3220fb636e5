"""The worklist benchmark's generator (``bench/worklist_data.py``), small: the rows it
writes are a record the app reads back, and ``care.reassess`` assesses every one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from bench import worklist_data
from rughernia.care import reassess
from rughernia.store import record
from rughernia.store.engine import make_engine, session_factory
from rughernia.store.tables import AssessmentRow, DiaryRow, Intake, MedicationRow, PatientRow

TODAY = dt.date(2026, 3, 2)
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_five_generated_patients_are_records_that_reassess_assesses(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'bench.db'}")
    try:
        worklist_data.migrated(engine)
        made = worklist_data.generate(engine, team="W5", patients=5, days=20, today=TODAY, at=AT)
        assert made.patients == 5
        assert made.diary_rows == 5 * 20
        with session_factory(engine)() as session:
            ids = list(session.scalars(select(PatientRow.id).order_by(PatientRow.id)))
            assert len(ids) == 5
            for table in (Intake, MedicationRow):
                assert session.scalar(select(func.count()).select_from(table)) == 5
            assert session.scalar(select(func.count()).select_from(DiaryRow)) == 100
            # Read back as the app reads it: the dates, times and flags in their own types.
            first = record.diary(session, ids[1])
            assert [e.date for e in first][-1] == TODAY
            assert first[0].created_at == AT
            assert record.diary(session, ids[0])[-1].date == TODAY - dt.timedelta(days=4)  # gap
            intake = record.intake(session, ids[0])
            assert intake is not None
            assert intake["symptoms"]["saddle_numbness"] is True  # patient 0: the alarm

            plan = reassess.plan(session, TODAY)
            assert plan.stale == 5
            tally = reassess.run(session, plan, at=AT)
            assert (tally.reassessed, tally.skipped) == (5, 0)
            triage = dict(
                session.execute(
                    select(AssessmentRow.patient_id, AssessmentRow.triage).where(
                        AssessmentRow.today == TODAY
                    )
                ).all()
            )
            assert set(triage) == set(ids)
            assert triage[ids[0]] == "emergency"
            assert reassess.plan(session, TODAY).stale == 0
    finally:
        engine.dispose()
