"""Safety invariants as properties, each over at least 2,000 generated cases."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rughernia.content import load
from rughernia.contract import parse_case
from rughernia.pathway import Triage, assess
from rughernia.pathway.model import ALARM_QUESTIONS
from rughernia.pathway.rules.red_flags import FLAG_CODES
from tests.pathway.strategies import cases

MANY = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTENT = load()


def triage(case: dict[str, Any]) -> Triage:
    return assess(parse_case(case), CONTENT).triage


def set_alarm(case: dict[str, Any], name: str, value: object) -> dict[str, Any]:
    out = copy.deepcopy(case)
    if name == "weakness":
        value = {True: "progressive", False: "none", None: None}[value]  # type: ignore[index]
    out["symptoms"][name] = value
    return out


@MANY
@given(cases(), st.sampled_from(ALARM_QUESTIONS))
def test_any_alarm_true_gives_emergency(case: dict[str, Any], alarm: str) -> None:
    assert triage(set_alarm(case, alarm, True)) == Triage.EMERGENCY


@MANY
@given(cases(), st.sampled_from(ALARM_QUESTIONS + tuple(FLAG_CODES)))
def test_setting_an_alarm_or_red_flag_never_lowers_triage(case: dict[str, Any], flag: str) -> None:
    if flag in FLAG_CODES:
        raised = copy.deepcopy(case)
        raised["symptoms"]["red_flags"][flag] = True
    else:
        raised = set_alarm(case, flag, True)
    assert triage(raised) >= triage(case)


@MANY
@given(cases(), st.sampled_from(ALARM_QUESTIONS))
def test_false_to_unknown_never_lowers_triage(case: dict[str, Any], alarm: str) -> None:
    no = set_alarm(case, alarm, False)
    unknown = set_alarm(case, alarm, None)
    assert triage(unknown) >= triage(no)
    assert triage(unknown) >= Triage.URGENT


@MANY
@given(cases())
def test_same_case_same_assessment(case: dict[str, Any]) -> None:
    first = assess(parse_case(case), CONTENT)
    again = assess(parse_case(copy.deepcopy(case)), CONTENT)
    assert first == again
    assert first.to_dict() == again.to_dict()


@MANY
@given(cases(), st.integers(0, 2**32 - 1))
def test_diary_order_does_not_matter(case: dict[str, Any], seed: int) -> None:
    shuffled = copy.deepcopy(case)
    random.Random(seed).shuffle(shuffled["diary"])
    assert (
        assess(parse_case(shuffled), CONTENT).to_dict()
        == assess(parse_case(case), CONTENT).to_dict()
    )


@MANY
@given(cases())
def test_paracetamol_maximum_never_above_4000(case: dict[str, Any]) -> None:
    plan = assess(parse_case(case), CONTENT).medication
    assert 0 < plan.paracetamol_max_mg_per_day <= 4000


@MANY
@given(cases())
def test_everything_below_emergency_carries_the_safety_net(case: dict[str, Any]) -> None:
    result = assess(parse_case(case), CONTENT)
    has_net = any(a.code == "SAFETY_NET" for a in result.advice)
    assert has_net is (result.triage < Triage.EMERGENCY)


@MANY
@given(cases())
def test_triage_is_the_most_urgent_finding(case: dict[str, Any]) -> None:
    result = assess(parse_case(case), CONTENT)
    top = max((f.triage for f in result.findings), default=Triage.SELF_CARE)
    assert result.triage == top or (
        result.triage == Triage.NOT_APPLICABLE and top <= Triage.SELF_CARE
    )
    assert list(result.findings) == sorted(result.findings, key=lambda f: -f.triage)


def moved(case: dict[str, Any], days: int) -> dict[str, Any]:
    """The same case with every date moved by ``days``."""

    def shift(value: str) -> str:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()

    out = copy.deepcopy(case)
    out["today"] = shift(out["today"])
    if out["onset"] is not None:
        out["onset"] = shift(out["onset"])
    for entry in out["diary"]:
        entry["date"] = shift(entry["date"])
    for name in ("paracetamol_since", "nsaid_since", "opioid_since"):
        if name in out["medication"]:
            out["medication"][name] = shift(out["medication"][name])
    return out


@MANY
@given(cases(), st.sampled_from(["first day", "last day"]))
def test_only_relative_dates_count_up_to_the_ends_of_the_calendar(
    case: dict[str, Any], edge: str
) -> None:
    # Moved so its earliest date is 0001-01-01, or its today 9999-12-31: the windows of
    # the rules reach past the calendar there (an OverflowError was found this way).
    dates = [dt.date.fromisoformat(case["today"])]
    dates += [dt.date.fromisoformat(e["date"]) for e in case["diary"]]
    if case["onset"] is not None:
        dates.append(dt.date.fromisoformat(case["onset"]))
    dates += [dt.date.fromisoformat(v) for k, v in case["medication"].items() if k != "step"]
    target = dt.date.min if edge == "first day" else dt.date.max
    days = (target - (min(dates) if edge == "first day" else dates[0])).days
    before = assess(parse_case(case), CONTENT)
    after = assess(parse_case(moved(case, days)), CONTENT)
    assert after.to_dict() == before.to_dict()
