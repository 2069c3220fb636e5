"""Two answers to one question: the one that keeps the more urgent decision.

An EHR can hold one question's answer twice: an intake QuestionnaireResponse and an
Observation, two Observations of different days, a preliminary one beside a final one.
Reading one of them at random could read "no" past a "yes" (CLINICAL.md §2: an alarm
always wins; missing data never lowers urgency). So where answers differ, the case
takes the one whose decision is at least as urgent as the other's; the order is per
question, most urgent first, and ``tests/pathway/test_answers.py`` checks it against
``assess()`` as a property.
"""

from __future__ import annotations

from typing import Any

# "Don't know" (None) sits between yes and no: it is urgent (ALARM_UNCERTAIN), a "yes"
# is an emergency, a "no" nothing. A risk factor present is the more cautious reading.
_YES_UNKNOWN_NO: tuple[Any, ...] = (True, None, False)
ORDER: dict[str, tuple[Any, ...]] = {
    "weakness": ("progressive", None, "stable", "none"),
    # Below the knee keeps the sciatica pathway and its rules in force.
    "leg_pain_reaches": ("below_knee", "above_knee", "none"),
    "course_reported": ("worse", "same", None, "a_little_better", "much_better"),
    # Without a stomach protector the NSAID cautions stand: "no" first.
    "uses_stomach_protector": (False, None, True),
}


def order(question: str) -> tuple[Any, ...]:
    """The answers of ``question``, most urgent first (yes, don't know, no by default)."""
    return ORDER.get(question, _YES_UNKNOWN_NO)


def more_urgent(question: str, a: Any, b: Any) -> Any:
    """Of two answers to ``question``, the one that keeps the more urgent decision.

    An answer outside the order (no answer of this question) loses to one inside it.
    """
    ranks = order(question)
    rank_a = ranks.index(a) if a in ranks else len(ranks)
    rank_b = ranks.index(b) if b in ranks else len(ranks)
    return a if rank_a <= rank_b else b


def most_urgent(question: str) -> Any:
    """The most urgent answer of ``question``: the one a preliminary answer may still add."""
    return order(question)[0]
