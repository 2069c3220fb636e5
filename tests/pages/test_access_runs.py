"""My data's access list: a run of one look is one line, but never across midnight or
another reader's look in between."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rughernia.care.privacy import LogEntry
from rughernia.web.pages.mydata import runs

ZONE = ZoneInfo("Europe/Amsterdam")


def _entry(at: str, who: str = "doc", action: str = "worklist.read") -> LogEntry:
    return LogEntry(dt.datetime.fromisoformat(at), who, who, "clinician", action, "success")


def test_runs_end_at_local_midnight_and_at_another_look() -> None:
    log = [  # newest first, as privacy.access_log gives it
        _entry("2026-03-02T08:00:00+00:00"),
        _entry("2026-03-02T07:59:50+00:00"),
        _entry("2026-03-02T07:59:40+00:00", who="other"),
        _entry("2026-03-02T07:59:30+00:00"),
        _entry("2026-03-01T23:10:00+00:00"),  # 00:10 on 2 March in Amsterdam: same day
        _entry("2026-03-01T22:50:00+00:00"),  # 23:50 on 1 March: another day
    ]
    shown = [(r.entry.who, r.count) for r in runs(log, ZONE)]
    assert shown == [("doc", 2), ("other", 1), ("doc", 2), ("doc", 1)]
