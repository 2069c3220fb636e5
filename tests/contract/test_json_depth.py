"""The nesting depth of a JSON text, measured before parsing and without recursion."""

from __future__ import annotations

import json
import sys

import pytest

from rughernia.contract.json_depth import MAX_DEPTH, TooDeep, check_depth, nesting_depth


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ('"[[[{"', 0),
        ("[]", 1),
        ('{"a": [1, {"b": "]]]}}"}]}', 3),
        ('["\\"[", [[]]]', 3),
        ("", 0),
    ],
)
def test_brackets_inside_strings_do_not_count(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth
    assert nesting_depth(text.encode()) == depth


def test_far_deeper_than_the_interpreter_recurses_is_measured() -> None:
    deep = "[" * (sys.getrecursionlimit() * 20) + "]" * (sys.getrecursionlimit() * 20)
    assert nesting_depth(deep) == sys.getrecursionlimit() * 20
    with pytest.raises(TooDeep, match=f"nested more than {MAX_DEPTH} levels deep"):
        check_depth(deep)


def test_the_limit_itself_is_allowed() -> None:
    at_limit = json.dumps(json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH))
    check_depth(at_limit)
    with pytest.raises(TooDeep):
        check_depth("[" + at_limit + "]")
