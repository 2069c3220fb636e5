"""CLINICAL.md §7 (L3, L4, L6, L7, NHG-M55): activity, physiotherapy, imaging, reassurance."""

from __future__ import annotations

from rughernia.pathway.facts import Facts
from rughernia.pathway.model import Case, Thresholds


def advice(case: Case, facts: Facts, alarm: bool, red_flag: bool, t: Thresholds) -> list[str]:
    """``alarm``: an ALARM_* finding at emergency; ``red_flag``: any REDFLAG_* finding.
    No reassurance (natural course, no scan needed) beside either of them (v2)."""
    codes: list[str] = []
    reassure = not alarm and not red_flag
    if facts.phase == "acute":
        if reassure:
            codes.append("NATURAL_COURSE")
        codes += ["NO_BED_REST", "PHYSIO_NOT_YET"]
    latest = facts.latest
    lying = latest.hours_lying_daytime if latest is not None else None
    if lying is not None and lying > t.bed_rest_max_hours:
        codes.append("BED_REST_EXCESSIVE")
    if facts.phase == "recovery":
        codes += ["EXERCISE_THERAPY", "MOVE_AND_WORK"]
    if alarm or facts.phase == "checkpoint":
        codes.append("MRI_DISCUSS")
    elif reassure and facts.phase in ("acute", "recovery"):
        codes.append("MRI_NOT_USEFUL")
    if case.symptoms.weakness == "stable":
        codes.append("WEAKNESS_STABLE")
    return codes
