"""The safety invariants of content version 2, each over at least 2,000 generated cases."""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import given

from rughernia.contract import parse_case
from rughernia.pathway import Assessment, Triage, assess
from tests.pathway.strategies import cases
from tests.pathway.test_properties import CONTENT, MANY, triage

NO_MORE_TODAY = {"PARACETAMOL_ABOVE_MAX", "PARACETAMOL_OVERDOSE"}


def full(case: dict[str, Any]) -> Assessment:
    return assess(parse_case(case), CONTENT)


def finding_codes(result: Assessment) -> set[str]:
    return {f.code for f in result.findings}


@MANY
@given(cases())
def test_an_overdose_always_gives_emergency(case: dict[str, Any]) -> None:
    result = full(case)
    if "PARACETAMOL_OVERDOSE" in finding_codes(result):
        assert result.triage == Triage.EMERGENCY
        assert not finding_codes(result) & {"PARACETAMOL_ABOVE_MAX", "PARACETAMOL_ABOVE_ADVISED"}


@MANY
@given(cases())
def test_no_dose_advice_beside_above_max_or_overdose(case: dict[str, Any]) -> None:
    result = full(case)
    advice = {a.code for a in result.advice}
    if finding_codes(result) & NO_MORE_TODAY:
        assert "PARACETAMOL_FIXED_TIMES" not in advice
        assert "PARACETAMOL_ABOVE_ADVISED_REPEATED" not in finding_codes(result)
        assert result.medication.action != "start_paracetamol"


@MANY
@given(cases())
def test_the_dose_text_never_allows_more_than_the_maximum(case: dict[str, Any]) -> None:
    result = full(case)
    maximum = result.medication.paracetamol_max_mg_per_day
    tablets = maximum // 500
    for item in result.advice:
        if item.code != "PARACETAMOL_FIXED_TIMES":
            continue
        numbers = [int(n) for n in re.findall(r"\d+", item.text)]
        # Every number is the tablet strength, the maximum in mg, or a count within it.
        assert all(n in (500, maximum) or n <= tablets for n in numbers), (numbers, maximum)
        assert tablets in numbers
        assert maximum in numbers
        assert "1000" not in item.text


@MANY
@given(cases())
def test_unknown_onset_is_never_less_urgent_than_the_first_diary_date(
    case: dict[str, Any],
) -> None:
    if not case["diary"]:
        return
    unknown = copy.deepcopy(case)
    unknown["onset"] = None
    known = copy.deepcopy(case)
    known["onset"] = min(e["date"] for e in case["diary"])
    assert triage(unknown) >= triage(known)


@MANY
@given(cases())
def test_unknown_stomach_protector_never_ranks_below_no(case: dict[str, Any]) -> None:
    unknown, no = copy.deepcopy(case), copy.deepcopy(case)
    unknown["patient"]["uses_stomach_protector"] = None
    no["patient"]["uses_stomach_protector"] = False
    assert triage(unknown) >= triage(no)
    assert finding_codes(full(unknown)) >= finding_codes(full(no))
