"""The clinician's worklist: the patients of their teams, as of today, by who needs them.

Never a stale decision: first every patient of the teams whose newest assessment is of
an earlier day is re-assessed and stored (``care.reassess``, set-based), so a patient
who entered nothing still crosses the 8-week checkpoint by the calendar. Then each
patient's place comes from ``pathway.worklist.place`` (no ranking here): their current
findings, the alarm and finding acknowledgements still in force, their last diary day.

A fixed number of queries whatever the number of patients (a test counts them): the
re-assessment's, four reads over the teams, and the leg pain of the shown page only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from rughernia.care import reassess
from rughernia.care.access import Actor, as_role, refuse
from rughernia.care.errors import NotFound, invalid
from rughernia.content import load
from rughernia.content.worklist import rules_and_words
from rughernia.pathway.acknowledgement import alarm_level_covered, counting
from rughernia.pathway.model import Triage
from rughernia.pathway.worklist import PLACES, Place, Standing, place
from rughernia.store import accounts, record, worklist
from rughernia.store.tables import FindingAck
from rughernia.store.worklist import AlarmSeen, Listed

PER_PAGE = 50
SPARK_DAYS = 14  # the sparkline's days, today included


@dataclass(frozen=True, slots=True)
class Row:
    patient_id: int
    name: str
    team: str
    place: Place
    week: int | None
    phase: str | None
    step: int | None
    triage: str | None  # the current assessment's, None: no intake yet
    leg_pain: list[tuple[dt.date, int]]  # the last SPARK_DAYS days' entries, oldest first
    alarm_ack: AlarmSeen | None  # in force
    acknowledged: tuple[FindingAck, ...]  # findings acknowledged until a date, in force


@dataclass(frozen=True, slots=True)
class Worklist:
    today: dt.date
    rows: list[Row]  # the page's
    total: int  # after the filters
    page: int
    pages: int
    counts: dict[str, int]  # per place, before the reason filter
    teams: list[tuple[int, str]]  # the clinician's teams (id, name)
    reassessed: int  # patients re-assessed by this request
    alarm_ids: list[int] = field(default_factory=list)  # patients with an open alarm


def alarm_in_force(ack: AlarmSeen | None, changed_at: dt.datetime | None) -> Triage | None:
    if ack is None:
        return None
    return alarm_level_covered(Triage.from_code(ack.triage), ack.at, changed_at)


def standing_alarm_acknowledgement(
    session: Session, patient_id: int, triage: str
) -> AlarmSeen | None:
    """The alarm acknowledgement the worklist counts for this record at this triage level
    (None: none holds), so a patient's page and the worklist say the same. No access
    check or audit of its own: for a page that has just read the record through one."""
    ack = worklist.alarm_acknowledgements(session, [], patient_id=patient_id).get(patient_id)
    level = alarm_in_force(ack, record.changed_at(session, patient_id))
    return ack if level is not None and level >= Triage.from_code(triage) else None


def _findings_in_force(acks: list[FindingAck], listed: Listed, today: dt.date) -> list[FindingAck]:
    """The acknowledgements of findings that count today (``pathway.acknowledgement.counting``
    of the record's newest ones, newest first)."""
    counts = counting(acks, today, listed.changed_at, load())
    return [ack for ack, c in zip(acks, counts, strict=True) if c]


def _placed(listed: Listed, ack: AlarmSeen | None, acked: set[str], today: dt.date) -> Place:
    rules, _ = rules_and_words()
    findings = [(f["code"], Triage.from_code(f["triage"])) for f in listed.findings]
    standing = Standing(alarm_in_force(ack, listed.changed_at), frozenset(acked), listed.last_diary)
    return place(findings, standing, today, rules)


def read(
    session: Session,
    actor: Actor,
    *,
    today: dt.date,
    at: dt.datetime,
    team_id: int | None = None,
    reason: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Worklist:
    """The worklist of ``actor``'s teams (or one of them) as of ``today``."""
    if reason is not None and reason not in PLACES:
        raise invalid("reason", f"must be one of {', '.join(PLACES)}")
    if page < 1:
        raise invalid("page", "must be 1 or more")
    with as_role(session, actor, "worklist.read", "clinician", at=at) as step:
        assert actor.user_id is not None
        teams = accounts.teams_of(session, actor.user_id)
        team_ids = [t for t, _ in teams]
        if team_id is not None:
            if team_id not in team_ids:
                raise refuse(step, NotFound("No such team", "choose one of your own teams"))
            team_ids = [team_id]
        tally = reassess.run(
            session,
            reassess.Plan(today, tuple(team_ids), 0, 0, 0, 0),
            at=at,
            chunk=reassess.UNCHUNKED,
        )
        listed = worklist.patients(session, team_ids)
        acks = worklist.alarm_acknowledgements(session, team_ids)
        found = worklist.finding_acknowledgements(session, team_ids)
        acked = {
            p.patient_id: _findings_in_force(found.get(p.patient_id, []), p, today) for p in listed
        }
        placed = [
            (_placed(p, acks.get(p.patient_id), {a.code for a in acked[p.patient_id]}, today), p)
            for p in listed
        ]
        placed.sort(
            key=lambda pair: (
                *pair[0].key(pair[1].days_since_onset),
                pair[1].name.casefold(),  # then a fixed order, for paging
                pair[1].patient_id,
            )
        )
        counts = dict.fromkeys(PLACES, 0)
        for spot, _ in placed:
            counts[spot.reason] += 1
        chosen = [pair for pair in placed if reason is None or pair[0].reason == reason]
        pages = max(1, -(-len(chosen) // per_page))
        page = min(page, pages)  # past the end (an old link, fewer patients now): the last
        shown = chosen[(page - 1) * per_page : page * per_page]
        pains = worklist.leg_pain(
            session,
            [p.patient_id for _, p in shown],
            today - dt.timedelta(days=SPARK_DAYS - 1),
        )
        rows = [
            _row(spot, p, acks.get(p.patient_id), acked[p.patient_id], pains) for spot, p in shown
        ]
        # Every shown patient's record was looked at: one audit row each.
        step.audited = [r.patient_id for r in rows]
    return Worklist(
        today=today,
        rows=rows,
        total=len(chosen),
        page=page,
        pages=pages,
        counts=counts,
        teams=teams,
        reassessed=tally.reassessed,
        alarm_ids=[p.patient_id for spot, p in placed if spot.reason == PLACES[0]],
    )


def _row(
    spot: Place,
    p: Listed,
    ack: AlarmSeen | None,
    acked: list[FindingAck],
    pains: dict[int, list[tuple[dt.date, int]]],
) -> Row:
    days = p.days_since_onset
    return Row(
        patient_id=p.patient_id,
        name=p.name,
        team=p.team,
        place=spot,
        week=None if days is None else max(0, days) // 7,
        phase=p.phase,
        step=p.step,
        triage=p.triage,
        leg_pain=pains.get(p.patient_id, []),
        alarm_ack=ack if alarm_in_force(ack, p.changed_at) is not None else None,
        acknowledged=tuple(acked),
    )
