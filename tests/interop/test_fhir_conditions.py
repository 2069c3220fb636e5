"""Only a current Condition dates the episode and says what the pain is: a resolved,
inactive or refuted one (or one entered in error) is not used, and named on the card."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rughernia.content import load
from rughernia.interop import HookInvalid, codes
from rughernia.interop.cds import cards, prefetch_case
from rughernia.interop.texts import text
from rughernia.pathway import assess
from tests.interop.support import TODAY, by_triage, case_json, day
from tests.interop.test_cds import prefetch_of

NOT_CURRENT = [
    ("clinicalStatus", codes.CONDITION_CLINICAL, "resolved"),
    ("clinicalStatus", codes.CONDITION_CLINICAL, "inactive"),
    ("clinicalStatus", codes.CONDITION_CLINICAL, "remission"),
    ("verificationStatus", codes.CONDITION_VERIFICATION, "refuted"),
    ("verificationStatus", codes.CONDITION_VERIFICATION, "entered-in-error"),
]


def status(condition: dict[str, Any], field: str, system: str, code: str) -> dict[str, Any]:
    condition[field] = {"coding": [{"system": system, "code": code}]}
    return condition


@pytest.mark.parametrize(("field", "system", "code"), NOT_CURRENT)
def test_a_condition_that_is_not_current_sets_no_onset(field: str, system: str, code: str) -> None:
    pre = prefetch_of(case_json(onset=day(20)))
    (current,) = [e["resource"] for e in pre["conditions"]["entry"]]
    earlier = status(copy.deepcopy(current) | {"onsetDateTime": day(400)}, field, system, code)
    pre["conditions"]["entry"].append({"resource": earlier})
    case, parsed, unused = prefetch_case(pre, TODAY, "en")
    assert case["onset"] == day(20)  # not the earlier episode's day(400)
    assert unused == {"condition_not_current": 1}
    (card,) = cards(assess(parsed, load()), "en", None, unused=unused)
    assert text("unused", "condition_not_current", "en", n=1) in card["detail"]
    # Alone, it dates nothing: the onset is unknown.
    status(current, field, system, code)
    assert prefetch_case(pre, TODAY, "en")[0]["onset"] is None


def test_a_resolved_sciatica_beside_low_back_pain_keeps_the_leg_pain_below_the_knee() -> None:
    pre = prefetch_of(by_triage()["self_care"], answers=False)
    (sciatica,) = [e["resource"] for e in pre["conditions"]["entry"]]
    back = copy.deepcopy(sciatica) | {"code": codes.concept(codes.LOW_BACK_PAIN)}
    pre["conditions"]["entry"].append({"resource": back})
    status(sciatica, "clinicalStatus", codes.CONDITION_CLINICAL, "resolved")
    assert prefetch_case(pre, TODAY, "en")[0]["symptoms"]["leg_pain_reaches"] == "below_knee"
    # A sciatica refuted never was one: the back pain alone is what the record says.
    status(sciatica, "verificationStatus", codes.CONDITION_VERIFICATION, "refuted")
    del sciatica["clinicalStatus"]
    assert prefetch_case(pre, TODAY, "en")[0]["symptoms"]["leg_pain_reaches"] == "none"


def test_a_condition_status_of_the_wrong_shape_is_refused_by_name() -> None:
    pre = prefetch_of(case_json())
    pre["conditions"]["entry"][0]["resource"]["clinicalStatus"] = "resolved"
    with pytest.raises(HookInvalid, match=r"prefetch.conditions: entry.0.resource.clinicalStatus"):
        prefetch_case(pre, TODAY, "en")
