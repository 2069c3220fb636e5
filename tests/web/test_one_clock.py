"""One clock: the store takes every time from its caller, so no request reads the store's own.

The store falls back on the wall clock only for callers that give no time (scripts,
store tests). Here that fallback fails loudly while requests touch every table with
a timestamp, so a route that forgot to pass the request's time cannot pass.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rughernia.store import clock as store_clock
from tests.dbsupport import PASSWORD, Clock, World, intake_for


def test_requests_never_use_the_stores_own_clock(
    world: World, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> dt.datetime:
        raise AssertionError("the store read its own clock: pass the caller's time")

    monkeypatch.setattr(store_clock, "utcnow", refuse)
    c: Any = world.client
    doc, admin = world.h("doc_a"), world.h("admin")
    assert c.post("/api/v1/teams", json={"name": "C"}, headers=admin).status_code == 201
    new_user = {"username": "doc_c", "password": PASSWORD, "role": "clinician", "teams": ["C"]}
    r = c.post("/api/v1/users", json=new_user, headers=world.h("admin", **{"Idempotency-Key": "u"}))
    assert r.status_code == 201, r.text
    world.sign_in("doc_c")
    r = c.post(
        "/api/v1/patients",
        json={"display_name": "Nieuw"},
        headers=world.h("doc_a", **{"Idempotency-Key": "p"}),
    )
    assert r.status_code == 201, r.text
    pid, code = r.json()["patient"]["id"], r.json()["invitation_code"]
    redeem = {"code": code, "username": "pat_new", "password": PASSWORD}
    assert c.post("/api/v1/invitations/redeem", json=redeem).status_code == 201
    world.sign_in("pat_new")
    pat = world.h("pat_new")
    base = f"/api/v1/patients/{pid}"
    onset = clock.today - dt.timedelta(days=10)
    intake = intake_for(onset, saddle_numbness=True)
    assert c.put(f"{base}/intake", json=intake, headers=pat).status_code == 200
    r = c.put(f"{base}/diary/{clock.today}", json={"leg_pain": 6}, headers=pat)
    assert r.status_code == 201, r.text
    alarm = r.json()["assessment"]["id"]
    med = {"step": 1, "reason": "start"}
    assert c.put(f"{base}/medication", json=med, headers=doc).status_code == 200
    # In English the assessment differs from the stored one, so the look stores it.
    r = c.get(f"{base}/assessment?language=en", headers=pat)
    assert r.status_code == 200, r.text
    assert r.json()["cause"] == "read"
    ack = f"{base}/alarms/{alarm}/acknowledge"
    r = c.post(ack, json={"note": "gebeld"}, headers=world.h("doc_a", **{"Idempotency-Key": "a"}))
    assert r.status_code == 200, r.text
    for path in ("/export", "/access-log", "/assessments", "/diary", ""):
        assert c.get(base + path, headers=pat).status_code == 200, path
    assert c.get(f"{base}/diary").status_code == 401  # audited as unauthenticated
    assert c.delete(base, headers=pat).status_code == 204
    assert c.delete("/api/v1/session", headers=doc).status_code == 204
