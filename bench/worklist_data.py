"""Generated teams for the worklist benchmark: set-based, straight into the tables.

Not through the API (that would take hours for 100,000 patients): a team, its
patients, their intakes, medication and diary are inserted chunk by chunk with
SQLAlchemy Core (``executemany`` of many rows per statement; on PostgreSQL the
diary, by far the largest table, with ``COPY``) into a database migrated with the
project's own migrations. Every value is a cheap deterministic function of the
patient's number ``i`` and the diary day ``d``, so two runs make the same data:

- alarms: 1 % saddle numbness (an emergency), 1 % fever (a red flag), 1 % progressive
  weakness; the rest answer every alarm question "no";
- the course: 30 % flat (leg pain about 6), 60 % improving (8 down to about 1),
  10 % pain not tolerated (8 or 9, ``pain_tolerable`` false);
- medication: a quarter none, half paracetamol (step 1), a quarter naproxen on top
  (step 2) from a week after onset;
- one patient in 13 stopped writing the diary 4 days ago;
- onset: the first diary day, the diary ending today (or 4 days ago).

Assessments are not made here: the benchmark runs ``care.reassess`` for them (the
code under test for a new day anyway).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select

from rughernia.contract import NO_ALARM_SYMPTOMS
from rughernia.store import migrate
from rughernia.store.tables import DiaryRow, Intake, MedicationRow, PatientRow, Team

CHUNK = 2_000  # patients per transaction
_PATIENTS = cast(Table, PatientRow.__table__)
_INTAKES = cast(Table, Intake.__table__)
_MEDICATIONS = cast(Table, MedicationRow.__table__)
_DIARY = cast(Table, DiaryRow.__table__)
_TEAMS = cast(Table, Team.__table__)
DIARY_COLUMNS = (
    "patient_id",
    "date",
    "leg_pain",
    "back_pain",
    "pain_tolerable",
    "painkillers_as_scheduled",
    "paracetamol_mg",
    "nsaid_taken",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class Generated:
    team_id: int
    patients: int
    diary_rows: int
    seconds: float


def migrated(engine: Engine) -> None:
    migrate.upgrade(engine)


def symptoms(i: int) -> dict[str, Any]:
    out: dict[str, Any] = {**NO_ALARM_SYMPTOMS}
    kind = i % 100
    if kind == 0:
        out["saddle_numbness"] = True
    elif kind == 50:
        out["red_flags"] = {"fever": True}
    elif kind == 25:
        out["weakness"] = "progressive"
    return out


def leg_pain(i: int, d: int, days: int) -> int:
    """Day ``d`` (0 = onset) of patient ``i``'s diary of ``days`` days."""
    wobble = (i + d * 7) % 3 - 1
    course = i % 10
    if course < 3:  # flat
        value = 6 + wobble
    elif course < 9:  # improving
        value = round(8 - 7 * d / max(days - 1, 1)) + wobble
    else:  # not tolerated
        value = 8 + (i + d) % 2
    return max(0, min(10, value))


def step_of(i: int) -> int:
    return (0, 1, 1, 2)[i % 4]


def gap_of(i: int) -> int:
    """Days since the last diary entry."""
    return 4 if i % 13 == 0 else 0


def patient_rows(i0: int, n: int, team_id: int, at: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "team_id": team_id,
            "user_id": None,
            "display_name": f"Patiënt {i:06d}",
            "language": "en" if i % 7 == 0 else "nl",
            "invitation_hash": None,
            "invitation_expires_at": None,
            "created_at": at,
        }
        for i in range(i0, i0 + n)
    ]


def record_rows(
    numbered: list[tuple[int, int]], days: int, today: dt.date, at: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Iterator[tuple[Any, ...]]]:
    """The intakes, medications and diary rows of ``(i, patient id)`` pairs."""
    intakes, medications = [], []
    for i, pid in numbered:
        onset = today - dt.timedelta(days=days - 1 + gap_of(i))
        intakes.append(
            {
                "patient_id": pid,
                "data": {
                    "onset": onset.isoformat(),
                    "patient": {
                        "age": 25 + i % 50,
                        "sex": ("female", "male")[i % 2],
                        "weight_kg": 55 + i % 40,
                    },
                    "symptoms": symptoms(i),
                },
                "updated_at": at,
                "updated_by": None,
            }
        )
        step = step_of(i)
        medications.append(
            {
                "patient_id": pid,
                "step": step,
                "paracetamol_since": onset if step else None,
                "nsaid": "naproxen" if step == 2 else None,
                "nsaid_since": onset + dt.timedelta(days=7) if step == 2 else None,
                "opioid_since": None,
                "updated_at": at,
                "updated_by": None,
            }
        )

    def diary() -> Iterator[tuple[Any, ...]]:
        for i, pid in numbered:
            onset = today - dt.timedelta(days=days - 1 + gap_of(i))
            step = step_of(i)
            for d in range(days):
                day = onset + dt.timedelta(days=d)
                nsaid = step == 2 and d >= 7
                yield (
                    pid,
                    day,
                    leg_pain(i, d, days),
                    2 + d % 3,
                    i % 10 != 9,
                    True if step else None,
                    3000 if step else None,
                    nsaid if step == 2 else None,
                    at,
                    at,
                )

    return intakes, medications, diary()


def _insert_diary(connection: Connection, rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        assert raw is not None
        copy_sql = f"COPY diary_entries ({', '.join(DIARY_COLUMNS)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    # SQLite: the driver's own executemany of plain tuples, in SQLAlchemy's storage format
    # (ISO dates, "YYYY-MM-DD HH:MM:SS.ffffff" UTC times), without building a dict per row
    # for ``insert()`` and its type processing. Every row has the same times (``at``).
    stamp: str | None = None
    marks = ", ".join("?" for _ in DIARY_COLUMNS)
    sql = f"INSERT INTO diary_entries ({', '.join(DIARY_COLUMNS)}) VALUES ({marks})"
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        if stamp is None:
            stamp = row[8].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        batch.append((row[0], row[1].isoformat(), *row[2:8], stamp, stamp))
        if len(batch) >= 20_000:
            connection.exec_driver_sql(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        connection.exec_driver_sql(sql, batch)
        count += len(batch)
    return count


def generate(
    engine: Engine,
    *,
    team: str,
    patients: int,
    days: int,
    today: dt.date,
    at: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> Generated:
    """A new team ``team`` with ``patients`` records of ``days`` diary days each."""
    start = time.perf_counter()
    with engine.begin() as connection:
        team_id = connection.execute(
            select(_TEAMS.c.id).where(_TEAMS.c.name == team)
        ).scalar_one_or_none()
        if team_id is None:
            team_id = connection.execute(
                insert(_TEAMS).returning(_TEAMS.c.id), {"name": team, "created_at": at}
            ).scalar_one()
    diary_rows = 0
    for i0 in range(0, patients, CHUNK):
        n = min(CHUNK, patients - i0)
        with engine.begin() as connection:
            after = connection.execute(select(func.max(_PATIENTS.c.id))).scalar() or 0
            connection.execute(insert(_PATIENTS), patient_rows(i0, n, team_id, at))
            ids = connection.execute(
                select(_PATIENTS.c.id)
                .where(_PATIENTS.c.team_id == team_id, _PATIENTS.c.id > after)
                .order_by(_PATIENTS.c.id)
            ).scalars()
            numbered = list(zip(range(i0, i0 + n), ids, strict=True))
            intakes, medications, diary = record_rows(numbered, days, today, at)
            connection.execute(insert(_INTAKES), intakes)
            connection.execute(insert(_MEDICATIONS), medications)
            diary_rows += _insert_diary(connection, diary)
        if progress is not None:
            progress(n)
    analyzed(engine)
    return Generated(team_id, patients, diary_rows, time.perf_counter() - start)


def analyzed(engine: Engine) -> None:
    """The planner's statistics, as a database in use has them (autovacuum; ``ANALYZE``):
    after a bulk load, and after a run that stored an assessment for every patient."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
