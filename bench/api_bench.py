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

The patient pages against the JSON routes doing the same work, with each of the 32
patients signed in as themselves (invitation redeemed, session cookie for the pages,
bearer token for the JSON), same rotation over patients and days:

- ``Today page``: ``GET /today`` (the current assessment, as ``assessment GET``, rendered
  as HTML), against ``assessment GET (patient)``: the JSON route with the patient's token;
- ``diary form POST``: ``POST /diary/{date}``, the diary form urlencoded (CSRF token, both
  pains, every choice as its option's index, the alarm questions answered "nee"; answered
  with a redirect to Today), against ``diary PUT (patient)``: the same entry as JSON.

Target: each page ≥ 0.8 × its JSON route. ``--only pages`` runs just these four and the
bare endpoint.

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
from urllib.parse import urlencode
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

PATIENT_LUA = r"""
-- args: kind tokens csrfs ids dates form entry; a patient signed in as themselves.
local counter = 0
local kind, tokens, csrfs, ids, dates, form, entry

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
  kind, tokens, csrfs, ids = args[1], split(args[2]), split(args[3]), split(args[4])
  dates, form, entry = split(args[5]), args[6], args[7]
  counter = offset or 0
end

function request()
  counter = counter + 1
  local n = counter % #ids + 1
  local id, token = ids[n], tokens[n]
  local date = dates[math.floor(counter / #ids) % #dates + 1]
  local leg = counter % 11
  if kind == "today" then
    return wrk.format("GET", "/today", {["Cookie"] = "rughernia_session=" .. token})
  elseif kind == "form" then
    local headers = {["Cookie"] = "rughernia_session=" .. token,
      ["Content-Type"] = "application/x-www-form-urlencoded"}
    local body = "csrf=" .. csrfs[n] .. "&leg_pain=" .. leg .. "&" .. form
    return wrk.format("POST", "/diary/" .. date, headers, body)
  end
  local headers = {["Authorization"] = "Bearer " .. token}
  if kind == "own_assessment" then
    return wrk.format("GET", "/api/v1/patients/" .. id .. "/assessment", headers)
  end
  headers["Content-Type"] = "application/json"
  local body = string.format('{"leg_pain": %d, ', leg) .. entry
  return wrk.format("PUT", "/api/v1/patients/" .. id .. "/diary/" .. date, headers, body)
end
""" + LUA[LUA.index("function done") :]

# The page and its JSON route doing the same work: (page, JSON route, wrk kind of each).
PAGE_PAIRS = [
    ("Today page", "assessment GET (patient)", "today", "own_assessment"),
    ("diary form POST", "diary PUT (patient)", "form", "own_diary"),
]
PAGE_TARGET = 0.8
# The diary's fields besides leg pain (which rotates), as the form sends them and as JSON.
DIARY_JSON = (
    '"back_pain": 3, "pain_tolerable": true, "painkillers_as_scheduled": true, '
    '"paracetamol_mg": 2000, "nsaid_taken": false, "opioid_taken": false, '
    '"hours_lying_daytime": 2, "exercised": true}'
)

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


def set_up(base: str) -> tuple[str, list[int], list[str], list[str]]:
    """The clinician's token, the patients' ids, the diary dates the PUTs rotate over and
    the patients' invitation codes."""
    c = httpx.Client(base_url=base, timeout=60)
    r = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD})
    r.raise_for_status()
    token = r.json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date() - dt.timedelta(days=1)
    onset = today - dt.timedelta(days=28)
    dates = [(today - dt.timedelta(days=n)).isoformat() for n in range(DIARY_DAYS)]

    def one(n: int) -> tuple[int, str]:
        with httpx.Client(base_url=base, timeout=60, headers=h) as pc:
            r = pc.post("/api/v1/patients", json={"display_name": f"Bench {n}"})
            r.raise_for_status()
            pid: int = r.json()["patient"]["id"]
            code: str = r.json()["invitation_code"]
            pc.put(f"/api/v1/patients/{pid}/intake", json=intake(onset)).raise_for_status()
            for i, day in enumerate(dates):
                entry = {"leg_pain": 3 + i % 5, "back_pain": 2, "pain_tolerable": True}
                pc.put(f"/api/v1/patients/{pid}/diary/{day}", json=entry).raise_for_status()
            return pid, code

    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(one, range(PATIENTS)))
    c.close()
    return token, [pid for pid, _ in made], dates, [code for _, code in made]


def signed_in_patients(base: str, codes: list[str]) -> tuple[list[str], list[str]]:
    """Each patient's own session (token, CSRF token): the invitation redeemed, signed in."""

    def one(n: int) -> tuple[str, str]:
        with httpx.Client(base_url=base, timeout=60) as pc:
            login = {"username": f"bench{n}", "password": PASSWORD}
            r = pc.post("/api/v1/invitations/redeem", json={"code": codes[n], **login})
            r.raise_for_status()
            r = pc.post("/api/v1/session", json=login)
            r.raise_for_status()
            return r.json()["token"], r.json()["csrf_token"]

    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(one, range(len(codes))))
    return [t for t, _ in made], [c for _, c in made]


def diary_form() -> str:
    """The diary form's fields besides the CSRF token and leg pain, as a browser sends
    them: every choice as its option's index, the alarm questions answered with their
    no-alarm answer ("nee"; weakness "none"), the same values as ``DIARY_JSON``."""
    from rughernia.care.selfcheck import DIARY_QUESTIONS
    from rughernia.content.questionnaire import load

    texts = load("nl")
    wanted: dict[str, object] = {
        "pain_tolerable": True,
        "painkillers_as_scheduled": True,
        "nsaid_taken": False,
        "opioid_taken": False,
        "exercised": True,
        **NO_ALARM_SYMPTOMS,
    }
    fields = {"back_pain": "3", "paracetamol_tablets": "4", "hours_lying": "2"}
    for qid in DIARY_QUESTIONS:
        question = texts.questions[qid]
        if question.kind == "choice":
            fields[qid] = str([o.value for o in question.options].index(wanted[qid]))
    return urlencode(fields)


def check_pages(base: str, token: str, csrf: str, pid: int, day: str, form: str) -> None:
    """One form post and one PUT by hand: each stores the same entry, and Today answers."""
    cookie = {"Cookie": f"rughernia_session={token}"}
    with httpx.Client(base_url=base, timeout=60) as c:
        r = c.post(
            f"/diary/{day}",
            content=f"csrf={csrf}&leg_pain=5&{form}",
            headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        if r.status_code != 303:
            raise RuntimeError(f"diary form POST: {r.status_code} {r.text[:2000]}")
        auth = {"Authorization": f"Bearer {token}"}
        url = f"/api/v1/patients/{pid}/diary"
        posted = c.get(url, params={"from": day, "to": day}, headers=auth).json()["entries"]
        body = '{"leg_pain": 5, ' + DIARY_JSON
        c.put(f"{url}/{day}", content=body, headers={**auth, "Content-Type": "application/json"})
        put = c.get(url, params={"from": day, "to": day}, headers=auth).json()["entries"]
        if posted != put:
            raise RuntimeError(f"the form stored {posted}, the JSON {put}")
        if c.get("/today", headers=cookie).status_code != 200:
            raise RuntimeError("GET /today did not answer 200")


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


def run_on(name: str, workers: int, seconds: int, only: str) -> dict[str, Any] | None:
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
                token, ids, dates, codes = set_up(server.base)
                tokens, csrfs = signed_in_patients(server.base, codes)
                form = diary_form()
                check_pages(server.base, tokens[0], csrfs[0], ids[0], dates[0], form)
                script = workdir / "bench.lua"
                script.write_text(LUA)
                patient_script = workdir / "patient.lua"
                patient_script.write_text(PATIENT_LUA)
                body = json.dumps(case_with(28), separators=(",", ":"))
                id_list, date_list = ",".join(map(str, ids)), ",".join(dates)
                runs: list[tuple[str, Path, list[str]]] = []
                for label, kind in ENDPOINTS:
                    if only == "all" or kind == "health":
                        args = [kind, token if kind in SIGNED_IN else "-"]
                        runs.append((label, script, [*args, id_list, date_list, body]))
                patient_args = [",".join(tokens), ",".join(csrfs), id_list, date_list]
                for page, route, page_kind, route_kind in PAGE_PAIRS:
                    for label, kind in ((route, route_kind), (page, page_kind)):
                        args = [kind, *patient_args, form, DIARY_JSON]
                        runs.append((label, patient_script, args))
                results: dict[str, Any] = {}
                for label, lua, args in runs:
                    wrk(server.base, lua, WARMUP_S, args)
                    results[label] = wrk(server.base, lua, seconds, args)
                    print(f"  {name} {label}: {results[label]['rps']:.0f} req/s", file=sys.stderr)
                bare = results["bare"]["rps"]
                for r in results.values():
                    r["ratio"] = r["rps"] / bare
                for page, route, _, _ in PAGE_PAIRS:
                    results[page]["vs_json"] = results[page]["rps"] / results[route]["rps"]
                if name == "postgresql" and only == "all":  # the same statements, no app
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
        if "vs_json" in r:
            route = next(json_route for page, json_route, _, _ in PAGE_PAIRS if page == label)
            ok = r["vs_json"] >= PAGE_TARGET
            verdict = (
                f"{r['vs_json']:.2f} × {route}; target ≥ {PAGE_TARGET} ×: "
                f"{'met' if ok else 'MISSED'}"
            )
        elif want is not None:
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
    parser.add_argument(
        "--only",
        choices=["all", "pages"],
        default="all",
        help="pages: just the patient pages, their JSON routes and the bare endpoint",
    )
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
        "only": options.only,
        "results": {},
    }
    for name in options.db or ["sqlite", "postgresql"]:
        results = run_on(name, options.workers, options.seconds, options.only)
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
