"""My data's list of who looked at the record: a run of the same look is one line."""

from __future__ import annotations

from tests.dbsupport import Clock, World
from tests.web.test_pages_diary import signed_in


def test_a_worklist_refreshing_all_day_does_not_push_the_other_looks_off_the_list(
    world: World, clock: Clock
) -> None:
    c = world.client
    signed_in(world, "pat_a")
    assert c.get("/my-data/export.json").status_code == 200  # the patient's own download
    clock.advance(minutes=1)
    signed_in(world, "doc_a", landing="/worklist")
    for _ in range(150):  # a worklist open for 25 minutes, refreshing every 10 s
        r = c.get("/worklist?part=rows", headers={"HX-Request": "true"})
        assert r.status_code == 200, r.text
        clock.advance(seconds=10)
    signed_in(world, "pat_a")
    page = c.get("/my-data").text
    assert "zag het dossier op de werklijst" in page
    assert "10:01 tot 10:25 (151 keer)" in page
    assert "downloadde alle gegevens" in page  # still on the list, beneath it
