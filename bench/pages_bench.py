"""The patient pages in Lighthouse: performance, accessibility and bytes transferred.

Starts ``rughernia serve`` on 127.0.0.1 with a temporary SQLite filled by
``rughernia demo``, signs in as the demo patient ``bram`` (five weeks of diary,
medication step 2) through the API, and runs Lighthouse 12.2.3 with Debian's
Chromium at its default (mobile) settings on the information, self-check, Today,
diary form, plan and course pages, three runs each (the run of median performance is
reported, as Lighthouse advises on a noisy host). The signed-in pages get the
session cookie through ``--extra-headers``.

Lighthouse is installed with ``npm i -E lighthouse@12.2.3`` into ``bench/out/node``
(git-ignored) on the first run; the app never needs it. Needs ``node``, ``npm`` and
``/usr/bin/chromium`` (or ``CHROME_PATH``). Results go to ``bench/out/pages.json``
(with each page's full Lighthouse report in ``bench/out/lighthouse/``) and, as a
Markdown table, to standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.api_bench import Server

LIGHTHOUSE_VERSION = "12.2.3"
OUT = Path(__file__).parent / "out"
NODE = OUT / "node"
LIGHTHOUSE = NODE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PATIENT, PASSWORD = "bram", "rughernia-demo"  # the demo's own patient and password
TARGETS = {"performance": 95, "accessibility": 100, "kb": 100}
# (name, path, signed in); "{today}" is today's date in the app's zone.
PAGES = [
    ("information", "/info", False),
    ("information topic", "/info/anatomy", False),
    ("self-check", "/selfcheck", False),
    ("today", "/today", True),
    ("diary (form)", "/diary/{today}", True),
    ("plan", "/plan", True),
    ("course", "/course", True),
]
# The audits that cost a page its performance or accessibility points, named in the report.
WEIGHTED = ("performance", "accessibility")


def install() -> None:
    """Lighthouse at its pinned version, into the git-ignored ``bench/out/node``."""
    package = LIGHTHOUSE.parents[1] / "package.json"
    if package.exists() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    if shutil.which("npm") is None:
        sys.exit("the pages benchmark needs node and npm (Debian: apt-get install -y npm)")
    NODE.mkdir(parents=True, exist_ok=True)
    if not (NODE / "package.json").exists():
        (NODE / "package.json").write_text('{"private": true}\n')
    print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {NODE} ...", file=sys.stderr)
    subprocess.run(
        ["npm", "i", "-E", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        cwd=NODE,
        check=True,
    )


def lighthouse(url: str, headers: dict[str, str], report: Path) -> dict[str, Any]:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    env = {**os.environ, "CHROME_PATH": CHROME}
    for attempt in (1, 2):  # Chromium now and then fails to start on a busy machine
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            break
        print(f"  lighthouse {url} failed (attempt {attempt})", file=sys.stderr)
    else:
        raise RuntimeError(f"lighthouse {url}: {done.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(report.read_text())
    return data


def summary(data: dict[str, Any]) -> dict[str, Any]:
    """The figures of one Lighthouse report, and what lost points."""
    audits = data["audits"]
    out: dict[str, Any] = {
        "final_url": data.get("finalDisplayedUrl") or data.get("finalUrl"),
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "metrics": {
            key: round(audits[key]["numericValue"])
            for key in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "speed-index",
            )
        },
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        # Lighthouse's measure of the host's speed, taken before the page: a busy machine
        # scores low, and its main-thread times (and so TBT) come out longer.
        "benchmark_index": round(data["environment"]["benchmarkIndex"]),
        "main_thread_ms": {
            item["groupLabel"]: round(item["duration"])
            for item in audits["mainthread-work-breakdown"]["details"]["items"]
        },
        "transfer": {
            item["url"].split("/", 3)[-1]: item["transferSize"]
            for item in audits["network-requests"]["details"]["items"]
        },
        "lost": {},
    }
    for category in WEIGHTED:
        lost = []
        for ref in data["categories"][category]["auditRefs"]:
            score = audits[ref["id"]].get("score")
            if ref["weight"] > 0 and score is not None and score < 1:
                lost.append(f"{ref['id']} ({score:.2f})")
        out["lost"][category] = lost
    return out


def sign_in(base: str) -> str:
    r = httpx.post(
        base + "/api/v1/session", json={"username": PATIENT, "password": PASSWORD}, timeout=60
    )
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


def verdict(r: dict[str, Any]) -> str:
    missed = []
    if r["performance"] < TARGETS["performance"]:
        missed.append("performance")
    if r["accessibility"] < TARGETS["accessibility"]:
        missed.append("accessibility")
    if r["bytes"] >= TARGETS["kb"] * 1024:
        missed.append("size")
    return "met" if not missed else "MISSED: " + ", ".join(missed)


def table(results: dict[str, Any]) -> str:
    lines = [
        "| page | path | performance (runs) | accessibility | KB transferred | requests "
        "| FCP ms | LCP ms | TBT ms (runs) | CLS | host index | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        m = r["metrics"]
        perf = "/".join(map(str, r["performance_of_runs"]))
        tbt = "/".join(map(str, r["tbt_of_runs"]))
        lines.append(
            f"| {name} | `{r['path']}` | {r['performance']} ({perf}) | {r['accessibility']} "
            f"| {r['bytes'] / 1024:.1f} | {r['requests']} | {m['first-contentful-paint']} "
            f"| {m['largest-contentful-paint']} | {m['total-blocking-time']} ({tbt}) | {r['cls']} "
            f"| {r['benchmark_index']} | {verdict(r)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``./dev bench pages``; ``python -m bench.pages_bench --help`` for options."""
    parser = argparse.ArgumentParser(prog="python -m bench.pages_bench")
    parser.add_argument("--page", action="append", help="only this page (by name); repeatable")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page (median)")
    options = parser.parse_args(argv or [])
    if not Path(CHROME).exists():
        sys.exit(f"the pages benchmark needs Chromium at {CHROME} (apt-get install -y chromium)")
    install()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "chromium": chromium.strip(),
        "lighthouse": LIGHTHOUSE_VERSION,
        "load_average_before": os.getloadavg(),
        "targets": TARGETS,
        "results": {},
    }
    (OUT / "lighthouse").mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="rughernia-bench-pages-"))
    server = Server(f"sqlite:///{workdir / 'pages.db'}", workdir, workers=1)
    try:
        server.cli("db", "upgrade")
        server.cli("demo", "--base-url", server.base)
        server.start()
        token = sign_in(server.base)
        today = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
        for name, path, signed_in in PAGES:
            if options.page and name not in options.page:
                continue
            path = path.format(today=today)
            headers = {"Cookie": f"rughernia_session={token}"} if signed_in else {}
            check = httpx.get(server.base + path, headers=headers, timeout=30)
            if check.status_code != 200:
                raise RuntimeError(f"{path}: {check.status_code} before Lighthouse")
            slug = name.replace(" ", "-").replace("(", "").replace(")", "")
            runs = []
            for n in range(options.runs):
                report_file = OUT / "lighthouse" / f"{slug}-{n + 1}.json"
                runs.append(summary(lighthouse(server.base + path, headers, report_file)))
            # Lighthouse's own advice for a noisy host: the run of median performance.
            runs.sort(key=lambda r: r["performance"])
            found = {
                "path": path,
                **runs[len(runs) // 2],
                "performance_of_runs": [r["performance"] for r in runs],
                "tbt_of_runs": [r["metrics"]["total-blocking-time"] for r in runs],
            }
            if httpx.URL(found["final_url"]).path != path:  # e.g. sent to the sign-in page
                raise RuntimeError(f"{path}: Lighthouse ended at {found['final_url']}")
            report["results"][name] = found
            print(
                f"  {name}: performance {found['performance']}, accessibility "
                f"{found['accessibility']}, {found['bytes'] / 1024:.1f} KB",
                file=sys.stderr,
            )
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    report["load_average_after"] = os.getloadavg()
    (OUT / "pages.json").write_text(json.dumps(report, indent=2))
    print(f"{report['date']}, {machine}; Lighthouse {LIGHTHOUSE_VERSION}, {report['chromium']},")
    before = ", ".join(f"{x:.2f}" for x in report["load_average_before"])
    print(f"mobile (Lighthouse's defaults); load average before: {before}\n")
    print(table(report["results"]))
    for name, r in report["results"].items():
        for category, lost in r["lost"].items():
            if lost:
                print(f"\n{name}, {category} points lost by: {', '.join(lost)}")


if __name__ == "__main__":
    main(sys.argv[1:])
