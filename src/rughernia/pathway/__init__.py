"""DECIDE: the care pathway as pure functions of a case and its explicit date.

Standard library only; no I/O, no clock. ``assess(case, content)`` is the one
entry point every surface calls.
"""

from rughernia.pathway.checks import Problem, problems
from rughernia.pathway.engine import assess
from rughernia.pathway.model import (
    Advice,
    Assessment,
    Case,
    Content,
    DiaryEntry,
    Finding,
    Medication,
    MedicationPlan,
    Patient,
    RedFlags,
    Symptoms,
    Trend,
    Triage,
)

__all__ = [
    "Advice",
    "Assessment",
    "Case",
    "Content",
    "DiaryEntry",
    "Finding",
    "Medication",
    "MedicationPlan",
    "Patient",
    "Problem",
    "RedFlags",
    "Symptoms",
    "Trend",
    "Triage",
    "assess",
    "problems",
]
