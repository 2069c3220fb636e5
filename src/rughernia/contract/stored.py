"""A stored record's parts to a pathway Case, by the contract's rules, without JSON text.

The nightly re-assessment and the worklist build a case for every patient of a region
each day. Through ``parse_case`` each record was first written out as JSON (a dict per
diary day), read back by the models and copied into the pathway's dataclasses: about
six times the decision itself. Here the small part of a record (its intake and
medication, one JSON object) still goes through ``CaseModel``, and the diary rows, as
the database gives them, are checked in one call against the same types and bounds as
``DiaryEntryModel`` (the shared aliases of ``contract.case``), then become
``pathway.DiaryEntry`` directly. The rules between fields (``pathway.problems``) run as
for every case, so a record that ``parse_case`` refuses is refused here too
(``tests/contract/test_stored.py`` holds the two paths to the same answers).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import StrictBool, TypeAdapter, ValidationError

import rughernia.pathway as pw
from rughernia.contract.case import CaseModel, Hours, Note, Pain, ParacetamolMg
from rughernia.contract.parse import case_invalid, checked, to_case

# pathway.DiaryEntry's fields in order: a stored diary row gives its values in this order.
DIARY_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(pw.DiaryEntry))

# One diary row, field by field as DIARY_FIELDS (None: not answered, as a key left out
# of the JSON is): the types and bounds of DiaryEntryModel, through the same aliases.
DiaryRow = tuple[
    dt.date,
    Pain,
    Pain | None,
    StrictBool | None,
    StrictBool | None,
    ParacetamolMg | None,
    StrictBool | None,
    StrictBool | None,
    Hours | None,
    StrictBool | None,
    Note | None,
]
_ROWS: TypeAdapter[list[DiaryRow]] = TypeAdapter(list[DiaryRow], config={"strict": True})


def record_case(
    head: dict[str, Any], diary: Iterable[Sequence[Any]], language: str | None = None
) -> pw.Case:
    """The case of a stored record: ``head`` is the case JSON without its diary (today,
    language, the intake's sections, the medication), ``diary`` its rows by date, each
    with the values of DIARY_FIELDS. CaseInvalid names the problems as ``parse_case``
    does (``diary[3].leg_pain``)."""
    try:
        model = CaseModel.model_validate_json(json.dumps(head))
        rows = _ROWS.validate_python([tuple(row) for row in diary])
    except ValidationError as exc:
        raise case_invalid([_in_diary(e) for e in exc.errors(include_url=False)]) from None
    # Strict floats take a whole number as a float (3 -> 3.0), as the pathway's hours are.
    entries = tuple(pw.DiaryEntry(*row) for row in rows)
    return checked(dataclasses.replace(to_case(model), diary=entries), language)


def _in_diary(error: Any) -> Any:
    """A diary row's error located as the JSON's would be: (row, column) -> diary[row].name."""
    loc = tuple(error.get("loc") or ())
    if len(loc) >= 2 and isinstance(loc[0], int) and isinstance(loc[1], int):
        moved = {**error, "loc": ("diary", loc[0], DIARY_FIELDS[loc[1]], *loc[2:])}
        # Only a required column refuses NULL: the JSON would have left the key out.
        return {**moved, "type": "missing"} if error.get("input") is None else moved
    return error
