"""CLINICAL.md §2 (L9, L8, NHG-M55): alarms first, always; an unknown answer is never 'no'."""

from __future__ import annotations

from rughernia.pathway.facts import alarm_answers
from rughernia.pathway.model import Case


def findings(case: Case) -> list[str]:
    s = case.symptoms
    codes: list[str] = []
    if s.saddle_numbness is True:
        codes.append("ALARM_SADDLE_NUMBNESS")
    if s.incontinence is True:
        codes.append("ALARM_INCONTINENCE")
    if s.urinary_retention is True:
        codes.append("ALARM_URINARY_RETENTION")
    if s.weakness == "progressive":
        codes.append("ALARM_PROGRESSIVE_WEAKNESS")
    if s.weakness_severe is True:
        codes.append("ALARM_SEVERE_WEAKNESS")
    if s.both_legs is True:
        codes.append("ALARM_BOTH_LEGS")
    # Also beside a true alarm: the clinician must know which answers are missing.
    if any(answer is None for answer in alarm_answers(case).values()):
        codes.append("ALARM_UNCERTAIN")
    return codes
