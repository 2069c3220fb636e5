"""The one place the store reads the clock: aware UTC, for timestamps only."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
