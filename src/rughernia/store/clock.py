"""The store's times come from its caller (the request's clock, the CLI's now).

Every function that writes a timestamp takes ``at``. Only a caller that gives
none (a script, a store test that does not care) gets the wall clock, here,
in this one place; the app and the CLI always pass their own time.
"""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def when(at: dt.datetime | None) -> dt.datetime:
    """``at``, or the wall clock when the caller gave no time."""
    return utcnow() if at is None else at
