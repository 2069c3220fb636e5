"""Age, weight and pregnancy from an EHR: read in the units we know (else not used, and
named on the card), the latest measurement of each, and on a tie the safer reading."""

from __future__ import annotations

from typing import Any

import pytest

from rughernia.content import load
from rughernia.interop import BundleInvalid, codes
from rughernia.interop.cds import cards, prefetch_case
from rughernia.interop.fhir_import import case_from_bundle
from rughernia.interop.texts import text
from rughernia.pathway import assess
from tests.interop.support import TODAY, case_json, day, exported, resources
from tests.interop.test_cds import prefetch_of


def quantity(value: Any, code: str | None, unit: str | None = None) -> dict[str, Any]:
    q: dict[str, Any] = {"value": value}
    if code is not None:
        q |= {"system": codes.UCUM, "code": code}
    if unit is not None:
        q["unit"] = unit
    return q


def measure(kind: tuple[str, str, str], when: str | None = None, **value: Any) -> dict[str, Any]:
    obs = {"resourceType": "Observation", "status": "final", "code": codes.concept(kind), **value}
    if when is not None:
        obs["effectiveDateTime"] = when
    return obs


def weight(value: Any, code: str | None, unit: str | None = None, when: str | None = None) -> Any:
    return measure(codes.BODY_WEIGHT, when, valueQuantity=quantity(value, code, unit))


def age(value: Any, code: str | None, unit: str | None = None, when: str | None = None) -> Any:
    return measure(codes.AGE, when, valueQuantity=quantity(value, code, unit))


def pregnancy(pregnant: bool, when: str | None = None) -> dict[str, Any]:
    status = codes.PREGNANT if pregnant else codes.NOT_PREGNANT
    return measure(codes.PREGNANCY, when, valueCodeableConcept=codes.concept(status))


def read(*observations: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int], int]:
    """The case's patient, what was not used, and the paracetamol maximum of the card."""
    pre = prefetch_of(case_json())
    pre["answers"]["entry"] += [{"resource": o} for o in observations]
    case, parsed, unused = prefetch_case(pre, TODAY, "en")
    a = assess(parsed, load())
    return case["patient"], unused, a.medication.paracetamol_max_mg_per_day


def test_a_weight_in_pounds_or_grams_is_read_in_kg() -> None:
    patient, unused, max_mg = read(weight(99, "[lb_av]", "lb"))
    assert patient["weight_kg"] == pytest.approx(44.9056, abs=1e-4)
    assert max_mg == 2000  # under 50 kg: the reduced maximum, not 99 kg's 2500
    assert unused == {}
    patient, _, max_mg = read(weight(45000, "g"))
    assert patient["weight_kg"] == 45
    assert max_mg == 2000
    assert read(weight(70, "kg", "kg"))[0]["weight_kg"] == 70


@pytest.mark.parametrize(
    "obs",
    [
        weight(7, "[stone_av]", "st"),  # a unit we do not read
        weight(99, None, "lb"),  # no UCUM code: the unit is not known
        weight(99, None),  # no unit at all
        weight(99, "kg", "lb"),  # the display contradicts the code
        measure(codes.BODY_WEIGHT, valueInteger=44),  # not a quantity
        age(30, "mo", "months"),  # an age in months is not a number of years
        age(30, None),
        age(30, "a", "months"),
    ],
)
def test_a_measurement_in_a_unit_we_do_not_read_is_not_used_and_is_named(
    obs: dict[str, Any],
) -> None:
    patient, unused, _ = read(obs)
    assert "weight_kg" not in patient
    assert "age" not in patient
    assert unused == {"measure_unit": 1}
    pre = prefetch_of(case_json())
    pre["answers"]["entry"].append({"resource": obs})
    _, parsed, unused = prefetch_case(pre, TODAY, "en")
    (card,) = cards(assess(parsed, load()), "en", None, unused=unused)
    assert text("unused", "measure_unit", "en", n=1) in card["detail"]


def test_the_latest_measurement_wins_not_the_last_in_the_list() -> None:
    latest_first = (
        weight(45, "kg", when="2026-03-01T09:00:00+01:00"),
        weight(80, "kg", when="2026-02-01"),
        weight(90, "kg"),  # undated: older than any dated one
    )
    patient, _, max_mg = read(*latest_first)
    assert patient["weight_kg"] == 45
    assert max_mg == 2000
    assert read(*reversed(latest_first))[0]["weight_kg"] == 45
    # The same day, later in the day (the zone counted): the later one.
    later = read(age(71, "a", when=day(1)), age(69, "a", when=day(1) + "T08:00:00Z"))
    assert later[0]["age"] == 69
    assert (
        read(age(69, "a", when="2026-03-01T01:00:00+02:00"), age(71, "a", when=day(2)))[0]["age"]
        == 69
    )


def test_measurements_of_one_time_that_differ_give_the_safer_reading() -> None:
    when = day(1)
    assert read(weight(55, "kg", when=when), weight(45, "kg", when=when))[0]["weight_kg"] == 45
    assert read(age(71, "a", when=when), age(69, "a", when=when))[0]["age"] == 71
    for order in ((True, False), (False, True)):
        got = read(*(pregnancy(p, when) for p in order))[0]
        assert got["pregnant"] is True


def test_the_latest_pregnancy_status_wins() -> None:
    got = read(pregnancy(False, day(0)), pregnancy(True, day(200)))[0]
    assert got["pregnant"] is False
    got = read(pregnancy(True, day(0)), pregnancy(False, day(200)))[0]
    assert got["pregnant"] is True


def test_our_bundle_with_a_weight_in_a_unit_we_do_not_read_is_refused_by_name() -> None:
    b = exported(case_json())
    (obs,) = [
        o for o in resources(b, "Observation") if codes.has_code(o["code"], codes.BODY_WEIGHT)
    ]
    obs["valueQuantity"] = quantity(11, "[stone_av]", "st")
    with pytest.raises(BundleInvalid) as info:
        case_from_bundle(b, TODAY)
    assert [w for w, _ in info.value.problems] == ["Observation weight"]
    obs["valueQuantity"] = quantity(154, "[lb_av]", "lb")
    assert case_from_bundle(b, TODAY)["patient"]["weight_kg"] == pytest.approx(69.853, abs=1e-3)
