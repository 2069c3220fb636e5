"""CLINICAL.md §7 (L3, L4, L6, L7): activity, physiotherapy, imaging, reassurance."""

from __future__ import annotations

from rughernia.pathway.facts import Facts
from rughernia.pathway.model import Thresholds


def advice(facts: Facts, alarm: bool, t: Thresholds) -> list[str]:
    codes: list[str] = []
    if facts.phase == "acute":
        codes += ["NATURAL_COURSE", "NO_BED_REST", "PHYSIO_NOT_YET"]
    latest = facts.latest
    lying = latest.hours_lying_daytime if latest is not None else None
    if lying is not None and lying > t.bed_rest_max_hours:
        codes.append("BED_REST_EXCESSIVE")
    if facts.phase == "recovery":
        codes.append("EXERCISE_THERAPY")
    if alarm or facts.phase == "checkpoint":
        codes.append("MRI_DISCUSS")
    elif facts.phase in ("acute", "recovery"):
        codes.append("MRI_NOT_USEFUL")
    return codes
