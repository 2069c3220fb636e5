"""Boundary tests of the thresholds that content version 2 added (CLINICAL.md §5, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pathway.builders import base_case, codes, day, entries, run

DOSE_ROWS = {
    "PARACETAMOL_OVERDOSE",
    "PARACETAMOL_ABOVE_MAX",
    "PARACETAMOL_ABOVE_ADVISED",
    "PARACETAMOL_ABOVE_ADVISED_REPEATED",
}


def dose_case(mg: int, weight: float | None, **medication: Any) -> dict[str, Any]:
    patient: dict[str, Any] = {"age": 42}
    if weight is not None:
        patient["weight_kg"] = weight
    med = {"step": 1, "paracetamol_since": day(5), **medication}
    return base_case(patient=patient, diary=entries({0: 6}, paracetamol_mg=mg), medication=med)


# ------------------------------------------------------------ 150 mg per kg: an overdose


@pytest.mark.parametrize(
    ("weight", "at"),
    [(70, 10500), (49.9, 7485), (None, 7500)],  # 150 x 70; 150 x 49.9 exactly; 150 x 50 assumed
)
def test_overdose_at_150_mg_per_kg(weight: float | None, at: int) -> None:
    result = run(dose_case(at, weight))
    assert codes(result) & DOSE_ROWS == {"PARACETAMOL_OVERDOSE"}
    assert result["triage"] == "emergency"
    assert "PARACETAMOL_FIXED_TIMES" not in codes(result, "advice")
    below = run(dose_case(at - 1, weight))
    assert codes(below) & DOSE_ROWS == {"PARACETAMOL_ABOVE_MAX"}
    assert below["triage"] == "urgent"


# ------------------------------------------------------------ 75 mg per kg: above the maximum


@pytest.mark.parametrize(
    ("weight", "at", "personal"),
    [(50, 3750, 3000), (40, 3000, 2000), (None, 3750, 3000)],
)
def test_above_max_at_75_mg_per_kg(weight: float | None, at: int, personal: int) -> None:
    result = run(dose_case(at, weight))
    assert codes(result) & DOSE_ROWS == {"PARACETAMOL_ABOVE_MAX"}
    assert result["triage"] == "urgent"
    below = run(dose_case(at - 1, weight))
    assert below["medication"]["paracetamol_max_mg_per_day"] == personal
    assert codes(below) & DOSE_ROWS == {"PARACETAMOL_ABOVE_ADVISED"}
    assert below["triage"] == "self_care"


# ------------------------------------------------------------ repeated overuse


@pytest.mark.parametrize(("days_above", "fires"), [(2, False), (3, True)])
def test_above_the_personal_maximum_on_3_of_7_days(days_above: int, fires: bool) -> None:
    # Personal maximum 3000 (recent start, 70 kg); 3500 mg is above it, below 75 mg/kg.
    pains = dict.fromkeys(range(6, -1, -1), 6)
    diary = entries(pains, paracetamol_mg=2000)
    for entry in diary[:days_above]:  # the oldest days of the week: not today or yesterday
        entry["paracetamol_mg"] = 3500
    case = base_case(diary=diary, medication={"step": 1, "paracetamol_since": day(10)})
    result = run(case)
    assert ("PARACETAMOL_ABOVE_ADVISED_REPEATED" in codes(result)) is fires
    assert "PARACETAMOL_ABOVE_ADVISED" not in codes(result)  # today and yesterday are fine
    assert result["triage"] == ("contact_gp" if fires else "self_care")


def test_repeated_overuse_eight_days_ago_does_not_count() -> None:
    diary = entries({9: 6, 8: 6, 7: 6}, paracetamol_mg=3500) + entries({0: 6})
    case = base_case(diary=diary, medication={"step": 1, "paracetamol_since": day(10)})
    assert "PARACETAMOL_ABOVE_ADVISED_REPEATED" not in codes(run(case))


def test_repeated_overuse_is_not_beside_above_max() -> None:
    diary = entries({3: 6, 2: 6}, paracetamol_mg=3500) + entries({0: 6}, paracetamol_mg=4500)
    case = base_case(diary=diary, medication={"step": 1, "paracetamol_since": day(10)})
    assert codes(run(case)) & DOSE_ROWS == {"PARACETAMOL_ABOVE_MAX"}


@pytest.mark.parametrize(("step", "limit"), [(0, 3000), (1, 2500)])
def test_unknown_paracetamol_start_counts_as_long_use_on_painkillers(step: int, limit: int) -> None:
    result = run(base_case(medication={"step": step}))
    assert result["medication"]["paracetamol_max_mg_per_day"] == limit


# ------------------------------------------------------------ worsening


def _course(pains: dict[int, int], onset: int = 40, **symptoms: Any) -> dict[str, Any]:
    case = base_case(onset=day(onset), diary=entries(pains))
    case["symptoms"].update(symptoms)
    return case


@pytest.mark.parametrize(("current", "worse"), [(6, True), (5, False)])
def test_worsening_is_a_rise_of_2_points(current: int, worse: bool) -> None:
    result = run(_course({40: 4, 39: 4, 38: 4, 2: current, 1: current, 0: current}))
    assert ("PAIN_WORSENING" in codes(result)) is worse
    assert result["triage"] == ("contact_gp" if worse else "self_care")


@pytest.mark.parametrize(("current", "worse"), [(4, True), (3, False)])
def test_worsening_needs_current_4(current: int, worse: bool) -> None:
    result = run(_course({40: 1, 39: 1, 38: 1, 2: current, 1: current, 0: current}))
    assert ("PAIN_WORSENING" in codes(result)) is worse


def test_a_course_of_9_then_2_creeping_back_to_6_is_worsening() -> None:
    pains = {40: 9, 39: 9, 38: 9, 20: 2, 19: 2, 18: 2, 2: 6, 1: 6, 0: 6}
    result = run(_course(pains))
    assert "PAIN_WORSENING" in codes(result)
    assert result["trend"]["clearly_decreasing"] is True  # 6 is below the baseline of 9
    assert result["phase"] == "acute"  # no longer recovery: the worst pain is not over


@pytest.mark.parametrize(("entries_in_week", "worse"), [(3, True), (2, False)])
def test_best_earlier_week_needs_3_entries(entries_in_week: int, worse: bool) -> None:
    low = dict.fromkeys(range(20, 20 - entries_in_week, -1), 2)
    pains = {40: 9, 39: 9, 38: 9, **low, 2: 6, 1: 6, 0: 6}
    assert ("PAIN_WORSENING" in codes(run(_course(pains)))) is worse


def test_best_earlier_week_never_overlaps_the_current_week() -> None:
    # The low days are today - 8 .. today - 6: a window ending on today - 7 holds only two.
    pains = {40: 9, 39: 9, 38: 9, 8: 2, 7: 2, 6: 2, 1: 6, 0: 6}
    result = run(_course(pains))
    assert result["trend"]["entries_last_7_days"] == 3
    assert "PAIN_WORSENING" not in codes(result)


def test_worsening_needs_no_onset() -> None:
    case = _course({10: 3, 9: 3, 8: 3, 2: 6, 1: 6, 0: 6})
    case["onset"] = None
    assert "PAIN_WORSENING" in codes(run(case))


# ------------------------------------------------------------ recovery from day 56


@pytest.mark.parametrize(("current", "phase"), [(3, "recovery"), (4, "checkpoint")])
def test_day_56_recovery_needs_mild_pain(current: int, phase: str) -> None:
    pains = {56: 9, 55: 9, 54: 9, 2: current, 1: current, 0: current}  # a clear drop either way
    result = run(_course(pains, onset=56))
    assert result["trend"]["clearly_decreasing"] is True
    assert result["phase"] == phase
    assert ("CHECKPOINT_NOT_IMPROVING" in codes(result)) is (phase == "checkpoint")


def test_before_day_56_moderate_pain_after_a_clear_drop_is_recovery() -> None:
    result = run(_course({55: 9, 54: 9, 53: 9, 2: 4, 1: 4, 0: 4}, onset=55))
    assert result["phase"] == "recovery"


# ------------------------------------------------------------ the first diary date as onset


@pytest.mark.parametrize(("first", "phase"), [(56, "checkpoint"), (55, "acute")])
def test_first_diary_date_stands_in_for_the_onset(first: int, phase: str) -> None:
    case = _course({first: 7, 2: 7, 1: 7, 0: 7})
    case["onset"] = None
    result = run(case)
    assert result["days_since_onset"] == first
    assert result["phase"] == phase
    assert "ONSET_UNKNOWN" in codes(result, "advice")
    assert ("CHECKPOINT_NOT_IMPROVING" in codes(result)) is (phase == "checkpoint")


def test_no_onset_and_no_diary_has_no_clock() -> None:
    result = run(base_case(onset=None))
    assert result["days_since_onset"] is None
    assert result["phase"] is None
    assert "ONSET_UNKNOWN" in codes(result, "advice")


# ------------------------------------------------------------ the reported course


@pytest.mark.parametrize(
    ("reported", "phase", "found"),
    [
        ("much_better", "recovery", set()),
        ("a_little_better", "checkpoint", {"CHECKPOINT_NOT_IMPROVING"}),
        ("same", "checkpoint", {"CHECKPOINT_NOT_IMPROVING"}),
        ("worse", "checkpoint", {"CHECKPOINT_NOT_IMPROVING", "PAIN_WORSENING"}),
        (None, "checkpoint", {"DIARY_INSUFFICIENT"}),
    ],
)
def test_reported_course_at_week_9(reported: str | None, phase: str, found: set[str]) -> None:
    case = base_case(onset=day(63))
    case["symptoms"]["course_reported"] = reported
    result = run(case)
    assert result["phase"] == phase
    course = {"CHECKPOINT_NOT_IMPROVING", "PAIN_WORSENING", "DIARY_INSUFFICIENT"}
    assert codes(result) & course == found
    assert result["trend"] is None  # the trend reports the diary alone


def test_reported_course_is_not_used_beside_a_current_value() -> None:
    case = _course({63: 8, 62: 8, 61: 8, 2: 8, 1: 8, 0: 8}, onset=63, course_reported="much_better")
    result = run(case)
    assert result["phase"] == "checkpoint"
    assert "CHECKPOINT_NOT_IMPROVING" in codes(result)


# ------------------------------------------------------------ morphine, NSAIDs


def test_morphine_without_a_start_date_is_reviewed() -> None:
    result = run(base_case(medication={"step": 3}))
    assert "OPIOID_START_UNKNOWN" in codes(result)
    assert result["medication"]["action"] == "review_opioid"
    assert {"OPIOID_USE", "OPIOID_LAXATIVE"} <= codes(result, "advice")


@pytest.mark.parametrize("risk", ["anticoagulants", "cardiovascular_disease"])
def test_new_nsaid_cautions(risk: str) -> None:
    patient = {"age": 42, "risk_factors": [risk]}
    assert "NSAID_CAUTION" in codes(run(base_case(patient=patient, medication={"step": 2})))


@pytest.mark.parametrize(("taken_on", "fires"), [(6, True), (7, False)])
def test_nsaid_without_prescription_in_the_diary(taken_on: int, fires: bool) -> None:
    diary = entries({taken_on: 6}, nsaid_taken=True) + entries({0: 6})
    case = base_case(patient={"age": 75}, diary=diary, medication={"step": 1})
    result = run(case)
    assert ("NSAID_STOMACH_PROTECTION" in codes(result)) is fires
    assert ("NSAID_USE" in codes(result, "advice")) is fires


@pytest.mark.parametrize(("protector", "fires"), [(None, True), (False, True), (True, False)])
def test_unknown_stomach_protector_is_asked_about(protector: bool | None, fires: bool) -> None:
    patient = {"age": 70, "uses_stomach_protector": protector}
    result = run(base_case(patient=patient, medication={"step": 2}))
    assert ("NSAID_STOMACH_PROTECTION" in codes(result)) is fires


# ------------------------------------------------------------ no reassurance beside alarms


@pytest.mark.parametrize(
    "symptoms",
    [{"both_legs": True}, {"red_flags": {"fever": True}}, {"red_flags": {"weight_loss": True}}],
)
def test_no_reassurance_beside_an_alarm_or_red_flag(symptoms: dict[str, Any]) -> None:
    reassurance = {"NATURAL_COURSE", "MRI_NOT_USEFUL"}
    assert reassurance <= codes(run(base_case()), "advice")
    case = base_case()
    case["symptoms"].update(symptoms)
    result = run(case)
    assert result["phase"] == "acute"
    assert not codes(result, "advice") & reassurance
    assert "NO_BED_REST" in codes(result, "advice")
