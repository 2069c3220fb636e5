"""How deeply a JSON text nests, measured on the text before it is parsed.

``json.loads`` recurses once per level and raises RecursionError about 1,000
levels down (a 3 KB file was enough to crash ``rughernia assess``), so the
depth must be known before parsing, and without recursion. A case nests 3
deep and a FHIR Bundle about 10; ``MAX_DEPTH`` leaves room and stays far from
the interpreter's limit. Shared by the CLI and the API.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_DEPTH = 64

# A complete JSON string (escapes included), in the unrolled form that never backtracks.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_B = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Everything but brackets goes; each opening bracket counts +1, each closing one -1.
_KEEP = re.compile(r"[^\[\]{}]+")
_KEEP_B = re.compile(rb"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


# For ``within``: brackets and quotes are all that stay ({ and } counted as [ and ]).
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_KEPT = bytes(b for b in range(256) if b not in b'"[]{}')
_BRACKETED = re.compile(rb'"[^"]*"')  # a string's brackets, once only quotes are left


class TooDeep(ValueError):
    """A JSON text nests deeper than the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"is nested more than {limit} levels deep")


def nesting_depth(text: str | bytes) -> int:
    """The deepest level of ``[`` and ``{`` outside strings (0 for a bare value).

    Invalid JSON gets a number too (the parser rejects it afterwards); only
    brackets count, so this runs at the speed of ``re``, not one Python step
    per character.
    """
    if isinstance(text, bytes):
        brackets = _KEEP_B.sub(b"", _STRING_B.sub(b"", text)).decode("ascii")
    else:
        brackets = _KEEP.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def within(text: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when ``text``, if it is valid JSON, nests at most ``limit`` deep; False means
    "maybe deeper" (ask ``nesting_depth``). About 5 x faster than ``nesting_depth`` on a
    large text (a 1.2 MB CDS Hooks request: 3.4 ms instead of 17 ms): ``bytes.translate``
    and ``bytes.replace`` do the work, no regex runs over the strings.

    In valid JSON a backslash is only in a string, and its pairs read left to right
    (``\\\\`` and ``\\"`` dropped here) leave no quote escaped; then each quote opens or
    closes a string, and deleting everything but quotes and brackets keeps which
    brackets are inside one. ``""`` left over is an empty string or two strings side by
    side, with nothing outside between them. On the brackets alone, each pass of
    dropping ``[]`` lowers the deepest level by one, so ``limit`` passes leave nothing
    exactly when the text nests at most ``limit`` deep (balanced or not: an unbalanced
    one never empties). For invalid JSON the answer can differ from ``nesting_depth``'s;
    the caller parses afterwards and asks ``nesting_depth`` when the parse fails.
    """
    if b"\\" in text:
        text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    rest = text.translate(_BRACKETS, _NOT_KEPT).replace(b'""', b"")
    if b'"' in rest:
        rest = _BRACKETED.sub(b"", rest)
    for _ in range(limit):
        shorter = rest.replace(b"[]", b"")
        if len(shorter) == len(rest):
            break
        rest = shorter
    return not rest


def check_depth(text: str | bytes, limit: int = MAX_DEPTH) -> None:
    """Raise ``TooDeep`` when ``text`` nests deeper than ``limit``."""
    if nesting_depth(text) > limit:
        raise TooDeep(limit)
