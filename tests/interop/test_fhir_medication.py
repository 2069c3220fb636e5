"""MedicationStatements from an EHR, whatever their order: the step from the drugs in
use, each drug's earliest start (the longer use, the stricter rules), the NSAID named
only when one is; stopped and other statements not in use are named on the card."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from rughernia.content import load
from rughernia.interop import codes
from rughernia.interop.cds import cards, prefetch_case
from rughernia.interop.texts import text
from rughernia.pathway import assess
from tests.interop.support import TODAY, case_json, day
from tests.interop.test_cds import prefetch_of, searchset


def statement(drug: tuple[str, str, str], status: str, since: str | None) -> dict[str, Any]:
    st: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": status,
        "medicationCodeableConcept": codes.concept(drug),
    }
    if since is not None:
        st["effectivePeriod"] = {"start": since}
    return st


def read(*statements: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int], int]:
    """The case's medication, what was not used, and the card's paracetamol maximum."""
    pre = prefetch_of(case_json())
    pre["medications"] = searchset(list(statements))
    case, parsed, unused = prefetch_case(pre, TODAY, "en")
    return case["medication"], unused, assess(parsed, load()).medication.paracetamol_max_mg_per_day


IBUPROFEN, NAPROXEN = codes.NSAIDS["ibuprofen"], codes.NSAIDS["naproxen"]


def test_the_earliest_start_of_the_drugs_in_use_whatever_the_order() -> None:
    recent = statement(codes.PARACETAMOL, "active", day(5))
    long_ago = statement(codes.PARACETAMOL, "active", day(60))
    for order in itertools.permutations([recent, long_ago]):
        med, unused, max_mg = read(*order)
        assert med == {"step": 1, "paracetamol_since": day(60)}
        assert max_mg == 2500  # long use: the lower maximum (day(5) alone gives 3000)
        assert unused == {}
    assert read(recent)[2] == 3000


@pytest.mark.parametrize("status", ["stopped", "completed", "entered-in-error", "not-taken"])
def test_a_statement_not_in_use_sets_no_start_step_or_name(status: str) -> None:
    old = statement(codes.PARACETAMOL, status, day(60))
    current = statement(codes.PARACETAMOL, "active", day(5))
    old_nsaid = statement(NAPROXEN, status, day(90))
    nsaid = statement(IBUPROFEN, "active", day(3))
    for order in itertools.permutations([old, current, old_nsaid, nsaid]):
        med, unused, max_mg = read(*order)
        assert med == {
            "step": 2,
            "paracetamol_since": day(5),
            "nsaid": "ibuprofen",
            "nsaid_since": day(3),
        }
        assert max_mg == 3000
        assert unused == {"medication_not_current": 2}
    med, _, _ = read(statement(codes.MORPHINE, status, day(2)))
    assert med == {"step": 0}
    pre = prefetch_of(case_json())
    pre["medications"] = searchset([old, current])
    _, parsed, unused = prefetch_case(pre, TODAY, "en")
    (card,) = cards(assess(parsed, load()), "en", None, unused=unused)
    assert text("unused", "medication_not_current", "en", n=1) in card["detail"]


def test_two_different_nsaids_in_use_name_none_and_the_group_code_names_none() -> None:
    both = (statement(IBUPROFEN, "active", day(3)), statement(NAPROXEN, "active", day(9)))
    for order in itertools.permutations(both):
        med, _, _ = read(*order)
        assert "nsaid" not in med
        assert med["nsaid_since"] == day(9)
    group = statement(codes.NSAID_GROUP, "active", None)
    assert read(group, both[0])[0]["nsaid"] == "ibuprofen"


def test_on_hold_counts_as_in_use_and_intended_is_not_used() -> None:
    med, unused, _ = read(statement(IBUPROFEN, "on-hold", day(10)))
    assert med == {"step": 2, "nsaid": "ibuprofen", "nsaid_since": day(10)}
    assert unused == {}
    med, unused, _ = read(statement(codes.MORPHINE, "intended", None))
    assert med == {"step": 0}
    assert unused == {"medication_not_current": 1}
