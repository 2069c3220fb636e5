"""Never a stale decision: re-assess, as of a day, every record whose newest decision is older.

A patient who enters nothing still crosses the 8-week checkpoint by the calendar, so
the nightly run (``rughernia reassess``) assesses as of ``today`` every patient (of one
team, or all) with an intake whose newest stored assessment is of an earlier day (or
who has none), and stores those assessments. No clinical logic here: the cases are the
stored records (``care.case``) and every decision is ``rughernia.pathway.assess``.

Set-based, in chunks: each chunk is one transaction of a fixed number of statements
(the stale patients with their newest assessments, their records, one insert, one audit
insert), whatever the number of patients in it. A run stopped midway loses at most
its open chunk; the next run finds what is still stale and does it, and a run with
nothing stale stores nothing (``assessments.store_many`` keeps the dedupe of ``store``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rughernia.care import case as record_case
from rughernia.care.errors import NotFound, RecordNotAssessable
from rughernia.content import load
from rughernia.pathway import assess
from rughernia.store import accounts, assessments, audit
from rughernia.store.audit import Actor

ACTION = "assessment.reassess"
CAUSE = "reassess"
CHUNK = 200  # patients per transaction
UNCHUNKED = None  # all stale patients in one transaction (the worklist's own run)
# The run acts for nobody signed in: no user id, like an anonymous caller, but a role
# and name that say which system did it (an anonymous caller has neither).
SYSTEM = Actor(user_id=None, username="rughernia reassess", role="system", client_address=None)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a run will do: the day, the team (None: every team) and the counts before it."""

    today: dt.date
    team_ids: tuple[int, ...] | None  # None: every team
    patients: int
    stale: int  # to re-assess (the progress bar's total)
    current: int  # with an assessment of ``today`` already
    without_intake: int  # nothing to assess yet


@dataclass(slots=True)
class Tally:
    reassessed: int = 0  # a new assessment stored
    unchanged: int = 0  # the newest stored one was this assessment of this day already
    skipped: int = 0  # the record makes no valid case (or lost its intake meanwhile)


def plan(session: Session, today: dt.date, *, team: str | None = None) -> Plan:
    """The run as of ``today`` for ``team`` (a name) or every team; ``NotFound`` for an
    unknown team. One or two queries; ends the read's transaction."""
    team_ids = None
    if team is not None:
        found = accounts.team_by_name(session, team)
        if found is None:
            raise NotFound("No such team", f"there is no team named {team!r}")
        team_ids = (found.id,)
    return plan_for(session, today, team_ids)


def plan_for(session: Session, today: dt.date, team_ids: tuple[int, ...] | None) -> Plan:
    """The run as of ``today`` for these teams (None: every team); one query; ends the
    read's transaction."""
    counts = assessments.freshness(session, today, team_ids=team_ids)
    session.rollback()
    return Plan(
        today=today,
        team_ids=team_ids,
        patients=counts.patients,
        stale=counts.stale,
        current=counts.with_intake - counts.stale,
        without_intake=counts.patients - counts.with_intake,
    )


def run(
    session: Session,
    plan: Plan,
    *,
    at: dt.datetime,
    chunk: int | None = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Tally:
    """Re-assess the stale records of ``plan``, ``chunk`` patients per transaction, each
    committed with its audit rows; ``progress`` hears how many patients each chunk did."""
    content = load()
    tally = Tally()
    after = 0
    while True:
        patients = assessments.stale_patients(
            session, plan.today, team_ids=plan.team_ids, after=after, limit=chunk
        )
        if not patients:
            break
        after = patients[-1].patient_id
        languages = {p.patient_id: p.language for p in patients}
        cases = record_case.stored_many(session, languages, plan.today)
        results = {}
        for patient_id, case in cases.items():
            if not isinstance(case, RecordNotAssessable):
                results[patient_id] = assess(case, content).to_dict()
        newest = {p.patient_id: p.newest for p in patients if p.newest is not None}
        stored = assessments.store_many(session, plan.today, results, CAUSE, at=at, newest=newest)
        # One audit row per patient, written in one statement per chunk: the convention of
        # ``audit.write`` (a list read touches many records, one row each), so each record's
        # own audit trail shows that the run read it, as it shows every other look at it.
        audit.write(session, SYSTEM, ACTION, "success", list(languages), at=at)
        session.commit()
        tally.reassessed += len(stored)
        tally.unchanged += len(results) - len(stored)
        tally.skipped += len(patients) - len(results)
        if progress is not None:
            progress(len(patients))
    session.rollback()  # the last (empty) look's transaction
    return tally
