"""Acknowledging a finding until a review date: which findings may be, and while when.

A clinician who has acted on a finding (the neurologist's appointment is booked, a
cancer history is known and stable) may acknowledge it until a review date; the
worklist then ranks the patient by their other reasons. This module decides only
whether that is allowed and whether an acknowledgement still counts. It never
changes an assessment: the patient's own triage, findings and advice stay as
``assess()`` gives them.

Pure functions of their arguments, as the rest of the pathway: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from rughernia.pathway.model import Content, Triage


class Given(Protocol):
    """An acknowledgement as given: of which finding, until when, and when it was given."""

    @property
    def code(self) -> str: ...
    @property
    def until(self) -> dt.date: ...
    @property
    def at(self) -> dt.datetime: ...


def may_acknowledge(code: str, content: Content) -> bool:
    """Whether a finding with this code may be acknowledged until a review date.

    Never (SAFETY, the safer choice each time):

    - a code of ``content.acknowledgement.never``: the cauda equina signs, fever and
      the paracetamol findings (issue 14; the list and its reasons are in
      content/pathway.toml), which must be acted on each time they are seen;
    - any finding of triage ``emergency``: an emergency is acknowledged per assessment
      (``care.alarms``), with a note of what was done; silenced until a date, a new
      alarm of the same kind could sink down the worklist unseen;
    - an unknown code, or one that is advice rather than a finding: what we do not
      know, we do not let anyone silence.
    """
    entry = content.codes.get(code)
    if entry is None or entry.kind != "finding" or entry.triage is None:
        return False
    if code in content.acknowledgement.never:
        return False
    return entry.triage < Triage.EMERGENCY


def in_force(
    until: dt.date,
    acknowledged_at: dt.datetime,
    today: dt.date,
    record_changed_at: dt.datetime | None,
) -> bool:
    """Whether an acknowledgement still counts: up to and including its review date, and
    only while nothing in the record changed after it was given.

    ``record_changed_at`` is the newest change of the record's intake, diary and
    medication (None: nothing stored yet). A change after the acknowledgement voids
    it, even one that looks harmless: the clinician judged the record as it was, and
    a new diary day may be the very thing they would want to see (the safer choice).
    A change at the same instant counts as seen: the acknowledgement was given on the
    record as it stood at that moment.
    """
    if today > until:
        return False
    return record_changed_at is None or record_changed_at <= acknowledged_at


def counting(
    given: Iterable[Given],
    today: dt.date,
    record_changed_at: dt.datetime | None,
    content: Content,
) -> list[bool]:
    """Of one record's acknowledgements, newest first: whether each counts today.

    Only the newest of a code decides, as the clinician said last: a later one with an
    earlier date shortens the wait, and once its date has passed an older one with a
    later date does not take over (the safer choice: the finding shows again). It
    counts while it is ``in_force`` and its code still ``may_acknowledge`` (a code put
    on the never-list later stops counting at once).
    """
    out, seen = [], set()
    for ack in given:
        newest = ack.code not in seen
        seen.add(ack.code)
        out.append(
            newest
            and may_acknowledge(ack.code, content)
            and in_force(ack.until, ack.at, today, record_changed_at)
        )
    return out


def review_date_problem(until: dt.date, today: dt.date, content: Content) -> str | None:
    """What is wrong with ``until`` as a review date (None: nothing): it must lie after
    ``today`` (an acknowledgement that ends today or before would hide nothing, or
    hide a finding without a date to look again) and at most ``max_days`` ahead."""
    limit = content.acknowledgement.max_days
    if until <= today:
        return f"must be after today ({today.isoformat()}): the date to look again"
    if until > today + dt.timedelta(days=limit):
        last = (today + dt.timedelta(days=limit)).isoformat()
        return f"must be at most {limit} days ahead (on or before {last})"
    return None


def alarm_level_covered(
    acknowledged: Triage, acknowledged_at: dt.datetime, record_changed_at: dt.datetime | None
) -> Triage | None:
    """The triage level an alarm acknowledgement still covers (None: none any more).

    It covers its level (and those below) while nothing in the record changed after it:
    the next day's assessment by the calendar alone does not reopen it, but a new diary
    day, intake or medication does, even one that looks harmless (the clinician judged
    the record as it was; the safer choice, as for ``in_force``).
    """
    if record_changed_at is not None and record_changed_at > acknowledged_at:
        return None
    return acknowledged


def alarm_seen_covers(
    seen: Iterable[tuple[str, Triage]], today: Iterable[tuple[str, Triage]]
) -> bool:
    """Whether acknowledging the alarm of an assessment with the findings ``seen`` (code,
    triage) may stand for today's decision with the findings ``today``.

    An alarm acknowledgement covers its level until the record changes after it
    (``alarm_level_covered``). So one given on what a page showed earlier (a page left
    open while the patient reported a new alarm) must not cover an urgent or emergency
    finding the clinician never saw (SAFETY): every such finding of today must have
    been among those seen. The day, the language or a finding below urgent may differ.
    """
    shown = {code for code, _ in seen}
    return all(code in shown for code, level in today if level >= Triage.URGENT)
