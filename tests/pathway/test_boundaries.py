"""Boundary tests: each threshold of CLINICAL.md on both sides."""

from __future__ import annotations

from typing import Any

import pytest

from rughernia.content import load
from tests.pathway.builders import base_case, codes, day, entries, run, with_symptoms


def flat_diary(onset_offset: int, pain: int = 7) -> list[dict[str, Any]]:
    return entries(dict.fromkeys(range(onset_offset, -1, -1), pain))


@pytest.mark.parametrize(("days", "phase"), [(55, "acute"), (56, "checkpoint"), (84, "checkpoint")])
def test_checkpoint_day_56(days: int, phase: str) -> None:
    result = run(base_case(onset=day(days), diary=flat_diary(days)))
    assert result["days_since_onset"] == days
    assert result["phase"] == phase
    assert ("CHECKPOINT_NOT_IMPROVING" in codes(result)) == (phase == "checkpoint")
    assert ("SURGERY_DISCUSS" in codes(result, "advice")) == (phase == "checkpoint")


def _trend_case(baseline: list[int], current: list[int], onset: int = 30) -> dict[str, Any]:
    diary = entries({onset - i: p for i, p in enumerate(baseline)})
    diary += entries({len(current) - 1 - i: p for i, p in enumerate(current)})
    return base_case(onset=day(onset), diary=diary)


@pytest.mark.parametrize(
    ("baseline", "current", "decreasing"),
    [
        ([7, 7, 7], [5, 5, 5], False),  # drop 2 is 29 % of 7: under 30 %
        ([6, 6, 6], [4, 4, 4], True),  # drop 2 = 33 %
        ([7, 7, 7], [5, 5, 6], False),  # drop 1.67
        ([10, 10, 10], [8, 8, 8], False),  # drop 2 but only 20 %
        ([10, 10, 10], [7, 7, 7], True),  # drop 3 = 30 % exactly
        ([10, 10, 10], [7, 7, 8], False),  # drop 2.67 < 3
    ],
)
def test_two_points_and_thirty_percent(
    baseline: list[int], current: list[int], decreasing: bool
) -> None:
    result = run(_trend_case(baseline, current))
    assert result["trend"]["clearly_decreasing"] is decreasing
    assert result["phase"] == ("recovery" if decreasing else "acute")


def test_exact_arithmetic_two_point_drop() -> None:
    # Baseline 16/3, current 10/3: a drop of exactly 2 that floats would miss.
    result = run(_trend_case([5, 5, 6], [3, 3, 4]))
    assert result["trend"]["baseline_leg_pain"] == pytest.approx(16 / 3)
    assert result["trend"]["current_leg_pain"] == pytest.approx(10 / 3)
    assert result["trend"]["clearly_decreasing"] is True


@pytest.mark.parametrize(
    ("baseline", "current", "decreasing"),
    [
        ([4, 4, 4], [3, 3, 3], False),  # baseline 4: the 30 % rule applies, drop 1
        ([4, 4, 4], [2, 2, 2], True),  # drop 2 = 50 %
        ([3, 3, 3], [2, 2, 2], True),  # baseline < 4: current <= 2 is enough
        ([3, 3, 3], [3, 3, 3], False),  # baseline < 4, current 3, drop 0
        ([3, 3, 4], [3, 3, 3], False),  # baseline 10/3 < 4, drop 1/3
    ],
)
def test_low_baseline_below_4(baseline: list[int], current: list[int], decreasing: bool) -> None:
    assert run(_trend_case(baseline, current))["trend"]["clearly_decreasing"] is decreasing


@pytest.mark.parametrize(("n", "has_current"), [(2, False), (3, True)])
def test_three_entries_make_a_current_value(n: int, has_current: bool) -> None:
    diary = entries({30: 8, 29: 8, 28: 8}) + entries(dict.fromkeys(range(n), 2))
    result = run(base_case(onset=day(30), diary=diary))
    assert result["trend"]["entries_last_7_days"] == n
    assert (result["trend"]["current_leg_pain"] is not None) is has_current
    assert result["trend"]["clearly_decreasing"] is has_current


def test_windows_are_inclusive_today_minus_6() -> None:
    diary = entries({30: 8, 6: 3, 5: 3, 0: 3, 7: 9})
    result = run(base_case(onset=day(30), diary=diary))
    assert result["trend"]["entries_last_7_days"] == 3
    assert result["trend"]["current_leg_pain"] == 3


def test_baseline_is_first_entry_date_plus_6() -> None:
    diary = entries({30: 8, 24: 6, 23: 1, 0: 5, 1: 5, 2: 5})
    assert run(base_case(onset=day(30), diary=diary))["trend"]["baseline_leg_pain"] == 7


@pytest.mark.parametrize(("days", "insufficient"), [(55, False), (56, True)])
def test_diary_insufficient_from_day_56(days: int, insufficient: bool) -> None:
    result = run(base_case(onset=day(days), diary=entries({days: 8, 1: 8, 0: 8})))
    assert ("DIARY_INSUFFICIENT" in codes(result)) is insufficient
    assert "CHECKPOINT_NOT_IMPROVING" not in codes(result)
    assert result["triage"] == ("contact_gp" if insufficient else "self_care")


@pytest.mark.parametrize(("current", "phase"), [([1, 1, 1], "recovered"), ([1, 1, 2], "recovery")])
def test_recovered_at_current_1(current: list[int], phase: str) -> None:
    result = run(_trend_case([8, 8, 8], current))
    assert result["phase"] == phase
    assert ("RECOVERED" in codes(result)) is (phase == "recovered")


@pytest.mark.parametrize(("since", "fires"), [(14, False), (15, True)])
def test_opioid_14_days(since: int, fires: bool) -> None:
    result = run(base_case(medication={"step": 3, "opioid_since": day(since)}))
    assert ("OPIOID_LONG_USE" in codes(result)) is fires
    assert result["medication"]["action"] == ("review_opioid" if fires else "continue")
    assert "OPIOID_LAXATIVE" in codes(result, "advice")


@pytest.mark.parametrize(("hours", "fires"), [(4, False), (4.5, True), (24, True)])
def test_four_hours_lying(hours: float, fires: bool) -> None:
    result = run(base_case(diary=entries({0: 6}, hours_lying_daytime=hours)))
    assert ("BED_REST_EXCESSIVE" in codes(result, "advice")) is fires


def test_lying_counts_only_for_the_latest_entry() -> None:
    result = run(base_case(diary=entries({2: 6}, hours_lying_daytime=10)))
    assert "BED_REST_EXCESSIVE" not in codes(result, "advice")


@pytest.mark.parametrize(
    ("mg", "finding", "triage"),
    [
        (3000, None, "self_care"),
        (3001, "PARACETAMOL_ABOVE_ADVISED", "self_care"),
        (4000, "PARACETAMOL_ABOVE_ADVISED", "self_care"),
        (4001, "PARACETAMOL_ABOVE_MAX", "urgent"),
    ],
)
def test_paracetamol_3000_and_4000(mg: int, finding: str | None, triage: str) -> None:
    medication = {"step": 1, "paracetamol_since": day(5)}
    result = run(base_case(diary=entries({1: 6}, paracetamol_mg=mg), medication=medication))
    found = codes(result) & {"PARACETAMOL_ABOVE_ADVISED", "PARACETAMOL_ABOVE_MAX"}
    assert found == ({finding} if finding else set())
    assert result["triage"] == triage


def test_paracetamol_two_days_ago_does_not_count() -> None:
    result = run(base_case(diary=entries({2: 6}, paracetamol_mg=6000)))
    assert "PARACETAMOL_ABOVE_MAX" not in codes(result)


@pytest.mark.parametrize(("since", "limit"), [(30, 3000), (31, 2500)])
def test_paracetamol_long_use_30_days(since: int, limit: int) -> None:
    result = run(base_case(medication={"step": 1, "paracetamol_since": day(since)}))
    assert result["medication"]["paracetamol_max_mg_per_day"] == limit


@pytest.mark.parametrize(("weight", "limit"), [(49.9, 2000), (50, 3000), (50.0, 3000)])
def test_weight_50_kg(weight: float, limit: int) -> None:
    medication = {"step": 1, "paracetamol_since": day(5)}
    result = run(base_case(patient={"age": 42, "weight_kg": weight}, medication=medication))
    assert result["medication"]["paracetamol_max_mg_per_day"] == limit


@pytest.mark.parametrize("risk", ["liver_disease", "alcohol_3_plus_daily"])
def test_reduced_paracetamol_maximum(risk: str) -> None:
    case = base_case(
        patient={"age": 42, "risk_factors": [risk]},
        medication={"step": 1, "paracetamol_since": day(60)},
    )
    assert run(case)["medication"]["paracetamol_max_mg_per_day"] == 2000


@pytest.mark.parametrize(("age", "out"), [(17, True), (18, False)])
def test_age_18(age: int, out: bool) -> None:
    result = run(base_case(patient={"age": age}))
    assert ("OUT_OF_SCOPE_AGE" in codes(result)) is out
    # v2: under 18 the GP looks for the cause (NHG-M55), without the hernia's phase advice.
    assert result["triage"] == ("contact_gp" if out else "self_care")
    assert result["phase"] == (None if out else "acute")
    assert ("NATURAL_COURSE" in codes(result, "advice")) is not out
    assert "SAFETY_NET" in codes(result, "advice")


def test_alarm_beats_age_out_of_scope() -> None:
    result = run(with_symptoms(base_case(patient={"age": 12}), saddle_numbness=True))
    assert result["triage"] == "emergency"


@pytest.mark.parametrize(("age", "fires"), [(69, False), (70, True)])
def test_age_70_needs_stomach_protection(age: int, fires: bool) -> None:
    result = run(base_case(patient={"age": age}, medication={"step": 2}))
    assert ("NSAID_STOMACH_PROTECTION" in codes(result)) is fires


def test_stomach_protector_silences_the_protection_rule() -> None:
    patient = {"age": 75, "uses_stomach_protector": True}
    assert "NSAID_STOMACH_PROTECTION" not in codes(
        run(base_case(patient=patient, medication={"step": 2}))
    )


@pytest.mark.parametrize(
    "patient",
    [
        {"risk_factors": ["heart_failure"]},
        {"risk_factors": ["kidney_disease"]},
        {"pregnant": True},
        {"risk_factors": ["stomach_ulcer_history"]},
    ],
)
def test_nsaid_caution(patient: dict[str, Any]) -> None:
    assert "NSAID_CAUTION" in codes(run(base_case(patient=patient, medication={"step": 2})))
    assert "NSAID_CAUTION" not in codes(run(base_case(patient=patient, medication={"step": 1})))


@pytest.mark.parametrize(
    ("step", "scheduled", "finding", "action"),
    [
        (0, True, None, "start_paracetamol"),
        (1, True, "PAIN_NOT_TOLERATED", "discuss_step_up"),
        (2, None, "PAIN_NOT_TOLERATED", "discuss_step_up"),
        (3, True, "PAIN_UNCONTROLLED_ON_OPIOID", "urgent_review"),
        (1, False, "PAINKILLERS_NOT_REGULAR", "take_regularly"),
        (0, False, None, "start_paracetamol"),
    ],
)
def test_pain_tolerance_rows(
    step: int, scheduled: bool | None, finding: str | None, action: str
) -> None:
    diary = entries({0: 9}, pain_tolerable=False, painkillers_as_scheduled=scheduled)
    result = run(base_case(diary=diary, medication={"step": step}))
    tolerance = {"PAIN_NOT_TOLERATED", "PAIN_UNCONTROLLED_ON_OPIOID", "PAINKILLERS_NOT_REGULAR"}
    assert codes(result) & tolerance == ({finding} if finding else set())
    assert result["medication"]["action"] == action


def test_latest_entry_is_today_or_yesterday_only() -> None:
    diary = entries({2: 9}, pain_tolerable=False, painkillers_as_scheduled=True)
    assert "PAIN_NOT_TOLERATED" not in codes(run(base_case(diary=diary)))
    diary = entries({1: 9}, pain_tolerable=False, painkillers_as_scheduled=True)
    assert "PAIN_NOT_TOLERATED" in codes(run(base_case(diary=diary)))


def test_pain_tolerable_unknown_fires_nothing() -> None:
    diary = entries({0: 9}, pain_tolerable=None, painkillers_as_scheduled=True)
    assert codes(run(base_case(diary=diary))) == set()


def test_step_down_in_recovery_at_step_2() -> None:
    case = _trend_case([8, 8, 8], [4, 4, 4])
    case["medication"] = {"step": 2}
    assert run(case)["medication"]["action"] == "discuss_step_down"


def test_action_precedence() -> None:
    diary = entries({0: 9}, pain_tolerable=False, painkillers_as_scheduled=True)
    case = base_case(diary=diary, medication={"step": 3, "opioid_since": day(20)})
    result = run(case)
    assert {"PAIN_UNCONTROLLED_ON_OPIOID", "OPIOID_LONG_USE"} <= codes(result)
    assert result["medication"]["action"] == "urgent_review"


def test_above_knee_sees_the_gp_without_the_hernia_course() -> None:
    result = run(with_symptoms(base_case(), leg_pain_reaches="above_knee"))
    assert result["triage"] == "contact_gp"
    assert result["phase"] is None  # v2: out of scope (L1: the pathway is for pain below the knee)
    assert not codes(result, "advice") & {"NATURAL_COURSE", "NO_BED_REST", "PHYSIO_NOT_YET"}


def test_out_of_scope_keeps_red_flags_and_painkiller_rows() -> None:
    case = with_symptoms(
        base_case(diary=entries({0: 2}, paracetamol_mg=5000)), leg_pain_reaches="none"
    )
    result = run(case)
    assert codes(result) == {"NOT_RADICULAR", "PARACETAMOL_ABOVE_MAX"}
    assert result["triage"] == "urgent"
    assert result["phase"] is None


def test_out_of_scope_with_only_self_care_findings_is_not_applicable() -> None:
    case = with_symptoms(
        base_case(diary=entries({0: 2}, paracetamol_mg=3500)), leg_pain_reaches="none"
    )
    result = run(case)
    assert codes(result) == {"NOT_RADICULAR", "PARACETAMOL_ABOVE_ADVISED"}
    assert result["triage"] == "not_applicable"


def test_no_onset_counts_from_the_first_diary_date() -> None:
    result = run(base_case(onset=None, diary=entries({0: 6, 1: 6, 2: 6})))
    assert result["phase"] == "acute"
    assert result["days_since_onset"] == 2
    assert result["trend"]["current_leg_pain"] == 6


def test_uncertain_alarm_beside_a_true_alarm() -> None:
    result = run(with_symptoms(base_case(), incontinence=True, both_legs=None))
    assert {"ALARM_INCONTINENCE", "ALARM_UNCERTAIN"} <= codes(result)
    assert result["triage"] == "emergency"
    assert "SAFETY_NET" not in codes(result, "advice")
    assert "MRI_DISCUSS" in codes(result, "advice")
    assert result["findings"][0]["triage"] == "emergency"


def test_english_texts() -> None:
    result = run(base_case(language="en"))
    assert result["language"] == "en"
    assert result["triage_text"] == load().triage_text["self_care"]["en"]
    assert all(a["text"] == load().codes[a["code"]].text["en"] for a in result["advice"][-1:])


@pytest.mark.parametrize(
    ("today", "yesterday"),
    [("0001-01-01", None), ("0001-01-02", "0001-01-01"), ("9999-12-31", "9999-12-30")],
)
def test_windows_at_the_ends_of_the_calendar(today: str, yesterday: str | None) -> None:
    # The 7-day windows reach past 0001-01-01 or 9999-12-31 here: found by schemathesis
    # as an OverflowError (a 500) for a case that is valid by the contract.
    case = base_case(today=today, onset=None)
    case["diary"] = [{"date": yesterday or today, "leg_pain": 6, "paracetamol_mg": 3500}]
    if yesterday:
        case["diary"].append({"date": today, "leg_pain": 5})
    assert "PARACETAMOL_ABOVE_ADVISED" in codes(run(case))
