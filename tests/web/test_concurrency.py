"""Many clients, one real server: every acknowledged diary write is stored exactly once.

A ``rughernia serve`` process (two workers) on each database; a clinician made
with the CLI creates 20 patients over the API (retrying some POSTs with the same
Idempotency-Key), each patient redeems their invitation and fills in the intake.
Then 20 clients, one per patient, each PUT 200 diary entries at once, with three
kinds of deliberate retries a phone on a bad network makes:

- a plain repeat: the same PUT again after its answer came;
- a racing repeat: the same PUT on a second connection at the same moment;
- a lost answer: the request is sent and the connection dropped before the
  answer is read, then the PUT is sent again.

Afterwards the API and the database itself must hold every acknowledged entry
exactly once, equal to what was sent, and every assessment an answer named.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from rughernia.store.engine import make_engine
from tests.dbsupport import PASSWORD, intake_for
from tests.web.test_server import RUGHERNIA, Server, _env

CLIENTS = 20
ENTRIES = 200
# Which entries are retried, and how (by the entry's number).
PLAIN_REPEAT, RACING_REPEAT, LOST_ANSWER = 7, 10, 13
TRANSPORT_RETRIES = 3

pytestmark = pytest.mark.slow


class WorkersServer(Server):
    """``rughernia serve`` with worker processes (writers in different processes)."""

    workers = 2

    def start(self) -> None:
        command = [RUGHERNIA, "serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.log = self.cwd / "server.log"
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*command, "--log-level", "warning"],
                env=self.env,
                cwd=self.cwd,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,  # its own process group: kill() takes the workers along
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(self.log_tail())
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("server did not start")

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def serve(database_url: str, tmp_path: Path, workers: int) -> Iterator[WorkersServer]:
    add = [RUGHERNIA, "user", "add", "doc", "--role", "clinician", "--team", "T"]
    done = subprocess.run(
        [*add, "--password", PASSWORD],
        env=_env(database_url),
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    s = WorkersServer(database_url, tmp_path)
    s.workers = workers
    s.start()
    yield s
    s.kill()
    print(s.log_tail())  # shown by pytest when the test failed


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[WorkersServer]:
    yield from serve(database_url, tmp_path, workers=2)


@pytest.fixture
def one_worker(database_url: str, tmp_path: Path) -> Iterator[WorkersServer]:
    yield from serve(database_url, tmp_path, workers=1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Patient:
    number: int
    id: int
    token: str
    dates: list[str]
    # What the client sent per date (the last acknowledged body wins; retries send the same).
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (status, created, assessment id) of every acknowledged PUT.
    answers: list[tuple[int, bool, int]] = field(default_factory=list)
    lost: int = 0
    failures: list[str] = field(default_factory=list)


def entry_body(patient: int, n: int) -> dict[str, Any]:
    """A distinct, valid entry per patient and day, so a misplaced row would show."""
    return {
        "leg_pain": (patient * 3 + n) % 11,
        "back_pain": (patient + n * 5) % 11,
        "pain_tolerable": n % 3 != 0,
        "exercised": n % 2 == 0,
        "note": f"client {patient} day {n}",
    }


def set_up_patients(base: str) -> tuple[list[Patient], dt.date]:
    """A clinician's 20 patients, each with an account and an intake, onset long ago."""
    c = httpx.Client(base_url=base, timeout=30)
    r = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD})
    assert r.status_code == 200, r.text
    doc = bearer(r.json()["token"])
    # Dates well before the server's today (Europe/Amsterdam), whichever side of midnight.
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date() - dt.timedelta(days=2)
    onset = today - dt.timedelta(days=ENTRIES + 10)
    dates = [(onset + dt.timedelta(days=n + 1)).isoformat() for n in range(ENTRIES)]
    patients = []
    for i in range(CLIENTS):
        headers = {**doc, "Idempotency-Key": f"create-patient-{i}"}
        body = {"display_name": f"Client {i}"}
        r = c.post("/api/v1/patients", json=body, headers=headers)
        assert r.status_code == 201, r.text
        if i % 4 == 0:  # a deliberate retry: the same answer, and no second patient
            again = c.post("/api/v1/patients", json=body, headers=headers)
            assert again.status_code == 201, again.text
            assert again.json() == r.json()
            assert again.headers["idempotent-replayed"] == "true"
        pid = r.json()["patient"]["id"]
        redeem = {
            "code": r.json()["invitation_code"],
            "username": f"client{i}",
            "password": PASSWORD,
        }
        assert c.post("/api/v1/invitations/redeem", json=redeem).status_code == 201
        r = c.post("/api/v1/session", json={"username": f"client{i}", "password": PASSWORD})
        assert r.status_code == 200, r.text
        token = r.json()["token"]
        r = c.put(f"/api/v1/patients/{pid}/intake", json=intake_for(onset), headers=bearer(token))
        assert r.status_code == 200, r.text
        patients.append(Patient(i, pid, token, dates))
    listed = c.get("/api/v1/patients", headers=doc).json()
    assert sorted(p["display_name"] for p in listed) == sorted(
        f"Client {i}" for i in range(CLIENTS)
    )
    c.close()
    return patients, onset


def put(client: httpx.Client, p: Patient, day: str, body: dict[str, Any]) -> None:
    """PUT one entry, retrying transport errors only; record the acknowledged answer."""
    for _attempt in range(TRANSPORT_RETRIES):
        try:
            r = client.put(
                f"/api/v1/patients/{p.id}/diary/{day}", json=body, headers=bearer(p.token)
            )
        except httpx.TransportError as exc:
            error = f"{day}: {type(exc).__name__}: {exc}"
            continue
        if r.status_code in (200, 201):
            out = r.json()
            assert out["entry"] == {"date": day, **body}
            assert out["created"] is (r.status_code == 201)
            assert out["assessment"]["patient_id"] == p.id
            p.answers.append((r.status_code, out["created"], out["assessment"]["id"]))
        else:
            p.failures.append(f"{day}: {r.status_code} {r.text[:300]}")
        return
    p.failures.append(error)


def send_and_drop(base: str, p: Patient, day: str, body: dict[str, Any]) -> None:
    """Send the whole request, then close the connection without reading the answer."""
    content = json.dumps(body).encode()
    host, port = base.removeprefix("http://").split(":")
    head = (
        f"PUT /api/v1/patients/{p.id}/diary/{day} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nAuthorization: Bearer {p.token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(content)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(head + content)
    p.lost += 1


def run_client(base: str, p: Patient) -> None:
    with (
        httpx.Client(base_url=base, timeout=60) as one,
        httpx.Client(base_url=base, timeout=60) as two,
    ):
        for n, day in enumerate(p.dates):
            body = entry_body(p.number, n)
            p.sent[day] = body
            if n % LOST_ANSWER == 0:
                send_and_drop(base, p, day, body)
            if n % RACING_REPEAT == 0:
                racer = threading.Thread(target=put, args=(two, p, day, body))
                racer.start()
                put(one, p, day, body)
                racer.join(60)
                assert not racer.is_alive()
            else:
                put(one, p, day, body)
            if n % PLAIN_REPEAT == 0:
                put(one, p, day, body)


def expected_entry(day: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"date": day, **body}


def test_every_acknowledged_diary_write_is_stored_exactly_once(
    server: Server, database_url: str
) -> None:
    patients, _onset = set_up_patients(server.base)

    threads = [threading.Thread(target=run_client, args=(server.base, p)) for p in patients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert not any(t.is_alive() for t in threads), "clients did not finish in time"

    # Every write, first or retried, was acknowledged: no 5xx, no lock timeouts under load.
    assert [f for p in patients for f in p.failures] == []
    retries = sum(1 for n in range(ENTRIES) if n % PLAIN_REPEAT == 0) + sum(
        1 for n in range(ENTRIES) if n % RACING_REPEAT == 0
    )
    for p in patients:
        assert len(p.answers) == ENTRIES + retries
        # Racing and plain repeats answer "already there": each date was created once,
        # except a date whose first request's answer was lost (then the retry may create it).
        created = sum(1 for _status, was_new, _id in p.answers if was_new)
        lost_dates = sum(1 for n in range(ENTRIES) if n % LOST_ANSWER == 0)
        assert ENTRIES - lost_dates <= created <= ENTRIES

    # Through the API: each patient's diary is exactly what was sent, once per date.
    with httpx.Client(base_url=server.base, timeout=30) as c:
        for p in patients:
            r = c.get(f"/api/v1/patients/{p.id}/diary", headers=bearer(p.token))
            assert r.status_code == 200, r.text
            entries = r.json()["entries"]
            assert [e["date"] for e in entries] == p.dates
            assert entries == [expected_entry(day, p.sent[day]) for day in p.dates]

    # And in the database itself, bypassing the app.
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT patient_id, date, leg_pain, back_pain, pain_tolerable, exercised,"
                    " note, painkillers_as_scheduled, paracetamol_mg, nsaid_taken,"
                    " opioid_taken, hours_lying_daytime FROM diary_entries"
                )
            ).all()
            stored = conn.execute(
                text("SELECT id, patient_id, cause FROM assessments WHERE cause = 'diary'")
            ).all()
    finally:
        engine.dispose()

    by_patient = {p.id: p for p in patients}
    keys = Counter((row.patient_id, str(row.date)[:10]) for row in rows)
    assert [k for k, count in keys.items() if count > 1] == []
    assert len(rows) == CLIENTS * ENTRIES
    for row in rows:
        p = by_patient[row.patient_id]
        sent = p.sent[str(row.date)[:10]]
        assert (row.leg_pain, row.back_pain, row.note) == (
            sent["leg_pain"],
            sent["back_pain"],
            sent["note"],
        )
        assert (bool(row.pain_tolerable), bool(row.exercised)) == (
            sent["pain_tolerable"],
            sent["exercised"],
        )
        # Fields never sent stay unknown.
        assert (
            row.painkillers_as_scheduled,
            row.paracetamol_mg,
            row.nsaid_taken,
            row.opioid_taken,
            row.hours_lying_daytime,
        ) == (None, None, None, None, None)

    # Every acknowledged write stored its assessment in the same transaction: each
    # answer names a stored row of that patient (the same row again when the write left
    # the assessment unchanged, store/assessments.store); dropped requests may add one.
    owner = {row.id: row.patient_id for row in stored}
    for p in patients:
        ids = [assessment_id for _status, _new, assessment_id in p.answers]
        assert all(owner.get(i) == p.id for i in ids)
        mine = sum(1 for pid in owner.values() if pid == p.id)
        assert len(set(ids)) <= mine <= len(set(ids)) + p.lost


STALL_CLIENTS = 64  # more than the worker thread pool's 40 threads


def test_more_clients_than_worker_threads_never_stall(one_worker: WorkersServer) -> None:
    """Requests queue for a database connection without taking every worker thread.

    When waiting for a connection took a thread, 64 clients at once on one process
    stalled the server until the pool's 30 s timeout, and then it answered 500.
    """
    one = one_worker
    c = httpx.Client(base_url=one.base, timeout=30)
    token = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD}).json()[
        "token"
    ]
    r = c.post("/api/v1/patients", json={"display_name": "P"}, headers=bearer(token))
    pid = r.json()["patient"]["id"]
    barrier = threading.Barrier(STALL_CLIENTS, timeout=30)
    statuses: list[int | str] = []

    def client() -> None:
        with httpx.Client(base_url=one.base, timeout=25) as mine:
            barrier.wait()
            for _ in range(2):
                try:
                    got = mine.get(f"/api/v1/patients/{pid}", headers=bearer(token))
                    statuses.append(got.status_code)
                except httpx.TimeoutException as exc:
                    statuses.append(type(exc).__name__)

    threads = [threading.Thread(target=client) for _ in range(STALL_CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert Counter(statuses) == {200: 2 * STALL_CLIENTS}, one.log_tail()
