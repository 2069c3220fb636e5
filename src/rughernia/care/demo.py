"""Demo data: a team, a clinician, an admin and patients in every phase, alarms included.

Dates are relative to today, so the demo tells the same story on any day. The
diaries are plausible courses (with the odd missed day); what each patient's
assessment says is decided by the pathway, as always.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care import assessment
from rughernia.care.passwords import Passwords
from rughernia.contract import NO_ALARM_SYMPTOMS
from rughernia.store import accounts, record

TEAM = "Demo huisartsenpraktijk"
PASSWORD = "rughernia-demo"  # noqa: S105 - printed to the user on purpose: demo only
CLINICIAN = "dokter"
ADMIN = "beheer"

NO_ALARMS: dict[str, Any] = {**NO_ALARM_SYMPTOMS, "back_pain": True}


@dataclass(frozen=True)
class DemoPatient:
    username: str
    name: str
    story: str
    onset_days_ago: int
    pains: list[int]  # leg pain per day from the day after onset; -1 = no entry that day
    step: int = 1
    symptoms: dict[str, Any] = field(default_factory=dict)
    last_entry: dict[str, Any] = field(default_factory=dict)
    age: int = 45


def _course(start: int, end: int, days: int) -> list[int]:
    """A straight-ish line from start to end pain over ``days`` days, every 5th day missed."""
    out = []
    for i in range(days):
        value = round(start + (end - start) * i / max(days - 1, 1))
        out.append(-1 if i % 5 == 3 and i < days - 7 else value)
    return out


PATIENTS = [
    DemoPatient("anna", "Anna de Vries", "acute, week 3", 20, [8] * 7 + [7] * 13),
    DemoPatient("bram", "Bram Jansen", "recovery", 35, [8] * 7 + _course(7, 3, 28), step=2),
    DemoPatient("carla", "Carla Bakker", "8-week checkpoint, not improving", 60, [7] * 60),
    DemoPatient("dirk", "Dirk Visser", "recovered", 49, [8] * 7 + _course(7, 2, 35) + [1] * 7),
    DemoPatient(
        "eva",
        "Eva Smit",
        "ALARM: numb saddle area",
        12,
        [8] * 12,
        symptoms={"saddle_numbness": True},
    ),
    DemoPatient(
        "femke",
        "Femke Mulder",
        "pain not tolerated on paracetamol",
        10,
        [8] * 9 + [9],
        last_entry={"pain_tolerable": False},
    ),
    DemoPatient(
        "gerrit",
        "Gerrit de Boer",
        "unsure about leg weakness",
        16,
        [7] * 16,
        symptoms={"weakness": None},
        age=62,
    ),
]


def is_empty(session: Session) -> bool:
    return accounts.count_users(session) == 0


def is_there(session: Session) -> bool:
    """The demo's clinician exists, so the demo was made before."""
    return accounts.user_by_name(session, CLINICIAN) is not None


def create(
    session: Session, passwords: Passwords, today: dt.date, at: dt.datetime
) -> list[DemoPatient]:
    """Fill the database with the demo as of ``today`` (now: ``at``); the caller commits."""
    hashed = passwords.hash(PASSWORD)
    team = accounts.ensure_team(session, TEAM, at=at)
    clinician = accounts.add_user(
        session,
        username=CLINICIAN,
        password_hash=hashed,
        role="clinician",
        display_name="Dokter Demo",
        team_ids=[team.id],
        at=at,
    )
    accounts.add_user(session, username=ADMIN, password_hash=hashed, role="admin", at=at)
    for demo in PATIENTS:
        _patient(session, demo, team.id, hashed, clinician.id, today, at)
    return PATIENTS


def _patient(
    session: Session,
    demo: DemoPatient,
    team_id: int,
    hashed: str,
    by: int,
    today: dt.date,
    at: dt.datetime,
) -> None:
    user = accounts.add_user(
        session,
        username=demo.username,
        password_hash=hashed,
        role="patient",
        display_name=demo.name,
        at=at,
    )
    row = record.add_patient(
        session,
        team_id=team_id,
        display_name=demo.name,
        language="nl",
        invitation_hash=None,
        invitation_expires_at=None,
        at=at,
    )
    row.user_id = user.id
    onset = today - dt.timedelta(days=demo.onset_days_ago)
    intake = {
        "onset": onset.isoformat(),
        "patient": {"age": demo.age, "sex": "unknown", "weight_kg": 75},
        "symptoms": {**NO_ALARMS, **demo.symptoms},
    }
    record.put_intake(session, row.id, intake, user.id, at=at)
    days = [(onset + dt.timedelta(days=i + 1), pain) for i, pain in enumerate(demo.pains)]
    days = [(day, pain) for day, pain in days if pain >= 0 and day <= today]
    for n, (day, pain) in enumerate(days):
        entry: dict[str, Any] = {
            "leg_pain": pain,
            "back_pain": max(pain - 2, 0),
            "pain_tolerable": True,
            "painkillers_as_scheduled": True,
            "paracetamol_mg": 2000 if demo.step >= 1 else 0,
            "nsaid_taken": demo.step >= 2,
            "hours_lying_daytime": 2.0,
            "exercised": pain <= 5,
        }
        if n == len(days) - 1:
            entry.update(demo.last_entry)
        record.put_diary_entry(session, row.id, day, entry, at=at)
    medication = {"step": demo.step, "paracetamol_since": onset + dt.timedelta(days=1)}
    if demo.step >= 2:
        medication |= {"nsaid": "naproxen", "nsaid_since": onset + dt.timedelta(days=7)}
    record.set_medication(
        session,
        row.id,
        medication,
        by=by,
        by_name=CLINICIAN,
        reason="Demo: start of the pathway",
        at=at,
    )
    assessment.assess_and_store(session, row.id, today, row.language, "demo", at)


def sign_in_help(base_url: str) -> str:
    names = ", ".join(f"{p.username} ({p.story})" for p in PATIENTS)
    return (
        f"Demo data: team '{TEAM}'. Every demo account has the password '{PASSWORD}'.\n"
        f"  clinician: {CLINICIAN}\n"
        f"  admin:     {ADMIN}\n"
        f"  patients:  {names}\n"
        f"Open the app in a browser: {base_url}/ (sign in as a patient, e.g. anna)\n"
        f"API docs: {base_url}/api/v1/docs\n"
        "Sign in:  curl -s -X POST "
        f"{base_url}/api/v1/session -H 'Content-Type: application/json' "
        f"""-d '{{"username": "{CLINICIAN}", "password": "{PASSWORD}"}}'"""
    )
