"""CLINICAL.md §8: the input checks that need more than one field.

The shapes and ranges of single fields are checked by the contract (JSON
Schema, Pydantic); these rules relate fields to each other and to ``today``.
A case that breaks any of them is rejected whole, with every problem named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rughernia.pathway.model import Case


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # e.g. "diary[3].date"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def problems(case: Case) -> list[Problem]:
    out: list[Problem] = []
    today = case.today

    def not_after_today(path: str, value: dt.date | None) -> None:
        if value is not None and value > today:
            out.append(Problem(path, f"{value.isoformat()} is after today ({today.isoformat()})"))

    not_after_today("onset", case.onset)
    med = case.medication
    not_after_today("medication.paracetamol_since", med.paracetamol_since)
    not_after_today("medication.nsaid_since", med.nsaid_since)
    not_after_today("medication.opioid_since", med.opioid_since)
    seen: dict[dt.date, int] = {}
    for i, entry in enumerate(case.diary):
        path = f"diary[{i}].date"
        not_after_today(path, entry.date)
        if case.onset is not None and entry.date < case.onset:
            out.append(
                Problem(
                    path,
                    f"{entry.date.isoformat()} is before the onset ({case.onset.isoformat()}); "
                    "a diary entry cannot be older than the leg pain",
                )
            )
        if entry.date in seen:
            out.append(
                Problem(
                    path,
                    f"{entry.date.isoformat()} is also the date of diary[{seen[entry.date]}]; "
                    "one entry per date",
                )
            )
        else:
            seen[entry.date] = i
    return out
