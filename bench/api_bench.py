"""The JSON API under load, each endpoint as a ratio to a bare endpoint of the same run.

For each database (SQLite in a temporary file; PostgreSQL in a fresh schema of
the test server, dropped afterwards) this starts ``rughernia serve`` on
127.0.0.1, sets up a clinician and 32 patients with an intake and two weeks of
diary through the CLI and the API, and drives six endpoints with ``wrk``
(32 connections, 20 s each, after a short warm-up):

- ``bare``: ``GET /api/v1/health``, a constant JSON without database access
  (an async route: no worker thread, the framework's floor);
- ``assess``: ``POST /api/v1/assess`` with a case of 28 diary days (stateless);
- ``diary PUT``: ``PUT /api/v1/patients/{id}/diary/{date}`` with a bearer token,
  rotating over the 32 patients and the last 14 days (durable: SQLite
  synchronous=FULL, PostgreSQL's default commit; re-assesses and audits);
- ``assessment GET``: ``GET /api/v1/patients/{id}/assessment`` with a bearer
  token (assesses the stored record, stores the result if it changed, audits);
- two references without a target: ``who am I`` (``GET /api/v1/session``: the
  bearer token looked up, no patient data, nothing written) and ``intake GET``
  (the smallest audited read: token, access check, one row, audit record, commit).

Needs ``wrk`` (Debian: ``apt-get install wrk``). Results go to
``bench/out/api.json`` and, as a Markdown table, to standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench import pg_alone
from bench.pathway_bench import case_with
from rughernia.contract import NO_ALARM_SYMPTOMS

RUGHERNIA = str(Path(sys.executable).with_name("rughernia"))
PG_URL = os.environ.get(
    "RUGHERNIA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "bench-password-1234"
PATIENTS = 32
DIARY_DAYS = 14
CONNECTIONS = 32
THREADS = 2
DURATION_S = 20
WARMUP_S = 3
TARGETS = {"assess": 0.5, "assessment GET": 0.4, "diary PUT": 0.15}
P99_LIMIT_MS = 100.0

LUA = r"""
-- args: kind token ids dates body; one Lua state per wrk thread.
local counter = 0
local kind, token, ids, dates, body, headers

local function split(s)
  local out = {}
  for part in string.gmatch(s, "[^,]+") do out[#out + 1] = part end
  return out
end

local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7)
  threads[#threads + 1] = thread
end

function init(args)
  kind, token, ids, dates, body = args[1], args[2], split(args[3]), split(args[4]), args[5]
  headers = {["Content-Type"] = "application/json"}
  if token ~= "-" then headers["Authorization"] = "Bearer " .. token end
  counter = offset or 0
end

function request()
  counter = counter + 1
  if kind == "health" then
    return wrk.format("GET", "/api/v1/health", headers)
  elseif kind == "assess" then
    return wrk.format("POST", "/api/v1/assess", headers, body)
  end
  if kind == "session" then
    return wrk.format("GET", "/api/v1/session", headers)
  end
  local id = ids[counter % #ids + 1]
  if kind == "assessment" or kind == "intake" then
    return wrk.format("GET", "/api/v1/patients/" .. id .. "/" .. kind, headers)
  end
  local date = dates[math.floor(counter / #ids) % #dates + 1]
  local entry = string.format('{"leg_pain": %d, "back_pain": 3, "pain_tolerable": true}',
    counter % 11)
  return wrk.format("PUT", "/api/v1/patients/" .. id .. "/diary/" .. date, headers, entry)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, '
    .. '"status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""

ENDPOINTS = [
    ("bare", "health"),
    ("assess", "assess"),
    ("diary PUT", "diary"),
    ("assessment GET", "assessment"),
    # References without a target: what signing in and auditing cost by themselves.
    ("who am I", "session"),
    ("intake GET", "intake"),
]
SIGNED_IN = ("diary", "assessment", "session", "intake")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``rughernia serve`` in its own process group, so stopping it takes its workers along."""

    def __init__(self, database_url: str, workdir: Path, workers: int) -> None:
        self.env = {**os.environ, "RUGHERNIA_DATABASE_URL": database_url}
        self.workdir, self.workers = workdir, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> None:
        done = subprocess.run(
            [RUGHERNIA, *args], env=self.env, cwd=self.workdir, capture_output=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"rughernia {' '.join(args)}: {done.stderr.decode()}")

    def start(self) -> None:
        command = [RUGHERNIA, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with (self.workdir / "server.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [*command, "--workers", str(self.workers), "--log-level", "warning"],
                env=self.env,
                cwd=self.workdir,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.workdir / "server.log").read_text())
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer within 60 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        # Workers that outlived their parent (they share its process group).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None


def intake(onset: dt.date) -> dict[str, Any]:
    return {
        "onset": onset.isoformat(),
        "patient": {"age": 45, "sex": "male", "weight_kg": 80},
        "symptoms": {**NO_ALARM_SYMPTOMS},
    }


def set_up(base: str) -> tuple[str, list[int], list[str]]:
    """The clinician's token, the patients' ids and the diary dates the PUTs rotate over."""
    c = httpx.Client(base_url=base, timeout=60)
    r = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD})
    r.raise_for_status()
    token = r.json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date() - dt.timedelta(days=1)
    onset = today - dt.timedelta(days=28)
    dates = [(today - dt.timedelta(days=n)).isoformat() for n in range(DIARY_DAYS)]

    def one(n: int) -> int:
        with httpx.Client(base_url=base, timeout=60, headers=h) as pc:
            r = pc.post("/api/v1/patients", json={"display_name": f"Bench {n}"})
            r.raise_for_status()
            pid: int = r.json()["patient"]["id"]
            pc.put(f"/api/v1/patients/{pid}/intake", json=intake(onset)).raise_for_status()
            for i, day in enumerate(dates):
                entry = {"leg_pain": 3 + i % 5, "back_pain": 2, "pain_tolerable": True}
                pc.put(f"/api/v1/patients/{pid}/diary/{day}", json=entry).raise_for_status()
            return pid

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(one, range(PATIENTS)))
    c.close()
    return token, ids, dates


def wrk(base: str, script: Path, seconds: int, args: list[str]) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base,
        "--",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    raw: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    errors = sum(raw[k] for k in raw if k.endswith("_errors") or k == "timeouts")
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "requests": raw["requests"],
        "errors": errors,
        "raw": raw,
    }


@contextlib.contextmanager
def database(name: str, workdir: Path) -> Iterator[str | None]:
    """A fresh database's URL, or None when PostgreSQL is unreachable."""
    if name == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    import psycopg

    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    schema = f"bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error as exc:
        print(f"PostgreSQL at {PG_URL} is unreachable ({exc}); skipped", file=sys.stderr)
        yield None
        return
    try:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()


def run_on(name: str, workers: int, seconds: int) -> dict[str, Any] | None:
    workdir = Path(tempfile.mkdtemp(prefix=f"rughernia-bench-{name}-"))
    try:
        with database(name, workdir) as url:
            if url is None:
                return None
            server = Server(url, workdir, workers)
            server.cli("db", "upgrade")
            add = ["user", "add", "doc", "--role", "clinician", "--team", "Bench"]
            server.cli(*add, "--password", PASSWORD)
            try:
                server.start()
                token, ids, dates = set_up(server.base)
                script = workdir / "bench.lua"
                script.write_text(LUA)
                body = json.dumps(case_with(28), separators=(",", ":"))
                id_list, date_list = ",".join(map(str, ids)), ",".join(dates)
                results: dict[str, Any] = {}
                for label, kind in ENDPOINTS:
                    args = [kind, token if kind in SIGNED_IN else "-"]
                    args += [id_list, date_list, body]
                    wrk(server.base, script, WARMUP_S, args)
                    results[label] = wrk(server.base, script, seconds, args)
                    print(f"  {name} {label}: {results[label]['rps']:.0f} req/s", file=sys.stderr)
                bare = results["bare"]["rps"]
                for r in results.values():
                    r["ratio"] = r["rps"] / bare
                if name == "postgresql":  # the same statements without the app: an upper bound
                    alone = pg_alone.run(url, token, ids, seconds, CONNECTIONS)
                    for label, a in alone.items():
                        results[f"{label}: its SQL alone (pgbench)"] = {
                            "rps": a["tps"],
                            "ratio": a["tps"] / bare,
                            "p50_ms": None,
                            "p99_ms": None,
                            "mean_ms": a["latency_ms"],
                            "errors": 0,
                        }
                return results
            finally:
                server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def table(name: str, results: dict[str, Any]) -> str:
    lines = [
        f"**{name}**",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | errors | × bare | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in results.items():
        if r["p99_ms"] is None:  # pgbench reports a mean latency only
            lines.append(
                f"| {label} | {r['rps']:.0f} | mean {r['mean_ms']:.1f} | — | {r['errors']} "
                f"| {r['ratio']:.2f} | upper bound for the route |"
            )
            continue
        want = TARGETS.get(label)
        verdict = "—"
        if want is not None:
            ok = r["ratio"] >= want and r["p99_ms"] < P99_LIMIT_MS
            verdict = f"≥ {want} × bare, p99 < {P99_LIMIT_MS:.0f} ms: {'met' if ok else 'MISSED'}"
        lines.append(
            f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['errors']} | {r['ratio']:.2f} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``./dev bench api`` runs the defaults; ``python -m bench.api_bench --help`` for options."""
    parser = argparse.ArgumentParser(prog="python -m bench.api_bench")
    parser.add_argument("--workers", type=int, default=2, help="rughernia serve --workers")
    parser.add_argument("--seconds", type=int, default=DURATION_S, help="per endpoint")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], action="append")
    options = parser.parse_args(argv or [])
    if shutil.which("wrk") is None:
        sys.exit("the API benchmark needs wrk: apt-get install -y wrk")
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "load_average_before": os.getloadavg(),
        "workers": options.workers,
        "connections": CONNECTIONS,
        "seconds": options.seconds,
        "results": {},
    }
    for name in options.db or ["sqlite", "postgresql"]:
        results = run_on(name, options.workers, options.seconds)
        if results is not None:
            report["results"][name] = results
    report["load_average_after"] = os.getloadavg()
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "api.json").write_text(json.dumps(report, indent=2))
    print(f"{report['date']}, {machine}; wrk -t{THREADS} -c{CONNECTIONS} -d{options.seconds}s,")
    before = ", ".join(f"{x:.2f}" for x in report["load_average_before"])
    print(f"rughernia serve --workers {options.workers}; load average before: {before}\n")
    for name, results in report["results"].items():
        print(table(name, results) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
