"""The nesting depth of a JSON text, measured before parsing and without recursion."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rughernia.contract.json_depth import (
    MAX_DEPTH,
    TooDeep,
    check_depth,
    nesting_depth,
    within,
)


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


# --- within: the quick bound the API's body reader asks first --------------------------

_TEXT = st.text(alphabet=st.sampled_from(list('ab"\\[]{}/\x00\u00eb\U0001f600')), max_size=6)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=40,
)


@given(value=_JSON, extra=st.integers(min_value=0, max_value=70), ascii_only=st.booleans())
def test_within_agrees_with_nesting_depth_on_valid_json(
    value: object, extra: int, ascii_only: bool
) -> None:
    # Wrapped ``extra`` times, so both sides of the limit are reached.
    for _ in range(extra):
        value = [value] if extra % 2 else {"k[": value}
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert within(text) == (nesting_depth(text) <= MAX_DEPTH)
    assert within(text, 3) == (nesting_depth(text) <= 3)


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        (b"[]", True),
        (b'["\\\\", "]]]]"]', True),  # an escaped backslash ends before the quote
        (b'["\\"[[[", "\\\\\\""]', True),
        (b'{"a": "", "b": "[", "": {"c": []}}', True),
        (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, True),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), False),
        (b"]][[", False),  # unbalanced (invalid): unsure, so the exact count decides
        (b"[" * 1000, False),
    ],
)
def test_within_on_chosen_texts(text: bytes, inside: bool) -> None:
    assert within(text) is inside
