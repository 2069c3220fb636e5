"""The clinician's actions through the JSON API: notes, findings acknowledged until a review
date, and the medication preview (both databases, a real app in process)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.dbsupport import PASSWORD, Clock, World, intake_for

P = "/api/v1/patients/{pid}"


def _url(world: World, tail: str, who: str = "pat_a") -> str:
    return P.format(pid=world.patient_ids[who]) + tail


def _errors(r: Any) -> list[str]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return [e["path"] for e in r.json()["errors"]]


def test_notes_are_added_and_listed_newest_first(world: World, clock: Clock) -> None:
    c, url = world.client, _url(world, "/notes")
    r = c.post(url, json={"text": "Called the patient"}, headers=world.h("doc_a"))
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "note"
    assert r.json()["by"] == "doc_a"
    clock.advance(minutes=1)
    r = c.post(url, json={"kind": "referral", "text": "To neurology"}, headers=world.h("doc_a"))
    assert r.status_code == 201, r.text
    listed = c.get(url, headers=world.h("doc_a")).json()["notes"]
    assert [(n["kind"], n["text"]) for n in listed] == [
        ("referral", "To neurology"),
        ("note", "Called the patient"),
    ]
    assert c.get(url, headers=world.h("pat_a")).status_code == 403
    assert c.get(url, headers=world.h("doc_b")).status_code == 404


def test_a_bad_note_names_its_field(world: World) -> None:
    c, url, h = world.client, _url(world, "/notes"), world.h("doc_a")
    assert _errors(c.post(url, json={"kind": "scan", "text": "x"}, headers=h)) == ["kind"]
    assert _errors(c.post(url, json={"text": "x" * 2001}, headers=h)) == ["text"]
    assert _errors(c.post(url, json={"text": "   "}, headers=h)) == ["text"]
    assert _errors(c.post(url, json={}, headers=h)) == ["text"]
    assert c.get(url, headers=h).json()["notes"] == []


def test_a_retried_note_is_stored_once(world: World) -> None:
    c, url = world.client, _url(world, "/notes")
    headers = world.h("doc_a", **{"Idempotency-Key": "note-1"})
    first = c.post(url, json={"kind": "mri", "text": "MRI booked"}, headers=headers)
    again = c.post(url, json={"kind": "mri", "text": "MRI booked"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(c.get(url, headers=world.h("doc_a")).json()["notes"]) == 1


def test_cookie_signed_writes_need_the_csrf_token(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/session", json={"username": "doc_a", "password": PASSWORD})
    csrf = r.json()["csrf_token"]
    url = _url(world, "/notes")
    r = c.post(url, json={"text": "no token"})
    assert r.status_code == 403
    assert r.json()["type"].endswith("/csrf")
    r = c.post(url, json={"text": "with token"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    c.cookies.clear()


def _with_cancer_history(world: World, clock: Clock) -> None:
    onset = clock.today - dt.timedelta(days=21)
    intake = intake_for(onset, red_flags={"cancer_history": True})
    r = world.client.put(_url(world, "/intake"), json=intake, headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    codes = [f["code"] for f in r.json()["assessment"]["assessment"]["findings"]]
    assert "REDFLAG_CANCER_HISTORY" in codes


def test_a_finding_acknowledged_until_a_date_counts_until_the_record_changes(
    world: World, clock: Clock
) -> None:
    c, url = world.client, _url(world, "/finding-acknowledgements")
    _with_cancer_history(world, clock)
    clock.advance(minutes=1)
    until = (clock.today + dt.timedelta(days=30)).isoformat()
    body = {"code": "REDFLAG_CANCER_HISTORY", "until": until, "note": "Known, stable since 2019"}
    r = c.post(url, json=body, headers=world.h("doc_a"))
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["code"], made["until"], made["by"], made["in_force"]) == (
        "REDFLAG_CANCER_HISTORY",
        until,
        "doc_a",
        True,
    )
    assert [
        a["in_force"] for a in c.get(url, headers=world.h("doc_a")).json()["acknowledgements"]
    ] == [True]

    # The patient's own advice does not change: the finding is still theirs to read.
    r = c.get(_url(world, "/assessment"), headers=world.h("pat_a"))
    assert "REDFLAG_CANCER_HISTORY" in [f["code"] for f in r.json()["assessment"]["findings"]]

    clock.advance(minutes=1)
    r = c.put(_url(world, f"/diary/{clock.today}"), json={"leg_pain": 5}, headers=world.h("pat_a"))
    assert r.status_code == 201, r.text
    listed = c.get(url, headers=world.h("doc_a")).json()["acknowledgements"]
    assert [a["in_force"] for a in listed] == [False]


def test_an_alarm_or_a_bad_date_is_refused_by_field(world: World, clock: Clock) -> None:
    c, url, h = world.client, _url(world, "/finding-acknowledgements"), world.h("doc_a")
    onset = clock.today - dt.timedelta(days=21)
    intake = intake_for(onset, saddle_numbness=True, red_flags={"cancer_history": True})
    assert c.put(_url(world, "/intake"), json=intake, headers=h).status_code == 200
    soon = (clock.today + dt.timedelta(days=7)).isoformat()
    note = "Seen"
    alarm = {"code": "ALARM_SADDLE_NUMBNESS", "until": soon, "note": note}
    assert _errors(c.post(url, json=alarm, headers=h)) == ["code"]
    for until in (clock.today.isoformat(), "2026-13-01", "next week"):
        body = {"code": "REDFLAG_CANCER_HISTORY", "until": until, "note": note}
        assert _errors(c.post(url, json=body, headers=h)) == ["until"], until
    body = {"code": "REDFLAG_CANCER_HISTORY", "until": soon, "note": ""}
    assert _errors(c.post(url, json=body, headers=h)) == ["note"]
    assert c.get(url, headers=h).json()["acknowledgements"] == []
    other = _url(world, "/finding-acknowledgements", "pat_b")
    body = {"code": "REDFLAG_CANCER_HISTORY", "until": soon, "note": note}
    assert c.post(other, json=body, headers=h).status_code == 404


def test_the_preview_shows_the_nsaid_findings_and_stores_nothing(
    world: World, clock: Clock
) -> None:
    c, h = world.client, world.h("doc_a")
    intake = intake_for(clock.today - dt.timedelta(days=21))
    intake["patient"] = {**intake["patient"], "age": 75, "risk_factors": ["anticoagulants"]}
    assert c.put(_url(world, "/intake"), json=intake, headers=h).status_code == 200
    r = c.put(_url(world, "/medication"), json={"step": 1, "reason": "start"}, headers=h)
    assert r.status_code == 200, r.text
    stored = c.get(_url(world, "/assessments"), headers=h).json()["assessments"]

    proposed = {"step": 2, "nsaid": "naproxen", "nsaid_since": clock.today.isoformat()}
    r = c.post(_url(world, "/medication/preview?language=en"), json=proposed, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    new = [f["code"] for f in out["new_findings"]]
    assert {"NSAID_CAUTION", "NSAID_STOMACH_PROTECTION"} <= set(new)
    assert "NSAID_USE" in [a["code"] for a in out["new_advice"]]
    assert out["medication"] == proposed
    assert (out["current"]["medication"]["step"], out["proposed"]["medication"]["step"]) == (1, 2)
    assert out["proposed"]["language"] == "en"

    assert c.get(_url(world, "/medication"), headers=h).json()["medication"] == {"step": 1}
    assert c.get(_url(world, "/assessments"), headers=h).json()["assessments"] == stored
    r = c.post(_url(world, "/medication/preview"), json={"step": 4}, headers=h)
    assert _errors(r) == ["step"]
    assert (
        c.post(
            _url(world, "/medication/preview"), json=proposed, headers=world.h("pat_a")
        ).status_code
        == 403
    )


def test_the_patients_export_holds_the_notes_and_acknowledgements(
    world: World, clock: Clock
) -> None:
    c = world.client
    _with_cancer_history(world, clock)
    clock.advance(minutes=1)
    c.post(
        _url(world, "/notes"), json={"kind": "mri", "text": "MRI booked"}, headers=world.h("doc_a")
    )
    until = (clock.today + dt.timedelta(days=30)).isoformat()
    body = {"code": "REDFLAG_CANCER_HISTORY", "until": until, "note": "Stable"}
    c.post(_url(world, "/finding-acknowledgements"), json=body, headers=world.h("doc_a"))
    out = c.get(_url(world, "/export"), headers=world.h("pat_a")).json()
    assert [(n["kind"], n["text"], n["by"]) for n in out["notes"]] == [
        ("mri", "MRI booked", "doc_a")
    ]
    acks = out["finding_acknowledgements"]
    assert [(a["code"], a["until"], a["note"]) for a in acks] == [
        ("REDFLAG_CANCER_HISTORY", until, "Stable")
    ]
