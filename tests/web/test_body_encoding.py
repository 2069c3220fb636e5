"""Every raw-JSON body route reads its body as /assess does: UTF-8, no BOM (issue 12)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.dbsupport import Clock, World

ENCODINGS = {
    "utf-8 with BOM": lambda text: b"\xef\xbb\xbf" + text.encode(),
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16-le": lambda text: text.encode("utf-16-le"),
    "utf-32": lambda text: text.encode("utf-32"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_bodies_that_are_not_plain_utf8_are_422_everywhere(
    world: World, clock: Clock, encoding: str
) -> None:
    c, pid = world.client, world.patient_ids["pat_a"]
    routes: list[tuple[str, str, str, dict[str, Any]]] = [
        ("POST", "/api/v1/assess", "pat_a", {"today": clock.today.isoformat()}),
        ("PUT", f"/api/v1/patients/{pid}/diary/{clock.today}", "pat_a", {"leg_pain": 3}),
        ("PUT", f"/api/v1/patients/{pid}/medication", "doc_a", {"step": 1, "reason": "x"}),
        ("PUT", f"/api/v1/patients/{pid}/intake", "pat_a", {"symptoms": {}}),
    ]
    for method, url, who, body in routes:
        raw = ENCODINGS[encoding](json.dumps(body))
        headers = world.h(who, **{"content-type": "application/json"})
        r = c.request(method, url, content=raw, headers=headers)
        assert r.status_code == 422, (method, url, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    # Nothing was written: the diary is still empty.
    entries = c.get(f"/api/v1/patients/{pid}/diary", headers=world.h("pat_a")).json()
    assert entries["entries"] == []


def test_plain_utf8_still_works(world: World, clock: Clock) -> None:
    pid = world.patient_ids["pat_a"]
    raw = json.dumps({"leg_pain": 3, "note": "pijn ëë"}, ensure_ascii=False).encode()
    r = world.client.put(
        f"/api/v1/patients/{pid}/diary/{clock.today}",
        content=raw,
        headers=world.h("pat_a", **{"content-type": "application/json"}),
    )
    assert r.status_code == 201, r.text
