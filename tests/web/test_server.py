"""The real thing: ``rughernia serve`` as a process, on both databases.

An acknowledged diary write must survive the server being killed (SIGKILL),
and the CLI must migrate and serve with nothing but RUGHERNIA_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.dbsupport import PASSWORD, intake_for

RUGHERNIA = str(Path(sys.executable).with_name("rughernia"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "RUGHERNIA_DATABASE_URL": database_url,
        "RUGHERNIA_ARGON2_TIME_COST": "1",
        "RUGHERNIA_ARGON2_MEMORY_KIB": "1024",
    }


class Server:
    def __init__(self, database_url: str, cwd: Path) -> None:
        self.env, self.cwd = _env(database_url), cwd
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [RUGHERNIA, "serve", "--port", str(self.port), "--log-level", "warning"],
            env=self.env,
            cwd=self.cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stderr.read().decode() if self.proc.stderr else "")
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


def add_clinician(database_url: str, cwd: Path, name: str = "doc", team: str = "T") -> None:
    """A clinician (``doc`` of team T), made with ``rughernia user add`` as an operator would."""
    add = [RUGHERNIA, "user", "add", name, "--role", "clinician", "--team", team]
    done = subprocess.run(
        [*add, "--password", PASSWORD],
        env=_env(database_url),
        cwd=cwd,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    add_clinician(database_url, tmp_path)
    s = Server(database_url, tmp_path)
    s.start()
    yield s
    s.kill()


def test_acknowledged_diary_writes_survive_sigkill(server: Server) -> None:
    c = httpx.Client(base_url=server.base, timeout=10)
    token = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD}).json()[
        "token"
    ]
    h = {"Authorization": f"Bearer {token}"}
    pid = c.post("/api/v1/patients", json={"display_name": "P"}, headers=h).json()["patient"]["id"]
    today = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)  # safe on either side of midnight
    onset = today - dt.timedelta(days=60)
    assert (
        c.put(f"/api/v1/patients/{pid}/intake", json=intake_for(onset), headers=h).status_code
        == 200
    )
    acknowledged = []
    for n in range(40):
        day = (onset + dt.timedelta(days=n + 1)).isoformat()
        r = c.put(f"/api/v1/patients/{pid}/diary/{day}", json={"leg_pain": n % 11}, headers=h)
        assert r.status_code == 201, r.text
        acknowledged.append(day)
    server.kill()
    server.start()
    c = httpx.Client(base_url=server.base, timeout=10)
    entries = c.get(f"/api/v1/patients/{pid}/diary", headers=h).json()["entries"]
    assert [e["date"] for e in entries] == acknowledged


def test_errors_reach_clients_as_problems_not_traces(server: Server) -> None:
    r = httpx.post(
        server.base + "/api/v1/assess", content=b"{", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in r.text
