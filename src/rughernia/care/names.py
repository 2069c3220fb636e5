"""Names people read (display names, team names): one check for every surface.

A name is shown in lists, worklists, logs and exports. A control character
breaks those lines; a bidi override or isolate (U+202A-U+202E, U+2066-U+2069)
makes a name display as something else ("Jan<U+202E>nav" reads "Janvan");
a noncharacter or surrogate is not text at all; and a name of only spaces
names nobody. Usernames need no check here: their pattern allows only a-z,
0-9 and '.', '_' or '-' (``care.accounts.USERNAME_PATTERN``).
"""

from __future__ import annotations

import unicodedata

from rughernia.care.errors import invalid

_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def name_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a name, as a message for people, or None."""
    for ch in value:
        code = f"U+{ord(ch):04X}"
        category = unicodedata.category(ch)
        if category == "Cc":
            return f"contains a control character ({code}); remove it"
        if ch in _BIDI_CONTROLS:
            return f"contains a text-direction control ({code}); remove it"
        if category == "Cs" or _is_noncharacter(ch):
            return f"contains {code}, which is not a character; remove it"
    if not value.strip():
        return "must not be blank; give a name with letters or digits"
    return None


def checked_name(path: str, value: str, *, optional: bool = False) -> str:
    """``value`` without surrounding spaces, or ``Invalid`` naming ``path``.

    ``optional``: the empty string means "no name" (an account's display name).
    """
    if optional and value == "":
        return value
    problem = name_problem(value)
    if problem is not None:
        raise invalid(path, problem)
    return value.strip()
