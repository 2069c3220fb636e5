"""The plan page's rule: dose times only where the assessment advises paracetamol at fixed
times (PARACETAMOL_FIXED_TIMES), never beside "take no more today"; the .ics follows it."""

from __future__ import annotations

import re
from typing import Any

from icalendar import Calendar

from tests.dbsupport import Clock, World
from tests.web.test_pages_diary import diary_form, signed_in

TIMES = re.compile(r'<p class="plan-times">([^<]*)</p>')


def advice(world: World, name: str) -> set[str]:
    pid = world.patient_ids[name]
    r = world.client.get(f"/api/v1/patients/{pid}/assessment", headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    return {a["code"] for a in r.json()["assessment"]["advice"]}


def dose_events(world: World) -> list[str]:
    r = world.client.get("/plan.ics")
    assert r.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(r.content).walk("VEVENT")]
    return [s for s in summaries if "500 mg" in s]


def test_dose_times_only_where_paracetamol_at_fixed_times_is_advised(
    world: World, app: Any, clock: Clock
) -> None:
    csrf = signed_in(world, "pat_a")
    c = world.client
    # A tolerable day at 4 tablets: the pathway advises paracetamol at fixed times.
    r = c.post(f"/diary/{clock.today}", data={**diary_form(csrf), "paracetamol_tablets": "4"})
    assert r.status_code == 200
    assert "PARACETAMOL_FIXED_TIMES" in advice(world, "pat_a")
    page = c.get("/plan").text
    times = TIMES.search(page)
    assert times is not None
    assert re.fullmatch(r"\d\d:\d\d( · \d\d:\d\d)+", times.group(1))
    assert "geen vaste tijden" not in page
    assert dose_events(world)
    # 10 tablets (5000 mg) today: above the maximum, "take no more today", no dose times.
    csrf = signed_in(world, "pat_a")
    r = c.post(f"/diary/{clock.today}", data={**diary_form(csrf), "paracetamol_tablets": "10"})
    assert r.status_code == 200
    assert "PARACETAMOL_FIXED_TIMES" not in advice(world, "pat_a")
    page = c.get("/plan").text
    assert TIMES.search(page) is None
    assert "Nu geen vaste tijden voor paracetamol" in page
    assert dose_events(world) == []
