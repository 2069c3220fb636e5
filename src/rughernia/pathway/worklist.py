"""Who needs the clinician first: a patient's place on the worklist, as a pure function of
their current assessment, what a clinician acknowledged, and their last diary day.

The order (issue 14, rules and words in ``content/worklist.toml``): an alarm not yet
acknowledged (a finding of triage ``emergency``), then ``urgent``, then a request for
stronger or safer painkillers, then the 8-week checkpoint, then no diary for some days,
then the rest. Within a place, the more urgent triage first, then the longer course.

Safety: an acknowledgement of a finding until a review date never hides an
``emergency`` finding, whatever the store says (``pathway.acknowledgement`` already
refuses those; this is the second lock on the same door). An alarm acknowledgement
covers the findings of its triage level and below only while the record is unchanged
(the caller decides that); a new alarm after it brings the patient back to the top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rughernia.pathway.model import Triage

EMERGENCY, URGENT, PAINKILLERS, CHECKPOINT, NO_DIARY, REST = (
    "emergency",
    "urgent",
    "painkillers",
    "checkpoint",
    "no_diary",
    "rest",
)
PLACES = (EMERGENCY, URGENT, PAINKILLERS, CHECKPOINT, NO_DIARY, REST)


@dataclass(frozen=True, slots=True)
class Rules:
    """The worklist's rules as ``content/worklist.toml`` gives them."""

    painkiller_codes: frozenset[str]
    checkpoint_codes: frozenset[str]
    no_diary_days: int  # no entry for this many days or more


@dataclass(frozen=True, slots=True)
class Standing:
    """What the worklist knows of one patient besides their assessment's findings."""

    alarm_acknowledged: Triage | None  # the level of an alarm acknowledgement still in force
    acknowledged: frozenset[str]  # findings acknowledged until a review date, in force
    last_diary: dt.date | None


@dataclass(frozen=True, slots=True)
class Place:
    order: int  # index in PLACES
    reason: str  # one of PLACES
    codes: tuple[str, ...]  # the findings that put the patient here (none for no diary, rest)
    triage: Triage  # the most urgent finding not acknowledged (self_care when none)
    days_without_diary: int | None  # None: no diary at all

    def key(self, days_since_onset: int | None) -> tuple[int, int, int]:
        """Sort key: the place, then the more urgent triage, then the longer course first
        (an unknown course counts as the shortest: it has no day count to weigh)."""
        return (self.order, -int(self.triage), -(days_since_onset or 0))


def place(
    findings: list[tuple[str, Triage]], standing: Standing, today: dt.date, rules: Rules
) -> Place:
    """The patient's place: ``findings`` (code, triage) of their current assessment."""
    # A finding acknowledged until a date no longer ranks, unless it is an emergency one;
    # what an alarm acknowledgement covers (its level and the levels between it and
    # urgent) ranks no more either: below urgent, findings rank on as ever.
    acked = standing.alarm_acknowledged
    live = [
        (code, level)
        for code, level in findings
        if (code not in standing.acknowledged or level >= Triage.EMERGENCY)
        and (acked is None or level > acked or level < Triage.URGENT)
    ]
    days = None if standing.last_diary is None else (today - standing.last_diary).days
    top = max((t for _, t in live), default=Triage.SELF_CARE)
    candidates = (
        (EMERGENCY, tuple(c for c, t in live if t >= Triage.EMERGENCY)),
        (URGENT, tuple(c for c, t in live if t == Triage.URGENT)),
        (PAINKILLERS, tuple(c for c, _ in live if c in rules.painkiller_codes)),
        (CHECKPOINT, tuple(c for c, _ in live if c in rules.checkpoint_codes)),
    )
    for reason, why in candidates:
        if why:
            return Place(PLACES.index(reason), reason, why, top, days)
    if days is None or days >= rules.no_diary_days:
        return Place(PLACES.index(NO_DIARY), NO_DIARY, (), top, days)
    return Place(PLACES.index(REST), REST, (), top, days)
