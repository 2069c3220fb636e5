"""Integers in URLs, written one way only: ``^[1-9][0-9]*$`` up to a maximum.

Pydantic's lax integers take ``1.0``, ``+1``, ``01`` and `` 1`` as 1, so one
record had many URLs (and caches, logs and audit filters saw different ones).
Here an id is accepted only in its canonical form; anything else is a 422
naming the parameter, before any lookup. ``web.context`` uses the same test
to decide whether an unauthenticated attempt names a patient to audit.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

# fullmatch, not match with "$": "$" also matches before a trailing newline ("1\n").
_CANONICAL = re.compile(r"[1-9][0-9]*")


def canonical_int(raw: object, maximum: int) -> int | None:
    """``raw`` as an int if it is written canonically and within 1..maximum, else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= maximum else None
    # Bound the length first: a long string of digits is no id, and int() of it costs time.
    if not isinstance(raw, str) or len(raw) > len(str(maximum)) or not _CANONICAL.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= maximum else None


def canonical(maximum: int) -> Any:
    """The validator for ``Annotated[int, Path(...), canonical(MAX)]``.

    After ``Path()``/``Query()``, so their minimum and maximum stay in the OpenAPI schema.
    """
    message = (
        f"must be a whole number from 1 to {maximum}, written with digits only "
        "(no sign, spaces, decimals or leading zeros)"
    )

    def check(raw: object) -> int:
        value = canonical_int(raw, maximum)
        if value is None:
            raise PydanticCustomError("canonical_int", message)
        return value

    return BeforeValidator(check)
