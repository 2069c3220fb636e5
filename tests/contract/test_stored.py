"""The stored record's fast path (``contract.stored.record_case``) decides as ``parse_case``.

The nightly run and the worklist build every case from the record's rows, without
writing the record out as JSON first; the API's writes still parse the JSON. Both must
accept the same records as the same Case and refuse the same ones with the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rughernia.contract import CaseInvalid, parse_case
from rughernia.contract.stored import DIARY_FIELDS, record_case
from rughernia.pathway import Case
from rughernia.store.tables import DIARY_FIELDS as STORED_COLUMNS
from tests.pathway.strategies import cases


def _parts(data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """A case JSON as the store gives it: the rest as JSON, the diary as typed rows."""
    head = {k: v for k, v in data.items() if k != "diary"}
    rows = [
        (dt.date.fromisoformat(e["date"]), *(e.get(name) for name in DIARY_FIELDS[1:]))
        for e in data.get("diary", [])
    ]
    return head, rows


def _outcome(build: Any) -> Case | list[str]:
    try:
        return build()  # type: ignore[no-any-return]
    except CaseInvalid as exc:
        return [str(p) for p in exc.problems]


def test_the_stored_columns_are_the_entry_fields_in_order() -> None:
    # The store selects the date and then its columns; the rows are read in this order.
    assert ("date", *STORED_COLUMNS) == DIARY_FIELDS


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_stored_record_is_the_case_parse_case_makes(data: dict[str, Any]) -> None:
    head, rows = _parts(data)
    fast = _outcome(lambda: record_case(head, rows))
    assert fast == _outcome(lambda: parse_case(data))


@settings(max_examples=200, deadline=None)
@given(
    cases(),
    st.sampled_from(DIARY_FIELDS[1:]),
    st.sampled_from([-1, 11, 20001, 24.5, "5", 1, 0, 2.5, "x" * 2001, [], None]),
)
def test_a_wrong_stored_value_is_refused_as_parse_case_refuses_it(
    data: dict[str, Any], field: str, value: Any
) -> None:
    """Whatever a row holds (SQLite keeps any type in any column), a value the contract
    refuses is refused by the fast path, named the same way."""
    if not data.get("diary"):
        return
    data["diary"][0][field] = value
    if value is None:
        del data["diary"][0][field]  # a NULL column is a left-out key
    head, rows = _parts(data)
    fast = _outcome(lambda: record_case(head, rows))
    slow = _outcome(lambda: parse_case(data))
    assert fast == slow
    if field == "leg_pain" and value is None:
        assert isinstance(fast, list)  # the one required field of an entry


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ((dt.date(2026, 3, 2), 3), "diary[0].date: 2026-03-02 is after today"),
        ((dt.date(2026, 2, 1), 12), "diary[0].leg_pain"),
    ],
)
def test_a_record_that_makes_no_case_is_named_by_its_field(
    row: tuple[dt.date, int], problem: str
) -> None:
    head = {
        "today": "2026-03-01",
        "onset": "2026-01-20",
        "symptoms": {
            "leg_pain_reaches": "below_knee",
            "both_legs": False,
            "weakness": "none",
            "weakness_severe": False,
            "saddle_numbness": False,
            "incontinence": False,
            "urinary_retention": False,
        },
    }
    full = (*row, *([None] * (len(DIARY_FIELDS) - 2)))
    with pytest.raises(CaseInvalid) as raised:
        record_case(head, [full])
    assert any(str(p).startswith(problem) for p in raised.value.problems), raised.value.problems
