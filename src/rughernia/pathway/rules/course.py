"""CLINICAL.md §5 (L4, L8, L3, NHG-M55): phase, trend and the 8-week checkpoint."""

from __future__ import annotations

from rughernia.pathway.facts import Facts
from rughernia.pathway.model import Case, Thresholds


def findings(case: Case, facts: Facts, t: Thresholds) -> list[str]:
    codes: list[str] = []
    if facts.phase == "checkpoint" and facts.course_known:
        codes.append("CHECKPOINT_NOT_IMPROVING")
    entries = facts.trend.entries_last_7_days if facts.trend else 0
    days = facts.days_since_onset
    # Missing data never lowers urgency: too few entries at 8 weeks is itself a reason for the GP.
    at_checkpoint = days is not None and days >= t.checkpoint_day
    reported = case.symptoms.course_reported is not None
    if facts.in_scope and at_checkpoint and entries < t.min_current_entries and not reported:
        codes.append("DIARY_INSUFFICIENT")
    # Needs no onset: worse pain needs the GP again whatever the clock says.
    if facts.in_scope and facts.worsening:
        codes.append("PAIN_WORSENING")
    if facts.phase == "recovered":
        codes.append("RECOVERED")
    return codes


def advice(case: Case, facts: Facts) -> list[str]:
    codes: list[str] = []
    if facts.phase == "checkpoint":
        codes += ["SURGERY_DISCUSS", "MRI_DISCUSS"]
    if facts.in_scope and case.onset is None:
        codes.append("ONSET_UNKNOWN")
    return codes
