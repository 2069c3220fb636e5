"""Every code of contract/codes.yaml is produced by at least one case: a witness per code.

A code no case can produce is either dead content or a rule that is never reached; both
are worth knowing. The witnesses are small cases built the way the other tests build them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.pathway.builders import SPEC, base_case, codes, day, entries, run, with_symptoms

CODES = yaml.safe_load((SPEC / "contract" / "codes.yaml").read_text())
ALL = [*CODES["findings"], *CODES["advice"]]
Case = dict[str, Any]


def steady(pain: int, days: int = 6, **fields: Any) -> list[dict[str, Any]]:
    return entries(dict.fromkeys(range(days, -1, -1), pain), **fields)


def course(first: int, then: int, onset: int) -> Case:
    pains = {onset: first, onset - 1: first, onset - 2: first, 2: then, 1: then, 0: then}
    return base_case(onset=day(onset), diary=entries(pains))


def at(case: Case, **symptoms: Any) -> Case:
    return with_symptoms(case, **symptoms)


def patient(**fields: Any) -> Case:
    return base_case(patient={"age": 42, **fields}, medication={"step": 2})


def step(n: int, **medication: Any) -> Case:
    return base_case(medication={"step": n, **medication})


def dose(mg: int) -> Case:
    return base_case(diary=entries({0: 6}, paracetamol_mg=mg), medication={"step": 1})


def tolerance(step_: int, scheduled: bool) -> Case:
    diary = entries({0: 9}, pain_tolerable=False, painkillers_as_scheduled=scheduled)
    return base_case(diary=diary, medication={"step": step_, "opioid_since": day(3)})


def red_flag(name: str) -> Case:
    case = base_case()
    case["symptoms"]["red_flags"] = {name: True}
    return case


def no_onset() -> Case:
    return base_case(onset=None)


WITNESS: dict[str, Callable[[], Case]] = {
    "ALARM_SADDLE_NUMBNESS": lambda: at(base_case(), saddle_numbness=True),
    "ALARM_INCONTINENCE": lambda: at(base_case(), incontinence=True),
    "ALARM_URINARY_RETENTION": lambda: at(base_case(), urinary_retention=True),
    "ALARM_PROGRESSIVE_WEAKNESS": lambda: at(base_case(), weakness="progressive"),
    "ALARM_SEVERE_WEAKNESS": lambda: at(base_case(), weakness_severe=True),
    "ALARM_BOTH_LEGS": lambda: at(base_case(), both_legs=True),
    "ALARM_UNCERTAIN": lambda: at(base_case(), saddle_numbness=None),
    "REDFLAG_FEVER": lambda: red_flag("fever"),
    "REDFLAG_CANCER_HISTORY": lambda: red_flag("cancer_history"),
    "REDFLAG_TRAUMA": lambda: red_flag("trauma"),
    "REDFLAG_RECENT_SPINAL_PROCEDURE": lambda: red_flag("recent_spinal_procedure"),
    "REDFLAG_IMMUNOSUPPRESSION": lambda: red_flag("immunosuppression"),
    "REDFLAG_WEIGHT_LOSS": lambda: red_flag("weight_loss"),
    "NOT_RADICULAR": lambda: at(base_case(), leg_pain_reaches="none"),
    "OUT_OF_SCOPE_AGE": lambda: base_case(patient={"age": 16}),
    "LEG_PAIN_ABOVE_KNEE": lambda: at(base_case(), leg_pain_reaches="above_knee"),
    "CHECKPOINT_NOT_IMPROVING": lambda: course(7, 7, 60),
    "DIARY_INSUFFICIENT": lambda: base_case(onset=day(60)),
    "PAIN_WORSENING": lambda: course(3, 6, 20),
    "RECOVERED": lambda: course(7, 1, 40),
    "PAIN_NOT_TOLERATED": lambda: tolerance(1, True),
    "PAIN_UNCONTROLLED_ON_OPIOID": lambda: tolerance(3, True),
    "PAINKILLERS_NOT_REGULAR": lambda: tolerance(1, False),
    "OPIOID_LONG_USE": lambda: step(3, opioid_since=day(15)),
    "OPIOID_START_UNKNOWN": lambda: step(3),
    "PARACETAMOL_ABOVE_ADVISED": lambda: dose(3000),
    "PARACETAMOL_ABOVE_ADVISED_REPEATED": lambda: base_case(diary=steady(6, paracetamol_mg=3000)),
    "PARACETAMOL_ABOVE_MAX": lambda: dose(4500),
    "PARACETAMOL_OVERDOSE": lambda: dose(12000),
    "NSAID_CAUTION": lambda: patient(risk_factors=["anticoagulants"]),
    "NSAID_STOMACH_PROTECTION": lambda: patient(age=75),
    "SAFETY_NET": base_case,
    "PARACETAMOL_FIXED_TIMES": base_case,
    "SLEEP_DISCUSS": lambda: at(base_case(), sleep_disturbed=True),
    "OPIOID_LAXATIVE": lambda: step(3, opioid_since=day(3)),
    "NO_BED_REST": base_case,
    "BED_REST_EXCESSIVE": lambda: base_case(diary=entries({0: 6}, hours_lying_daytime=6)),
    "PHYSIO_NOT_YET": base_case,
    "EXERCISE_THERAPY": lambda: course(8, 4, 30),
    "MRI_NOT_USEFUL": base_case,
    "MRI_DISCUSS": lambda: course(7, 7, 60),
    "SURGERY_DISCUSS": lambda: course(7, 7, 60),
    "NATURAL_COURSE": base_case,
    "PARACETAMOL_TAPER": lambda: course(7, 1, 40),
    "NSAID_USE": lambda: patient(),
    "OPIOID_USE": lambda: step(3, opioid_since=day(3)),
    "MOVE_AND_WORK": lambda: course(8, 4, 30),
    "WEAKNESS_STABLE": lambda: at(base_case(), weakness="stable"),
    "ORDINARY_BACK_PAIN": lambda: at(base_case(), leg_pain_reaches="none"),
    "ONSET_UNKNOWN": no_onset,
}


def test_every_code_has_a_witness_and_no_more() -> None:
    assert set(WITNESS) == set(ALL)


@pytest.mark.parametrize("code", ALL)
def test_the_witness_produces_its_code(code: str) -> None:
    result = run(WITNESS[code]())
    assert code in codes(result) | codes(result, "advice")
