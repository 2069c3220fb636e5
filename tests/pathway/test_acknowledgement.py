"""Which findings may be acknowledged until a review date, and while an acknowledgement counts
(``pathway/acknowledgement.py``): properties over every code and over generated dates."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rughernia.content import ContentError, load, parse, raw
from rughernia.pathway.acknowledgement import (
    alarm_level_covered,
    alarm_seen_covers,
    in_force,
    may_acknowledge,
    review_date_problem,
)
from rughernia.pathway.model import Triage

CONTENT = load()
FINDINGS = [c for c, v in CONTENT.codes.items() if v.kind == "finding"]
ADVICE = [c for c, v in CONTENT.codes.items() if v.kind == "advice"]
NAMED_IN_THE_ISSUE = {
    "ALARM_SADDLE_NUMBNESS",
    "ALARM_INCONTINENCE",
    "ALARM_URINARY_RETENTION",
    "REDFLAG_FEVER",
}
UTC = dt.UTC
days = st.integers(-400, 400)
instants = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(UTC)
)


def test_the_findings_the_issue_names_are_never_acknowledgeable() -> None:
    for code in NAMED_IN_THE_ISSUE:
        assert not may_acknowledge(code, CONTENT), code


def test_every_paracetamol_finding_is_never_acknowledgeable() -> None:
    paracetamol = [c for c in FINDINGS if c.startswith("PARACETAMOL_")]
    assert len(paracetamol) >= 4  # the pattern in the content found them
    for code in paracetamol:
        assert not may_acknowledge(code, CONTENT), code


@given(st.sampled_from(FINDINGS))
def test_no_emergency_finding_is_ever_acknowledgeable(code: str) -> None:
    if CONTENT.codes[code].triage == Triage.EMERGENCY:
        assert not may_acknowledge(code, CONTENT)


@given(st.sampled_from(FINDINGS))
def test_no_alarm_is_ever_acknowledgeable(code: str) -> None:
    if code.startswith("ALARM_"):
        # ALARM_UNCERTAIN is urgent, not an emergency: acknowledgeable (the GP has asked).
        expected = code == "ALARM_UNCERTAIN"
        assert may_acknowledge(code, CONTENT) is expected


@given(st.text(max_size=40))
def test_an_unknown_code_is_never_acknowledgeable(code: str) -> None:
    if code not in CONTENT.codes:
        assert not may_acknowledge(code, CONTENT)


@pytest.mark.parametrize("code", ADVICE)
def test_advice_is_no_finding_to_acknowledge(code: str) -> None:
    assert not may_acknowledge(code, CONTENT)


@pytest.mark.parametrize(
    "code",
    ["CHECKPOINT_NOT_IMPROVING", "REDFLAG_CANCER_HISTORY", "NSAID_CAUTION", "OPIOID_LONG_USE"],
)
def test_the_findings_a_clinician_acts_on_by_appointment_are_acknowledgeable(code: str) -> None:
    assert may_acknowledge(code, CONTENT)


@given(days, instants, st.none() | instants)
def test_after_its_date_never_in_force(
    after: int, at: dt.datetime, changed: dt.datetime | None
) -> None:
    until = dt.date(2026, 6, 1)
    today = until + dt.timedelta(days=abs(after) + 1)
    assert not in_force(until, at, today, changed)


@given(st.integers(0, 400), instants, st.integers(1, 10**9))
def test_a_record_change_after_it_voids_it(before: int, at: dt.datetime, later_us: int) -> None:
    until = dt.date(2027, 12, 31)
    today = until - dt.timedelta(days=before)
    changed = at + dt.timedelta(microseconds=later_us)
    assert not in_force(until, at, today, changed)


@given(st.integers(0, 400), instants, st.integers(0, 10**9), st.booleans())
def test_in_force_until_its_date_without_a_later_change(
    before: int, at: dt.datetime, earlier_us: int, no_record: bool
) -> None:
    until = dt.date(2027, 12, 31)
    today = until - dt.timedelta(days=before)  # the date itself counts
    changed = None if no_record else at - dt.timedelta(microseconds=earlier_us)
    assert in_force(until, at, today, changed)


def test_review_dates() -> None:
    today = dt.date(2026, 3, 2)
    limit = CONTENT.acknowledgement.max_days
    assert limit == 365
    assert review_date_problem(today + dt.timedelta(days=1), today, CONTENT) is None
    assert review_date_problem(today + dt.timedelta(days=limit), today, CONTENT) is None
    assert "after today" in str(review_date_problem(today, today, CONTENT))
    assert "after today" in str(review_date_problem(today - dt.timedelta(days=3), today, CONTENT))
    too_far = review_date_problem(today + dt.timedelta(days=limit + 1), today, CONTENT)
    assert "at most 365 days" in str(too_far)


def test_the_content_refuses_a_never_entry_that_names_no_finding() -> None:
    """A typo must not quietly let an alarm be acknowledged."""
    for bad in (["ALARM_SADDLE_NUMBNES"], ["PARACETAMOL_TYPO_*"], "ALARM_INCONTINENCE"):
        data = copy.deepcopy(raw())
        data["acknowledgement"]["never"] = bad
        with pytest.raises(ContentError, match=r"acknowledgement\.never"):
            parse(data)
    data = copy.deepcopy(raw())
    del data["acknowledgement"]
    with pytest.raises(ContentError, match="acknowledgement"):
        parse(data)


@given(
    st.sampled_from([Triage.URGENT, Triage.EMERGENCY]),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.one_of(
        st.none(), st.timedeltas(min_value=dt.timedelta(days=-30), max_value=dt.timedelta(days=30))
    ),
)
def test_an_alarm_acknowledgement_holds_exactly_until_the_record_changes(
    level: Triage, at: dt.datetime, shift: dt.timedelta | None
) -> None:
    changed = None if shift is None else at + shift
    covered = alarm_level_covered(level, at, changed)
    if changed is not None and changed > at:
        assert covered is None
    else:
        assert covered == level


FINDING_LEVELS = [
    (c, v.triage) for c, v in load().codes.items() if v.kind == "finding" and v.triage
]
finding_sets = st.lists(st.sampled_from(FINDING_LEVELS), unique=True, max_size=8)


@given(finding_sets, finding_sets)
def test_an_alarm_acknowledged_on_what_was_seen_never_covers_an_unseen_alarm(
    seen: list[tuple[str, Triage]], today: list[tuple[str, Triage]]
) -> None:
    unseen_alarm = any(
        level >= Triage.URGENT and code not in {c for c, _ in seen} for code, level in today
    )
    assert alarm_seen_covers(seen, today) is not unseen_alarm
    assert alarm_seen_covers(today, today)  # today's own decision always may be
