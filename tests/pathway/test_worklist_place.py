"""Properties of the worklist's order (``pathway.worklist.place``): an alarm not yet
acknowledged always comes first, an acknowledgement until a date never hides an alarm,
and missing data never moves a patient down."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rughernia.content import load
from rughernia.content.worklist import rules_and_words
from rughernia.pathway.model import Triage
from rughernia.pathway.worklist import PLACES, Standing, place

TODAY = dt.date(2026, 3, 2)
CODES = load().codes
FINDINGS = [(c, v.triage) for c, v in CODES.items() if v.kind == "finding" and v.triage]
RULES, _ = rules_and_words()

findings = st.lists(st.sampled_from(FINDINGS), unique=True, max_size=6)
acked = st.frozensets(st.sampled_from([c for c, _ in FINDINGS]), max_size=6)
alarm_ack = st.sampled_from([None, Triage.URGENT, Triage.EMERGENCY])
last_diary = st.one_of(st.none(), st.integers(0, 30).map(lambda d: TODAY - dt.timedelta(days=d)))


@given(findings, acked, last_diary)
def test_an_unacknowledged_alarm_always_comes_first(
    found: list[tuple[str, Triage]], codes: frozenset[str], last: dt.date | None
) -> None:
    spot = place(found, Standing(None, codes, last), TODAY, RULES)
    alarms = [c for c, t in found if t == Triage.EMERGENCY]
    assert (spot.reason == "emergency") == bool(alarms)
    assert set(alarms) <= set(spot.codes) or not alarms


@given(findings, acked, alarm_ack, last_diary)
def test_acknowledging_findings_never_hides_an_emergency(
    found: list[tuple[str, Triage]],
    codes: frozenset[str],
    ack: Triage | None,
    last: dt.date | None,
) -> None:
    without = place(found, Standing(ack, frozenset(), last), TODAY, RULES)
    with_acks = place(found, Standing(ack, codes, last), TODAY, RULES)
    if without.reason == "emergency":
        assert with_acks.reason == "emergency"
    assert with_acks.order >= without.order  # an acknowledgement only ever moves down


@given(findings, acked, alarm_ack, last_diary)
def test_missing_diary_never_moves_a_patient_down(
    found: list[tuple[str, Triage]],
    codes: frozenset[str],
    ack: Triage | None,
    last: dt.date | None,
) -> None:
    known = place(found, Standing(ack, codes, last), TODAY, RULES)
    unknown = place(found, Standing(ack, codes, None), TODAY, RULES)
    assert unknown.order <= known.order
    assert unknown.reason in PLACES


@given(findings, last_diary)
def test_an_acknowledged_alarm_ranks_by_its_other_reasons(
    found: list[tuple[str, Triage]], last: dt.date | None
) -> None:
    spot = place(found, Standing(Triage.EMERGENCY, frozenset(), last), TODAY, RULES)
    assert spot.reason not in ("emergency", "urgent")


@given(findings, acked, last_diary, st.integers(0, 400), st.integers(1, 400))
def test_within_a_place_the_longer_course_comes_first(
    found: list[tuple[str, Triage]], codes: frozenset[str], last: dt.date | None, d: int, more: int
) -> None:
    spot = place(found, Standing(None, codes, last), TODAY, RULES)
    assert spot.key(d + more) < spot.key(d)
    assert spot.key(d) <= spot.key(None)  # an unknown course weighs as the shortest
