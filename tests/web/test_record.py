"""Diary, intake, medication and assessments through the API, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.dbsupport import Clock, World, intake_for


def _url(world: World, name: str, tail: str = "") -> str:
    return f"/api/v1/patients/{world.patient_ids[name]}{tail}"


def test_diary_put_twice_leaves_one_entry(world: World, clock: Clock) -> None:
    c, day = world.client, clock.today.isoformat()
    first = c.put(
        _url(world, "pat_a", f"/diary/{day}"), json={"leg_pain": 7}, headers=world.h("pat_a")
    )
    again = c.put(
        _url(world, "pat_a", f"/diary/{day}"), json={"leg_pain": 7}, headers=world.h("pat_a")
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["created"] is True
    assert again.json()["created"] is False
    entries = c.get(_url(world, "pat_a", "/diary"), headers=world.h("pat_a")).json()["entries"]
    assert entries == [{"date": day, "leg_pain": 7}]


def test_diary_put_reassesses_in_the_same_transaction(world: World, clock: Clock) -> None:
    c, day = world.client, clock.today.isoformat()
    entry = {"leg_pain": 8, "pain_tolerable": False, "painkillers_as_scheduled": True}
    r = c.put(_url(world, "pat_a", f"/diary/{day}"), json=entry, headers=world.h("pat_a"))
    assert r.status_code == 201
    stored = r.json()["assessment"]
    assert stored["cause"] == "diary"
    assert stored["today"] == day
    assert stored["assessment"]["schema_version"] == 1
    history = c.get(_url(world, "pat_a", "/assessments"), headers=world.h("pat_a")).json()
    assert history["assessments"][0]["id"] == stored["id"]


def test_diary_date_may_be_left_out_but_must_match(world: World, clock: Clock) -> None:
    c, day = world.client, clock.today
    url = _url(world, "pat_a", f"/diary/{day.isoformat()}")
    other = (day - dt.timedelta(days=1)).isoformat()
    r = c.put(url, json={"date": other, "leg_pain": 3}, headers=world.h("pat_a"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "date"
    r = c.put(url, json={"date": day.isoformat(), "leg_pain": 3}, headers=world.h("pat_a"))
    assert r.status_code == 201


def test_diary_validation_names_the_entry_fields(world: World, clock: Clock) -> None:
    c = world.client
    url = _url(world, "pat_a", f"/diary/{clock.today.isoformat()}")
    r = c.put(
        url, json={"leg_pain": 11, "paracetamol_mg": -1, "colour": "red"}, headers=world.h("pat_a")
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    errors = {e["path"]: e["message"] for e in r.json()["errors"]}
    assert set(errors) == {"leg_pain", "paracetamol_mg", "colour"}
    assert "11" in errors["leg_pain"]
    assert c.get(_url(world, "pat_a", "/diary"), headers=world.h("pat_a")).json()["entries"] == []


def test_diary_refuses_future_dates_and_dates_before_onset(world: World, clock: Clock) -> None:
    c = world.client
    tomorrow = (clock.today + dt.timedelta(days=1)).isoformat()
    r = c.put(
        _url(world, "pat_a", f"/diary/{tomorrow}"), json={"leg_pain": 3}, headers=world.h("pat_a")
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "date"
    long_ago = (clock.today - dt.timedelta(days=100)).isoformat()
    r = c.put(
        _url(world, "pat_a", f"/diary/{long_ago}"), json={"leg_pain": 3}, headers=world.h("pat_a")
    )
    assert r.status_code == 422
    assert "onset" in r.json()["errors"][0]["message"]


def test_bad_dates_in_urls_are_422(world: World) -> None:
    c = world.client
    for bad in ("2026-02-30", "yesterday", "20260301", "2026-3-1"):
        r = c.put(
            _url(world, "pat_a", f"/diary/{bad}"), json={"leg_pain": 3}, headers=world.h("pat_a")
        )
        assert r.status_code == 422, bad
        assert r.headers["content-type"] == "application/problem+json"
    r = c.get(_url(world, "pat_a", "/diary?from=2026-13-01"), headers=world.h("pat_a"))
    assert r.status_code == 422


def test_diary_range(world: World, clock: Clock) -> None:
    c = world.client
    days = [clock.today - dt.timedelta(days=n) for n in range(5)]
    for n, day in enumerate(days):
        r = c.put(
            _url(world, "pat_a", f"/diary/{day}"), json={"leg_pain": n}, headers=world.h("pat_a")
        )
        assert r.status_code == 201
    r = c.get(_url(world, "pat_a", f"/diary?from={days[3]}&to={days[1]}"), headers=world.h("doc_a"))
    assert [e["date"] for e in r.json()["entries"]] == [str(days[3]), str(days[2]), str(days[1])]
    one = c.get(_url(world, "pat_a", f"/diary/{days[2]}"), headers=world.h("doc_a"))
    assert one.json() == {"date": str(days[2]), "leg_pain": 2}
    missing = (clock.today - dt.timedelta(days=10)).isoformat()
    assert (
        c.get(_url(world, "pat_a", f"/diary/{missing}"), headers=world.h("doc_a")).status_code
        == 404
    )


def test_diary_needs_an_intake_first(world: World, clock: Clock) -> None:
    c = world.client
    pid = c.post("/api/v1/patients", json={"display_name": "Z"}, headers=world.h("doc_a")).json()[
        "patient"
    ]["id"]
    r = c.put(
        f"/api/v1/patients/{pid}/diary/{clock.today}",
        json={"leg_pain": 3},
        headers=world.h("doc_a"),
    )
    assert r.status_code == 409
    assert r.json()["type"].endswith("/intake-required")
    r = c.get(f"/api/v1/patients/{pid}/assessment", headers=world.h("doc_a"))
    assert r.status_code == 409


def test_intake_put_validates_and_reassesses(world: World, clock: Clock) -> None:
    c = world.client
    bad = intake_for(clock.today)
    del bad["symptoms"]["incontinence"]
    bad["symptoms"]["weakness"] = "sometimes"
    r = c.put(_url(world, "pat_a", "/intake"), json=bad, headers=world.h("pat_a"))
    assert r.status_code == 422
    assert {e["path"] for e in r.json()["errors"]} == {"symptoms.incontinence", "symptoms.weakness"}
    alarm = intake_for(clock.today - dt.timedelta(days=3), saddle_numbness=True)
    r = c.put(_url(world, "pat_a", "/intake"), json=alarm, headers=world.h("pat_a"))
    assert r.status_code == 200, r.text
    assert r.json()["assessment"]["assessment"]["triage"] == "emergency"
    assert c.get(_url(world, "pat_a", "/intake"), headers=world.h("doc_a")).json() == alarm


def test_intake_onset_may_not_orphan_diary_entries(world: World, clock: Clock) -> None:
    c = world.client
    early = (clock.today - dt.timedelta(days=10)).isoformat()
    assert (
        c.put(
            _url(world, "pat_a", f"/diary/{early}"), json={"leg_pain": 5}, headers=world.h("pat_a")
        ).status_code
        == 201
    )
    later = intake_for(clock.today - dt.timedelta(days=2))
    r = c.put(_url(world, "pat_a", "/intake"), json=later, headers=world.h("pat_a"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "onset"


def test_medication_is_for_clinicians_and_keeps_the_reason(world: World, clock: Clock) -> None:
    c = world.client
    body = {
        "step": 2,
        "nsaid": "naproxen",
        "nsaid_since": clock.today.isoformat(),
        "reason": "pijn",
    }
    assert (
        c.put(_url(world, "pat_a", "/medication"), json=body, headers=world.h("pat_a")).status_code
        == 403
    )
    r = c.put(_url(world, "pat_a", "/medication"), json=body, headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["medication"] == {
        "step": 2,
        "nsaid": "naproxen",
        "nsaid_since": clock.today.isoformat(),
    }
    assert out["history"][-1]["changed_by"] == "doc_a"
    assert out["history"][-1]["reason"] == "pijn"
    assert out["assessment"]["assessment"]["medication"]["step"] == 2
    seen = c.get(_url(world, "pat_a", "/medication"), headers=world.h("pat_a")).json()
    assert seen["medication"]["step"] == 2


def test_medication_validation(world: World) -> None:
    c = world.client
    r = c.put(_url(world, "pat_a", "/medication"), json={"step": 5}, headers=world.h("doc_a"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "reason"
    r = c.put(
        _url(world, "pat_a", "/medication"),
        json={"step": 5, "reason": "x"},
        headers=world.h("doc_a"),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "step"


def test_assessment_uses_the_amsterdam_date(world: World, clock: Clock) -> None:
    # 23:30 UTC on 1 March is already 2 March in Amsterdam (UTC+1).
    clock.now = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    r = world.client.get(_url(world, "pat_a", "/assessment"), headers=world.h("pat_a"))
    assert r.status_code == 200
    assert r.json()["today"] == "2026-03-02"
    assert r.json()["assessment"]["days_since_onset"] == 21


def test_looking_again_at_an_unchanged_record_stores_nothing_new(
    world: World, clock: Clock
) -> None:
    c, h = world.client, world.h("pat_a")
    history = _url(world, "pat_a", "/assessments")
    first = c.get(_url(world, "pat_a", "/assessment"), headers=h).json()
    count = len(c.get(history, headers=h).json()["assessments"])
    again = c.get(_url(world, "pat_a", "/assessment"), headers=h).json()
    assert again == first
    assert len(c.get(history, headers=h).json()["assessments"]) == count
    # A new diary entry changes the record: its assessment is stored with the entry.
    put = c.put(
        _url(world, "pat_a", f"/diary/{clock.today.isoformat()}"), json={"leg_pain": 3}, headers=h
    ).json()
    after = c.get(_url(world, "pat_a", "/assessment"), headers=h).json()
    assert after["id"] == put["assessment"]["id"] != first["id"]
    # The next day the same record is another assessment (days since onset, trend).
    clock.advance(hours=14.5)  # 00:30 the next day: sign in again (sessions last 12 h)
    world.sign_in("pat_a")
    h = world.h("pat_a")
    tomorrow = c.get(_url(world, "pat_a", "/assessment"), headers=h).json()
    assert tomorrow["id"] > after["id"]
    assert (tomorrow["cause"], tomorrow["today"]) == ("read", clock.today.isoformat())
    assert len(c.get(history, headers=h).json()["assessments"]) == count + 2


def test_assessment_language_and_history_paging(world: World) -> None:
    c = world.client
    for lang in ("en", "nl", "en"):
        r = c.get(_url(world, "pat_a", f"/assessment?language={lang}"), headers=world.h("pat_a"))
        assert r.json()["assessment"]["language"] == lang
    page = c.get(_url(world, "pat_a", "/assessments?limit=2"), headers=world.h("pat_a")).json()
    assert len(page["assessments"]) == 2
    rest = c.get(
        _url(world, "pat_a", f"/assessments?limit=2&before_id={page['next_before_id']}"),
        headers=world.h("pat_a"),
    ).json()
    ids = [a["id"] for a in page["assessments"] + rest["assessments"]]
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == 4  # three reads and the intake's
    one = c.get(_url(world, "pat_a", f"/assessments/{ids[0]}"), headers=world.h("doc_a"))
    assert one.json()["id"] == ids[0]
    foreign = c.get(_url(world, "pat_b", f"/assessments/{ids[0]}"), headers=world.h("doc_b"))
    assert foreign.status_code == 404


def test_alarm_acknowledgement(world: World, clock: Clock) -> None:
    c = world.client
    alarm = intake_for(clock.today - dt.timedelta(days=3), incontinence=True)
    stored = c.put(_url(world, "pat_a", "/intake"), json=alarm, headers=world.h("pat_a")).json()[
        "assessment"
    ]
    url = _url(world, "pat_a", f"/alarms/{stored['id']}/acknowledge")
    assert c.post(url, json={"note": "x"}, headers=world.h("pat_a")).status_code == 403
    assert c.post(url, json={"note": "x"}, headers=world.h("doc_b")).status_code == 404
    r = c.post(url, json={"note": "gebeld, naar SEH"}, headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    ack = r.json()["acknowledgement"]
    assert ack["by"] == "doc_a"
    assert ack["note"] == "gebeld, naar SEH"
    again = c.post(url, json={"note": "later"}, headers=world.h("doc_a"))
    assert again.json()["acknowledgement"] == ack
    listed = c.get("/api/v1/patients", headers=world.h("doc_a")).json()
    assert listed[0]["latest_assessment"]["acknowledged"] is True


def test_no_alarm_no_acknowledgement(world: World) -> None:
    c = world.client
    stored = c.get(_url(world, "pat_a", "/assessment"), headers=world.h("pat_a")).json()
    assert stored["assessment"]["triage"] == "self_care"
    r = c.post(
        _url(world, "pat_a", f"/alarms/{stored['id']}/acknowledge"), headers=world.h("doc_a")
    )
    assert r.status_code == 409


def test_huge_ids_are_422_not_500(world: World) -> None:
    r = world.client.get("/api/v1/patients/99999999999999999999", headers=world.h("doc_a"))
    assert r.status_code == 422
    r = world.client.get(_url(world, "pat_a", "/assessments/4294967296"), headers=world.h("doc_a"))
    assert r.status_code == 422


def test_nul_characters_are_refused_before_the_database(world: World, clock: Clock) -> None:
    c: Any = world.client
    url = _url(world, "pat_a", f"/diary/{clock.today}")
    r = c.put(url, json={"leg_pain": 3, "note": "a\x00b"}, headers=world.h("pat_a"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "note"
    r = c.post("/api/v1/patients", json={"display_name": "a\x00b"}, headers=world.h("doc_a"))
    assert r.status_code == 422


def test_a_body_nested_too_deep_is_named_before_parsing(world: World) -> None:
    deep = '{"onset": ' + "[" * 100 + "]" * 100 + "}"
    r = world.client.put(
        _url(world, "pat_a", "/intake"),
        content=deep,
        headers=world.h("pat_a", **{"Content-Type": "application/json"}),
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"path": "body", "pointer": "#/body", "message": "is nested more than 64 levels deep"}
    ]


def test_an_identical_diary_put_stores_no_second_assessment(world: World, clock: Clock) -> None:
    c, h = world.client, world.h("pat_a")
    history = _url(world, "pat_a", "/assessments")
    url = _url(world, "pat_a", f"/diary/{clock.today.isoformat()}")
    first = c.put(url, json={"leg_pain": 4}, headers=h).json()["assessment"]
    count = len(c.get(history, headers=h).json()["assessments"])
    again = c.put(url, json={"leg_pain": 4}, headers=h).json()["assessment"]
    assert again == first
    assert len(c.get(history, headers=h).json()["assessments"]) == count
    # GET /assessment and the intake, rewritten unchanged, find the same stored one.
    assert c.get(_url(world, "pat_a", "/assessment"), headers=h).json()["id"] == first["id"]
    intake = c.get(_url(world, "pat_a", "/intake"), headers=h).json()
    same = c.put(_url(world, "pat_a", "/intake"), json=intake, headers=h).json()["assessment"]
    assert same["id"] == first["id"]
    assert len(c.get(history, headers=h).json()["assessments"]) == count
    # A changed entry is a changed assessment: stored.
    other = c.put(url, json={"leg_pain": 9}, headers=h).json()["assessment"]
    assert other["id"] > first["id"]


def test_an_unchanged_write_answers_with_the_acknowledgement(world: World, clock: Clock) -> None:
    c = world.client
    alarm = intake_for(clock.today - dt.timedelta(days=3), incontinence=True)
    url = _url(world, "pat_a", "/intake")
    stored = c.put(url, json=alarm, headers=world.h("pat_a")).json()["assessment"]
    ack = _url(world, "pat_a", f"/alarms/{stored['id']}/acknowledge")
    assert c.post(ack, json={"note": "gebeld"}, headers=world.h("doc_a")).status_code == 200
    again = c.put(url, json=alarm, headers=world.h("pat_a")).json()["assessment"]
    assert again["id"] == stored["id"]
    assert again["acknowledgement"]["note"] == "gebeld"
