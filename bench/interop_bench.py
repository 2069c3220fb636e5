"""FHIR export and CDS Hooks under load, as ratios to ``POST /api/v1/assess`` of the same case.

Starts ``rughernia serve`` (SQLite in a temporary file, 2 workers, demo mode on so
CDS calls may be unsigned), sets up one patient with an intake and 365 diary days
through the API, and drives at 16 concurrent clients, ``DURATION_S`` each after a
warm-up:

- ``assess``: ``POST /api/v1/assess`` with that patient's case (read back from the
  FHIR export, so it is the same case), the baseline;
- ``FHIR export``: ``GET /api/v1/patients/{id}/fhir`` (access, assessment, audit, a
  Bundle of about 1,100 resources built as plain JSON, serialised once);
- ``CDS patient-view``: ``POST /cds-services/rughernia-patient-view`` with the prefetch
  an EHR holding that export would send (every key, the diary too).

The clients are threads of this process (no wrk needed), each with its own
connection; the JWT check is measured apart (per call, in-process), since a signed
load needs a new token per call, and so are the steps of the two calls (``phases``:
best of 7, in this process) to say where their time goes. Results go to
``bench/out/interop.json`` and, as Markdown, to standard output. Not a test: run it
with ``./dev bench interop``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import threading
import time
import timeit
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.api_bench import PASSWORD, Server, intake
from rughernia.interop import codes
from rughernia.interop.fhir_import import case_from_bundle

DAYS = 365
CLIENTS = 16
DURATION_S = 15
WARMUP_S = 3
TARGET_RATIO = 0.5
P99_LIMIT_MS = 200.0
MAX_LIMIT_MS = 500.0
OUT = Path(__file__).parent / "out" / "interop.json"


def set_up(base: str, days: int = DAYS) -> tuple[str, int, dt.date]:
    """The clinician's token, the patient's id, and today (Amsterdam) as the server sees it."""
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    with httpx.Client(base_url=base, timeout=120) as c:
        r = c.post("/api/v1/session", json={"username": "doc", "password": PASSWORD})
        r.raise_for_status()
        c.headers["Authorization"] = f"Bearer {r.json()['token']}"
        r = c.post("/api/v1/patients", json={"display_name": "Bench year"})
        r.raise_for_status()
        pid: int = r.json()["patient"]["id"]
        onset = today - dt.timedelta(days=days)
        c.put(f"/api/v1/patients/{pid}/intake", json=intake(onset)).raise_for_status()
        for n in range(days):
            day = (today - dt.timedelta(days=n)).isoformat()
            entry = {"leg_pain": 2 + n % 6, "back_pain": 2, "pain_tolerable": True}
            entry["paracetamol_mg"] = 2000
            c.put(f"/api/v1/patients/{pid}/diary/{day}", json=entry).raise_for_status()
        return str(c.headers["Authorization"]), pid, today


def searchset(items: list[dict[str, Any]]) -> dict[str, Any]:
    entries = [{"resource": r, "search": {"mode": "match"}} for r in items]
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def prefetch_from(bundle: dict[str, Any], pid: int) -> dict[str, Any]:
    """What an EHR that imported our Bundle would prefetch for the service."""
    res = [e["resource"] for e in bundle["entry"]]

    def kind(name: str) -> list[dict[str, Any]]:
        return [r for r in res if r["resourceType"] == name]

    obs = kind("Observation")
    patient = {**kind("Patient")[0], "id": str(pid)}
    return {
        "patient": patient,
        "conditions": searchset(kind("Condition")),
        "painScores": searchset([o for o in obs if codes.has_code(o["code"], codes.PAIN_LOINC)]),
        "medications": searchset(kind("MedicationStatement")),
        "answers": searchset([o for o in obs if codes.code_in(o["code"], codes.CASE_SYSTEM)]),
        "diary": searchset(kind("QuestionnaireResponse")),
    }


def load(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes | None, seconds: float
) -> dict[str, Any]:
    """``CLIENTS`` threads sending the request back to back for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=30, headers=headers) as c:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = c.request(method, path, content=body)
                mine.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    with lock:
                        errors[0] += 1
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    return {
        "rps": n / elapsed,
        "requests": n,
        "p50_ms": latencies[n // 2] * 1000,
        "p99_ms": latencies[min(n - 1, int(n * 0.99))] * 1000,
        "max_ms": latencies[-1] * 1000,
        "errors": errors[0],
    }


def jwt_cost_ms() -> float:
    """verify_jwt of an ES384 token, per call (best of 5): the signed call's extra CPU."""
    from joserfc import jwt
    from joserfc.jwk import ECKey, KeySet

    from rughernia.interop.cds_jwt import verify_jwt

    key = ECKey.generate_key("P-384", parameters={"kid": "k"}, private=True)
    jwks = dict(KeySet([key]).as_dict(private=False))
    now = int(time.time())
    claims = {"iss": "i", "aud": "a", "exp": now + 300, "iat": now, "jti": "j"}
    token = jwt.encode({"alg": "ES384", "typ": "JWT", "kid": "k"}, claims, key, ["ES384"])

    def once() -> None:
        verify_jwt(token, jwks, "i", "a", now, set())

    return min(timeit.repeat(once, number=200, repeat=5)) / 200 * 1000


def phases(bundle: dict[str, Any], hook: dict[str, Any], today: dt.date) -> dict[str, float]:
    """Milliseconds of each step of the two calls, in-process, best of 7 (the same case)."""
    from pydantic_core import from_json

    from rughernia.content import load as content
    from rughernia.contract import parse_case
    from rughernia.contract.json_depth import check_depth, within
    from rughernia.interop.cds import case_from_prefetch
    from rughernia.interop.fhir_export import PatientRef
    from rughernia.interop.fhir_export import bundle as build
    from rughernia.pathway import assess
    from rughernia.web.api.inputs import parse_json_body  # every raw-JSON route's reader

    case = parse_case(case_from_bundle(bundle, today))
    a = assess(case, content())
    ref = PatientRef("1", "Bench year")
    raw = json.dumps(hook).encode()
    steps: dict[str, Any] = {
        "export: bundle()": lambda: build(case, a, ref),
        "export: json.dumps": lambda: json.dumps(bundle, ensure_ascii=False).encode(),
        "cds: body reader (all of it)": lambda: parse_json_body(raw),
        "cds: within(body)": lambda: within(raw),
        "cds: check_depth(body) it no longer runs": lambda: check_depth(raw),
        "cds: from_json(body)": lambda: from_json(raw),
        "cds: case_from_prefetch()": lambda: case_from_prefetch(hook["prefetch"], today, "nl"),
        "both: assess()": lambda: assess(case, content()),
    }
    return {k: min(timeit.repeat(f, number=3, repeat=7)) / 3 * 1000 for k, f in steps.items()}


def main(argv: list[str] | None = None) -> None:
    """``./dev bench interop`` runs a year; ``./dev bench interop --days 56`` the checkpoint."""
    parser = argparse.ArgumentParser(prog="python -m bench.interop_bench")
    parser.add_argument("--days", type=int, default=DAYS, help="diary days of the patient")
    days = parser.parse_args(argv or []).days
    workdir = Path(tempfile.mkdtemp(prefix="rughernia-bench-interop-"))
    try:
        server = Server(f"sqlite:///{workdir / 'bench.db'}", workdir, workers=2)
        server.env["RUGHERNIA_DEMO_MODE"] = "1"
        server.cli("db", "upgrade")
        add = ["user", "add", "doc", "--role", "clinician", "--team", "Bench"]
        server.cli(*add, "--password", PASSWORD)
        server.start()
        try:
            results = run(server.base, days)
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    OUT.parent.mkdir(exist_ok=True)
    out = OUT if days == DAYS else OUT.with_name(f"interop-{days}d.json")
    out.write_text(json.dumps(results, indent=2))
    report(results)


def run(base: str, days: int = DAYS) -> dict[str, Any]:
    t0 = time.perf_counter()
    bearer, pid, today = set_up(base, days)
    print(f"  set up {days} diary days in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    auth = {"Authorization": bearer}
    bundle = httpx.get(f"{base}/api/v1/patients/{pid}/fhir", headers=auth, timeout=60).json()
    case = case_from_bundle(bundle, today)
    hook = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": str(pid)},
        "prefetch": prefetch_from(bundle, pid),
    }
    as_json = {"Content-Type": "application/json"}
    plan = {
        "assess": ("POST", "/api/v1/assess", as_json, json.dumps(case).encode()),
        "FHIR export": ("GET", f"/api/v1/patients/{pid}/fhir", auth, None),
        "CDS patient-view": (
            "POST",
            "/cds-services/rughernia-patient-view",
            as_json,
            json.dumps(hook).encode(),
        ),
    }
    sizes = {k: len(v[3] or b"") for k, v in plan.items()}
    results: dict[str, Any] = {}
    for label, (method, path, headers, body) in plan.items():
        load(base, method, path, headers, body, WARMUP_S)
        results[label] = load(base, method, path, headers, body, DURATION_S)
        results[label]["body_bytes"] = sizes[label]
        print(f"  {label}: {results[label]['rps']:.1f} req/s", file=sys.stderr)
    baseline = results["assess"]["rps"]
    for r in results.values():
        r["ratio"] = r["rps"] / baseline
    results["meta"] = {
        "diary_days": days,
        "clients": CLIENTS,
        "duration_s": DURATION_S,
        "bundle_entries": len(bundle["entry"]),
        "bundle_bytes": len(json.dumps(bundle)),
        "jwt_verify_ms": jwt_cost_ms(),
        "phases_ms": phases(bundle, hook, today),
        "python": sys.version.split()[0],
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return results


def report(results: dict[str, Any]) -> None:
    meta = results["meta"]
    print(
        f"\n{meta['diary_days']} diary days, {meta['clients']} clients, "
        f"{meta['duration_s']} s each; Bundle {meta['bundle_entries']} entries, "
        f"{meta['bundle_bytes'] / 1e6:.2f} MB; JWT check {meta['jwt_verify_ms']:.2f} ms\n"
    )
    steps = ", ".join(f"{k} {v:.1f}" for k, v in meta["phases_ms"].items())
    print(f"Steps, ms in-process (best of 7): {steps}\n")
    print("| endpoint | req/s | ratio to assess | p50 ms | p99 ms | max ms | errors | targets |")
    print("|---|---|---|---|---|---|---|---|")
    for label, r in results.items():
        if label == "meta":
            continue
        ok = (label == "assess" or r["ratio"] >= TARGET_RATIO) and r["p99_ms"] < P99_LIMIT_MS
        ok = ok and r["max_ms"] < MAX_LIMIT_MS and r["errors"] == 0
        print(
            f"| {label} | {r['rps']:.1f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['errors']} | {'met' if ok else 'missed'} |"
        )
