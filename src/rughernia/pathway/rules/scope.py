"""CLINICAL.md §4 (L1, NHG-M55): is this sciatica at all?"""

from __future__ import annotations

from rughernia.pathway.facts import under_age
from rughernia.pathway.model import Case, Thresholds


def findings(case: Case, t: Thresholds) -> list[str]:
    codes: list[str] = []
    reach = case.symptoms.leg_pain_reaches
    if reach == "none":
        codes.append("NOT_RADICULAR")
    elif reach == "above_knee":
        codes.append("LEG_PAIN_ABOVE_KNEE")
    if under_age(case, t):
        codes.append("OUT_OF_SCOPE_AGE")
    return codes


def advice(case: Case) -> list[str]:
    return ["ORDINARY_BACK_PAIN"] if case.symptoms.leg_pain_reaches == "none" else []
