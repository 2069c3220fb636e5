"""Two answers to one question (``pathway/answers.py``): the one kept gives a decision at
least as urgent as either would, for every question, over generated cases."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rughernia.content import load
from rughernia.contract import parse_case
from rughernia.pathway import Triage, assess
from rughernia.pathway.answers import more_urgent, most_urgent, order
from rughernia.pathway.model import ALARM_QUESTIONS
from rughernia.pathway.rules.red_flags import FLAG_CODES
from tests.pathway.strategies import RISKS, cases

CONTENT = load()
FLAGS = ("back_pain", "tingling", "numb_foot", "sleep_disturbed")
# Each question with the answers the contract takes for it.
QUESTIONS: dict[str, tuple[Any, ...]] = {
    **{q: order(q) for q in ALARM_QUESTIONS},
    **dict.fromkeys(FLAGS, (True, False)),
    **dict.fromkeys(FLAG_CODES, (True, False)),
    **dict.fromkeys(RISKS, (True, False)),
    "leg_pain_reaches": order("leg_pain_reaches"),
    "course_reported": order("course_reported"),
    "uses_stomach_protector": order("uses_stomach_protector"),
}


def answered(case: dict[str, Any], question: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(case)
    if question in FLAG_CODES:
        out["symptoms"]["red_flags"][question] = value
    elif question in RISKS:
        risks = set(out["patient"]["risk_factors"]) - {question}
        out["patient"]["risk_factors"] = sorted(risks | ({question} if value else set()))
    elif question == "uses_stomach_protector":
        out["patient"][question] = value
    else:
        out["symptoms"][question] = value
    return out


def triage(case: dict[str, Any]) -> Triage:
    return assess(parse_case(case), CONTENT).triage


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_the_answer_kept_is_at_least_as_urgent_as_either(case: dict[str, Any], data: Any) -> None:
    question = data.draw(st.sampled_from(sorted(QUESTIONS)))
    a, b = data.draw(st.lists(st.sampled_from(QUESTIONS[question]), min_size=2, max_size=2))
    kept = more_urgent(question, a, b)
    assert kept in (a, b)
    assert more_urgent(question, b, a) == kept  # the order of reading does not matter
    got = triage(answered(case, question, kept))
    assert got >= triage(answered(case, question, a))
    assert got >= triage(answered(case, question, b))


def test_the_most_urgent_answer_is_first_and_an_unknown_one_never_wins() -> None:
    assert most_urgent("saddle_numbness") is True
    assert most_urgent("weakness") == "progressive"
    assert more_urgent("saddle_numbness", None, False) is None
    assert more_urgent("saddle_numbness", False, True) is True
    assert more_urgent("weakness", "maybe", "none") == "none"
