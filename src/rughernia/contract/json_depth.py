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


def check_depth(text: str | bytes, limit: int = MAX_DEPTH) -> None:
    """Raise ``TooDeep`` when ``text`` nests deeper than ``limit``."""
    if nesting_depth(text) > limit:
        raise TooDeep(limit)
