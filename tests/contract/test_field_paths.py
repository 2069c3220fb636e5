"""One rule for "Pydantic location -> field path" (``contract.messages.path_of``), used by
``parse_case`` and by the API's request models alike.

There were two copies with different rules: the contract's dropped every part that was not
an identifier, so an unknown key "1" sent to ``/assess`` was reported at the path "".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rughernia.contract import CaseInvalid, parse_case
from rughernia.contract.messages import is_union_tag, path_of

EXAMPLE = Path(__file__).parents[2] / "docs" / "example-case.json"


def _paths(case: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseInvalid) as info:
        parse_case(case)
    return [p.path for p in info.value.problems]


def test_an_unknown_key_is_named_as_sent() -> None:
    for key in ("1", "Weird-Key", "constrained-x", "int"):
        case = json.loads(EXAMPLE.read_text())
        case[key] = 2
        assert _paths(case) == [key]


def test_union_tags_are_dropped() -> None:
    case = json.loads(EXAMPLE.read_text())
    case["diary"][0]["back_pain"] = "q"  # tried as 'constrained-int' and 'none'
    case["patient"] = {"pregnant": "x"}  # tried as 'bool'
    assert _paths(case) == ["patient.pregnant", "diary[0].back_pain"]


@pytest.mark.parametrize(
    ("loc", "kind", "path"),
    [
        (("diary", 3, "leg_pain"), "int_type", "diary[3].leg_pain"),
        (("diary", 0, "back_pain", "constrained-int"), "int_parsing", "diary[0].back_pain"),
        (("teams", 0), "string_type", "teams[0]"),
        (("symptoms", "literal['none','stable']"), "literal_error", "symptoms"),
        (("1",), "extra_forbidden", "1"),
        (("patient", "str"), "extra_forbidden", "patient.str"),  # the key itself is kept
        (("patient", "str"), "string_type", "patient"),
        ((), "model_type", ""),
    ],
)
def test_path_of(loc: tuple[int | str, ...], kind: str, path: str) -> None:
    assert path_of(loc, kind) == path


def test_field_names_are_no_union_tags() -> None:
    assert not any(map(is_union_tag, ("date", "leg_pain", "1", "Idempotency-Key", 0)))
