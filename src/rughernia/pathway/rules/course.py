"""CLINICAL.md §5 (L4, L8, L3): phase, trend and the 8-week checkpoint."""

from __future__ import annotations

from rughernia.pathway.facts import Facts
from rughernia.pathway.model import Thresholds


def findings(facts: Facts, t: Thresholds) -> list[str]:
    codes: list[str] = []
    current = facts.trend.current_leg_pain if facts.trend else None
    if facts.phase == "checkpoint" and current is not None:
        codes.append("CHECKPOINT_NOT_IMPROVING")
    entries = facts.trend.entries_last_7_days if facts.trend else 0
    days = facts.days_since_onset
    # Missing data never lowers urgency: too few entries at 8 weeks is itself a reason for the GP.
    at_checkpoint = days is not None and days >= t.checkpoint_day
    if facts.in_scope and at_checkpoint and entries < t.min_current_entries:
        codes.append("DIARY_INSUFFICIENT")
    if facts.phase == "recovered":
        codes.append("RECOVERED")
    return codes


def advice(facts: Facts) -> list[str]:
    if facts.phase == "checkpoint":
        return ["SURGERY_DISCUSS", "MRI_DISCUSS"]
    return []
