"""Export, erasure and the access log; and that every patient-data route writes an audit row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rughernia.store.tables import AuditRow
from tests.dbsupport import Clock, World


def _audit(app: Any) -> list[AuditRow]:
    with app.state.rughernia.sessions() as s:
        return list(s.scalars(select(AuditRow).order_by(AuditRow.id)))


def test_export_holds_everything(world: World, clock: Clock) -> None:
    c, pid = world.client, world.patient_ids["pat_a"]
    c.put(
        f"/api/v1/patients/{pid}/diary/{clock.today}",
        json={"leg_pain": 6},
        headers=world.h("pat_a"),
    )
    c.put(
        f"/api/v1/patients/{pid}/medication",
        json={"step": 1, "reason": "start"},
        headers=world.h("doc_a"),
    )
    r = c.get(f"/api/v1/patients/{pid}/export", headers=world.h("pat_a"))
    assert r.status_code == 200
    out = r.json()
    assert out["patient"]["id"] == pid
    assert out["intake"]["symptoms"]["leg_pain_reaches"] == "below_knee"
    assert out["diary"] == [{"date": clock.today.isoformat(), "leg_pain": 6}]
    assert out["medication"] == {"step": 1}
    assert out["medication_history"][0]["reason"] == "start"
    assert len(out["assessments"]) == 3  # intake, diary, medication
    assert any(e["username"] == "doc_a" for e in out["access_log"])


def test_access_log_shows_who_looked(world: World) -> None:
    c, pid = world.client, world.patient_ids["pat_a"]
    c.get(f"/api/v1/patients/{pid}/diary", headers=world.h("doc_a"))
    c.get(f"/api/v1/patients/{pid}", headers=world.h("doc_b"))  # denied: other team
    log = c.get(f"/api/v1/patients/{pid}/access-log", headers=world.h("pat_a")).json()["entries"]
    seen = {(e["who"], e["username"], e["action"], e["outcome"]) for e in log}
    assert ("doc_a", "doc_a", "diary.read", "success") in seen
    assert ("a clinician of another team", None, "patient.read", "denied") in seen
    assert "client_address" not in log[0]
    other = world.patient_ids["pat_b"]
    assert (
        c.get(f"/api/v1/patients/{other}/access-log", headers=world.h("pat_a")).status_code == 404
    )


def test_refused_outsiders_are_named_by_role_only(world: World) -> None:
    # That pat_b is a patient here, or who works for another team, is not pat_a's to know.
    c, pid = world.client, world.patient_ids["pat_a"]
    c.get(f"/api/v1/patients/{pid}", headers=world.h("pat_b"))
    c.get(f"/api/v1/patients/{pid}/diary", headers=world.h("doc_b"))
    c.get(f"/api/v1/patients/{pid}", headers=world.h("admin"))
    c.delete(f"/api/v1/patients/{pid}", headers=world.h("doc_a"))  # refused, but their team
    c.get(f"/api/v1/patients/{pid}")  # not signed in
    for reader in ("pat_a", "doc_a"):
        r = c.get(f"/api/v1/patients/{pid}/access-log", headers=world.h(reader))
        exported = c.get(f"/api/v1/patients/{pid}/export", headers=world.h(reader))
        for answer in (r.text, exported.text):
            assert "pat_b" not in answer
            assert "doc_b" not in answer
        refused = {
            (e["who"], e["username"], e["role"], e["action"])
            for e in r.json()["entries"]
            if e["outcome"] != "success"
        }
        assert refused == {
            ("a patient", None, "patient", "patient.read"),
            ("a clinician of another team", None, "clinician", "diary.read"),
            ("an administrator", None, "admin", "patient.read"),
            ("doc_a", "doc_a", "clinician", "patient.erase"),
            ("someone not signed in", None, None, "GET /"),
        }
    entries = c.get(f"/api/v1/patients/{pid}/access-log", headers=world.h("pat_a")).json()
    assert {"pat_a", "doc_a"} <= {e["who"] for e in entries["entries"]}


def test_erasure_removes_the_record_and_account_but_keeps_a_bare_audit_entry(
    world: World, app: Any, clock: Clock
) -> None:
    c, pid = world.client, world.patient_ids["pat_a"]
    c.put(
        f"/api/v1/patients/{pid}/diary/{clock.today}",
        json={"leg_pain": 6, "note": "geheim"},
        headers=world.h("pat_a"),
    )
    assert c.delete(f"/api/v1/patients/{pid}", headers=world.h("doc_a")).status_code == 403
    assert c.delete(f"/api/v1/patients/{pid}", headers=world.h("pat_a")).status_code == 204
    assert c.get(f"/api/v1/patients/{pid}", headers=world.h("doc_a")).status_code == 404
    assert c.get("/api/v1/session", headers=world.h("pat_a")).status_code == 401
    erased = [r for r in _audit(app) if r.patient_id == pid and r.action == "patient.erase"]
    assert [(r.username, r.outcome) for r in erased] == [("doc_a", "denied"), ("pat_a", "success")]
    columns = {col.name for col in AuditRow.__table__.columns}
    assert columns == {
        "id",
        "at",
        "user_id",
        "username",
        "role",
        "patient_id",
        "action",
        "outcome",
        "client_address",
    }


def test_admin_may_erase_on_request(world: World) -> None:
    pid = world.patient_ids["pat_b"]
    assert (
        world.client.delete(f"/api/v1/patients/{pid}", headers=world.h("admin")).status_code == 204
    )
    assert world.client.get(f"/api/v1/patients/{pid}", headers=world.h("doc_b")).status_code == 404


PATIENT_ROUTES = [
    ("GET", "/api/v1/patients/{pid}", None),
    ("GET", "/api/v1/patients/{pid}/diary", None),
    ("GET", "/api/v1/patients/{pid}/diary/2026-03-02", None),
    ("PUT", "/api/v1/patients/{pid}/diary/2026-03-02", {"leg_pain": 4}),
    ("GET", "/api/v1/patients/{pid}/intake", None),
    ("GET", "/api/v1/patients/{pid}/medication", None),
    ("GET", "/api/v1/patients/{pid}/assessment", None),
    ("GET", "/api/v1/patients/{pid}/assessments", None),
    ("GET", "/api/v1/patients/{pid}/export", None),
    ("GET", "/api/v1/patients/{pid}/access-log", None),
]


def test_every_patient_route_writes_an_audit_row(world: World, app: Any) -> None:
    c, pid = world.client, world.patient_ids["pat_a"]
    for method, template, body in PATIENT_ROUTES:
        before = len(_audit(app))
        r = c.request(method, template.format(pid=pid), json=body, headers=world.h("doc_a"))
        assert r.status_code < 500, (template, r.text)
        rows = _audit(app)[before:]
        assert rows, template
        assert rows[-1].patient_id == pid
        assert rows[-1].username == "doc_a"
        assert rows[-1].role == "clinician"
        assert rows[-1].client_address
        # and a refused attempt is recorded too
        before = len(_audit(app))
        r = c.request(method, template.format(pid=pid), json=body, headers=world.h("doc_b"))
        assert r.status_code == 404
        assert [row.outcome for row in _audit(app)[before:]] == ["denied"], template


def test_the_admin_sees_no_patient_names(world: World) -> None:
    r = world.client.get("/api/v1/users", headers=world.h("admin"))
    assert r.status_code == 200
    users = r.json()
    patients = [u for u in users if u["role"] == "patient"]
    assert patients
    assert all(u["display_name"] is None for u in patients)
    assert all(isinstance(u["display_name"], str) for u in users if u["role"] != "patient")
