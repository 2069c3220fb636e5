"""Idempotency-Key on POSTs: a retry gets the first answer and causes no second effect."""

from __future__ import annotations

from tests.dbsupport import Clock, World, intake_for


def test_create_patient_retry_returns_the_first_answer(world: World) -> None:
    c = world.client
    headers = world.h("doc_a", **{"Idempotency-Key": "create-1"})
    first = c.post("/api/v1/patients", json={"display_name": "Retry"}, headers=headers)
    second = c.post("/api/v1/patients", json={"display_name": "Retry"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    names = [p["display_name"] for p in c.get("/api/v1/patients", headers=world.h("doc_a")).json()]
    assert names.count("Retry") == 1


def test_same_key_other_request_is_refused(world: World) -> None:
    c = world.client
    headers = world.h("doc_a", **{"Idempotency-Key": "k"})
    assert (
        c.post("/api/v1/patients", json={"display_name": "A"}, headers=headers).status_code == 201
    )
    r = c.post("/api/v1/patients", json={"display_name": "B"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["type"].endswith("/idempotency-key-reused")


def test_keys_are_per_user(world: World) -> None:
    c = world.client
    a = c.post(
        "/api/v1/patients",
        json={"display_name": "A"},
        headers=world.h("doc_a", **{"Idempotency-Key": "same"}),
    )
    b = c.post(
        "/api/v1/patients",
        json={"display_name": "A"},
        headers=world.h("doc_b", **{"Idempotency-Key": "same"}),
    )
    assert a.json()["patient"]["id"] != b.json()["patient"]["id"]


def test_bad_keys_are_named(world: World) -> None:
    r = world.client.post(
        "/api/v1/patients",
        json={"display_name": "A"},
        headers=world.h("doc_a", **{"Idempotency-Key": "x" * 201}),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "header.Idempotency-Key"


def test_acknowledge_with_key(world: World, clock: object) -> None:
    import datetime as dt

    c = world.client
    pid = world.patient_ids["pat_a"]
    alarm = intake_for(dt.date(2026, 2, 20), both_legs=True)
    stored = c.put(f"/api/v1/patients/{pid}/intake", json=alarm, headers=world.h("pat_a")).json()[
        "assessment"
    ]
    url = f"/api/v1/patients/{pid}/alarms/{stored['id']}/acknowledge"
    headers = world.h("doc_a", **{"Idempotency-Key": "ack-1"})
    first = c.post(url, json={"note": "n"}, headers=headers)
    second = c.post(url, json={"note": "n"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


def test_rejected_request_stores_no_key(world: World) -> None:
    c = world.client
    headers = world.h("doc_a", **{"Idempotency-Key": "bad-then-good"})
    r = c.post("/api/v1/patients", json={"display_name": ""}, headers=headers)
    assert r.status_code == 422
    r = c.post("/api/v1/patients", json={"display_name": "Good"}, headers=headers)
    assert r.status_code == 201


def test_keys_expire(world: World, clock: Clock) -> None:
    c = world.client
    headers = world.h("doc_a", **{"Idempotency-Key": "daily"})
    first = c.post("/api/v1/patients", json={"display_name": "A"}, headers=headers)
    clock.advance(hours=25)
    world.sign_in("doc_a")  # the old session has expired too
    headers = world.h("doc_a", **{"Idempotency-Key": "daily"})
    second = c.post("/api/v1/patients", json={"display_name": "A"}, headers=headers)
    assert second.status_code == 201
    assert second.json()["patient"]["id"] != first.json()["patient"]["id"]
