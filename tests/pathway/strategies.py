"""Hypothesis strategies for valid cases in contract JSON (so parse_case sees them too)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, get_args

from hypothesis import strategies as st

from rughernia.contract.case import RiskFactor
from rughernia.pathway.model import ALARM_QUESTIONS
from rughernia.pathway.rules.red_flags import FLAG_CODES

RISKS = list(get_args(RiskFactor))
# Mostly "no", so the rules behind the alarms get exercised too.
answer = st.sampled_from([False, False, False, False, True, None])
maybe = st.sampled_from([True, False, None])


def _omit_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


# Around every dose row: the personal maxima, 4000 mg, 75 and 150 mg/kg of the weights below.
PARACETAMOL = [
    0,
    1000,
    2000,
    2501,
    3000,
    3001,
    3500,
    3750,
    4000,
    4001,
    6000,
    7485,
    7500,
    10500,
    20000,
]
LYING = [0, 2, 4, 4.5, 12]


def diary(rng: random.Random, today: dt.date, span: int) -> list[dict[str, Any]]:
    """Entries clustered where the rules look (the first and the last 7 days), plus a few elsewhere.

    Built from a seeded Random drawn by Hypothesis: a diary of 20 entries drawn
    field by field costs Hypothesis ~100 draws, which made 2,000 examples take minutes.
    """
    recent = [rng.randint(0, min(8, span)) for _ in range(rng.randint(0, 7))]
    early = [rng.randint(max(0, span - 8), span) for _ in range(rng.randint(0, 7))]
    other = [rng.randint(0, span) for _ in range(rng.randint(0, 5))]
    entries = []
    for offset in sorted(set(recent + early + other)):
        entry: dict[str, Any] = {
            "date": (today - dt.timedelta(days=offset)).isoformat(),
            "leg_pain": rng.randint(0, 10),
        }
        mg, lying = rng.choice([None, *PARACETAMOL]), rng.choice([None, *LYING])
        if mg is not None:
            entry["paracetamol_mg"] = mg
        if lying is not None:
            entry["hours_lying_daytime"] = lying
        for name in ("pain_tolerable", "painkillers_as_scheduled"):
            value = rng.choice(["absent", True, False, None])
            if value != "absent":
                entry[name] = value
        nsaid = rng.choice(["absent", "absent", True, False])  # never null by the contract
        if nsaid != "absent":
            entry["nsaid_taken"] = nsaid
        entries.append(entry)
    return entries


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    today = draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))
    onset_days = draw(st.none() | st.integers(0, 120) | st.sampled_from([55, 56, 57]))
    span = onset_days if onset_days is not None else 120
    entries = diary(random.Random(draw(st.integers(0, 2**32 - 1))), today, span)
    symptoms: dict[str, Any] = {
        "leg_pain_reaches": draw(
            st.sampled_from(["below_knee", "below_knee", "above_knee", "none"])
        ),
        "weakness": draw(st.sampled_from(["none", "none", "stable", "progressive", None])),
        "sleep_disturbed": draw(st.booleans()),
        "course_reported": draw(
            st.sampled_from([None, "much_better", "a_little_better", "same", "worse"])
        ),
        "red_flags": dict(
            zip(
                FLAG_CODES,
                draw(
                    st.lists(st.sampled_from([False, False, False, True]), min_size=6, max_size=6)
                ),
                strict=True,
            )
        ),
    }
    for name in ALARM_QUESTIONS:
        if name != "weakness":
            symptoms[name] = draw(answer)
    medication: dict[str, Any] = {"step": draw(st.integers(0, 3))}
    for name in ("paracetamol_since", "opioid_since"):
        since = draw(st.none() | st.integers(0, 60))
        if since is not None:
            medication[name] = (today - dt.timedelta(days=since)).isoformat()
    patient = _omit_none(
        {
            "age": draw(st.sampled_from([None, 0, 12, 17, 18, 42, 69, 70, 90, 120])),
            "weight_kg": draw(st.sampled_from([None, 20, 40, 49.9, 50, 50.5, 70, 400])),
            "pregnant": draw(maybe),
        }
    )
    patient["risk_factors"] = draw(st.lists(st.sampled_from(RISKS), unique=True, max_size=3))
    patient["uses_stomach_protector"] = draw(maybe)
    return {
        "today": today.isoformat(),
        "language": draw(st.sampled_from(["nl", "en"])),
        "patient": patient,
        "onset": None
        if onset_days is None
        else (today - dt.timedelta(days=onset_days)).isoformat(),
        "symptoms": symptoms,
        "diary": entries,
        "medication": medication,
    }
