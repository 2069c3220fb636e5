"""The worklist and the nightly re-assessment at the scale of a region (issue 14).

For each database (SQLite in a temporary file; PostgreSQL in a fresh schema of
the test server, dropped afterwards) this migrates an empty database, adds a
clinician to each of two teams with ``rughernia user add``, and generates
(set-based, ``bench/worklist_data.py``) three teams: W1000 (1,000 patients, 90
diary days each), W10000 (10,000 × 90) and R100000 (100,000 × 30). The diaries
end yesterday, and ``care.reassess`` assesses everyone as of yesterday: the
stored decisions a nightly run finds. Then:

- ``reassess``: ``care.reassess`` (``plan`` + ``run``, what ``rughernia reassess --team``
  does) as of today over R100000, every patient stale; its rate in patients/s against
  the rate of bare ``pathway.assess()`` on the same cases, built beforehand with
  ``care.case.stored_many`` (1,000 at a time, untimed) and assessed in memory
  (target: reassess ≥ 0.5 × bare);
- the same as of today for W1000 and W10000: now every assessment there is current;
- ``worklist current``: ``GET /worklist`` of each team's clinician against
  ``rughernia serve`` (1 worker), signed in with a session cookie; after one warm-up,
  the median of ``--gets`` requests (target under 300 ms for 1,000 patients);
- ``worklist new day``: today's stored assessments of the team moved to yesterday in
  SQL (as if the clock had passed midnight), then one GET, which re-assesses every
  patient of the team; the median of ``--new-days`` such rounds;
- the ratio worklist(10,000) ÷ worklist(1,000), current and new day (target ≤ 11).

When the app has no ``/worklist`` yet (404), the worklist part is reported as
missing and the rest still runs. Results go to ``bench/out/worklist.json`` and,
as Markdown, to standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, event, select, text

from bench import worklist_data
from bench.api_bench import PASSWORD, Server, database
from rughernia.care import reassess
from rughernia.care.case import stored_many
from rughernia.care.errors import RecordNotAssessable
from rughernia.content import load
from rughernia.pathway import assess
from rughernia.store.engine import make_engine, session_factory
from rughernia.store.tables import PatientRow

err = Console(stderr=True)
ZONE = ZoneInfo("Europe/Amsterdam")
TARGETS = {"ratio_reassess": 0.5, "worklist_1000_ms": 300.0, "ratio_worklist": 11.0}


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@contextlib.contextmanager
def _sql_time(engine: Engine) -> Iterator[dict[str, float]]:
    """The time spent in the database driver's execute, by statement (verb and table)."""
    spent: dict[str, float] = {}

    def before(conn: Any, _cursor: Any, _stmt: str, *_: Any) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    def after(conn: Any, _cursor: Any, stmt: str, *_: Any) -> None:
        words = stmt.split()
        table = words[words.index("FROM") + 1] if "FROM" in words else words[2]
        key = f"{words[0]} {table}"
        spent[key] = spent.get(key, 0.0) + time.perf_counter() - conn.info["bench_t0"]

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _reassess(engine: Engine, today: dt.date, team: str | None, label: str) -> dict[str, Any]:
    """``care.reassess`` as of ``today`` (plan and run, timed together), with a bar, and the
    time its statements spent in the database driver."""
    at = dt.datetime.now(dt.UTC)
    with session_factory(engine)() as session, _bar() as bar, _sql_time(engine) as sql:
        start = time.perf_counter()
        plan = reassess.plan(session, today, team=team)
        task = bar.add_task(label, total=plan.stale)
        tally = reassess.run(session, plan, at=at, progress=lambda n: bar.advance(task, n))
        seconds = time.perf_counter() - start
    done = tally.reassessed + tally.unchanged
    return {
        "patients": plan.stale,
        "reassessed": tally.reassessed,
        "unchanged": tally.unchanged,
        "skipped": tally.skipped,
        "seconds": seconds,
        "rate": done / seconds if seconds else 0.0,
        "sql_seconds": dict(sorted(sql.items(), key=lambda kv: -kv[1])),
    }


def _bare(engine: Engine, team_id: int, today: dt.date) -> dict[str, Any]:
    """Bare ``assess()`` over the team's cases as of ``today``, built beforehand, in memory."""
    content = load()
    with session_factory(engine)() as session:
        rows = session.execute(
            select(PatientRow.id, PatientRow.language)
            .where(PatientRow.team_id == team_id)
            .order_by(PatientRow.id)
        ).all()
    seconds, count, building = 0.0, 0, 0.0
    with _bar() as bar:
        task = bar.add_task("bare assess()", total=len(rows))
        for k in range(0, len(rows), 1_000):
            part = {int(r[0]): str(r[1]) for r in rows[k : k + 1_000]}
            start = time.perf_counter()
            with session_factory(engine)() as session:
                built = stored_many(session, part, today)
            building += time.perf_counter() - start
            cases = [c for c in built.values() if not isinstance(c, RecordNotAssessable)]
            start = time.perf_counter()
            for case in cases:
                assess(case, content)
            seconds += time.perf_counter() - start
            count += len(cases)
            bar.advance(task, len(part))
    # Reading and building the cases alone (no decision, nothing stored): the floor of any
    # run that must read each record; reassess cannot go faster than both together.
    return {
        "patients": count,
        "seconds": seconds,
        "rate": count / seconds,
        "building_rate": count / building,
    }


def _triage(engine: Engine, team_id: int, today: dt.date) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT triage, count(*) FROM assessments JOIN patients"
                " ON patients.id = assessments.patient_id"
                " WHERE patients.team_id = :team AND assessments.today = :today GROUP BY triage"
            ),
            {"team": team_id, "today": today},
        )
        return {str(r[0]): int(r[1]) for r in rows}


def _to_yesterday(engine: Engine, team_id: int, today: dt.date) -> None:
    """Today's stored assessments of the team become yesterday's: a new day for the app."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE assessments SET today = :yesterday WHERE today = :today AND patient_id IN"
                " (SELECT id FROM patients WHERE team_id = :team)"
            ),
            {"yesterday": today - dt.timedelta(days=1), "today": today, "team": team_id},
        )


def _get_ms(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    r = client.get(path)
    ms = (time.perf_counter() - start) * 1000
    if r.status_code != 200:
        raise RuntimeError(f"GET {path}: {r.status_code} {r.text[:500]}")
    return ms


def _worklists(
    server: Server, engine: Engine, teams: dict[int, int], today: dt.date, options: Any
) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for size, team_id in teams.items():
        client = httpx.Client(base_url=server.base, timeout=600)
        login = {"username": f"doc{size}", "password": PASSWORD}
        r = client.post("/api/v1/session", json=login)
        r.raise_for_status()
        client.cookies.set("rughernia_session", r.json()["token"])
        first = client.get(options.path)
        if first.status_code == 404:
            return None
        current = [_get_ms(client, options.path) for _ in range(options.gets)]
        new_day = []
        for _ in range(options.new_days):
            _to_yesterday(engine, team_id, today)
            new_day.append(_get_ms(client, options.path))
        client.close()
        out[str(size)] = {
            "current_ms": statistics.median(current),
            "current_all_ms": current,
            "new_day_ms": statistics.median(new_day),
            "new_day_all_ms": new_day,
            "bytes": len(first.content),
        }
        err.print(f"  worklist {size}: {out[str(size)]['current_ms']:.0f} ms current")
    small, large = (out[str(n)] for n in options.sizes)
    out["ratio_current"] = large["current_ms"] / small["current_ms"]
    out["ratio_new_day"] = large["new_day_ms"] / small["new_day_ms"]
    return out


def run_on(name: str, options: Any) -> dict[str, Any] | None:
    workdir = Path(tempfile.mkdtemp(prefix=f"rughernia-bench-worklist-{name}-"))
    today = dt.datetime.now(ZONE).date()
    yesterday = today - dt.timedelta(days=1)
    at = dt.datetime.now(dt.UTC)
    try:
        with database(name, workdir) as url:
            if url is None:
                return None
            engine = make_engine(url)
            worklist_data.migrated(engine)
            server = Server(url, workdir, 1)
            for size in options.sizes:
                add = ["user", "add", f"doc{size}", "--role", "clinician", "--team", f"W{size}"]
                server.cli(*add, "--password", PASSWORD)
            sizes = {f"W{n}": (n, options.diary_days) for n in options.sizes}
            sizes[f"R{options.patients}"] = (options.patients, options.reassess_days)
            generated = {}
            with _bar() as bar:
                for team, (n, days) in sizes.items():
                    task = bar.add_task(f"generating {team} ({days} days)", total=n)
                    generated[team] = worklist_data.generate(
                        engine,
                        team=team,
                        patients=n,
                        days=days,
                        today=yesterday,
                        at=at,
                        progress=lambda k, task=task: bar.advance(task, k),
                    )
            for team, g in generated.items():
                err.print(f"  {name}: {team} {g.diary_rows:,} diary rows in {g.seconds:.1f} s")
            results: dict[str, Any] = {
                "generated": {
                    t: {"patients": g.patients, "diary_rows": g.diary_rows, "seconds": g.seconds}
                    for t, g in generated.items()
                }
            }
            results["reassess_yesterday"] = _reassess(engine, yesterday, None, "as of yesterday")
            big = f"R{options.patients}"
            results["reassess"] = _reassess(engine, today, big, f"reassess {big}")
            err.print(f"  {name}: reassess {results['reassess']['rate']:.0f} patients/s")
            results["bare"] = _bare(engine, generated[big].team_id, today)
            results["ratio_reassess"] = results["reassess"]["rate"] / results["bare"]["rate"]
            results["triage"] = _triage(engine, generated[big].team_id, today)
            for n in options.sizes:
                results[f"reassess_W{n}"] = _reassess(engine, today, f"W{n}", f"reassess W{n}")
            worklist_data.analyzed(engine)  # the assessments table grew from nothing
            teams = {n: generated[f"W{n}"].team_id for n in options.sizes}
            try:
                server.start()
                results["worklist"] = _worklists(server, engine, teams, today, options)
            finally:
                server.stop()
            engine.dispose()
            return results
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(name: str, r: dict[str, Any], options: Any) -> str:
    patients, (small, large) = options.patients, options.sizes
    ok = {True: "met", False: "MISSED"}
    lines = [f"**{name}**", "", "| measure | figure | target |", "|---|---:|---|"]
    for team, g in r["generated"].items():
        rate = g["diary_rows"] / g["seconds"]
        lines.append(f"| generating {team} | {g['seconds']:.1f} s ({rate:,.0f} diary rows/s) | — |")
    y = r["reassess_yesterday"]
    lines.append(
        f"| reassess as of yesterday, every team ({y['patients']:,}) | {y['rate']:.0f}/s | — |"
    )
    lines.append(
        f"| `reassess` R{patients} as of today | {r['reassess']['rate']:.0f} patients/s "
        f"({r['reassess']['seconds']:.1f} s) | — |"
    )
    sql = r["reassess"]["sql_seconds"]
    top = ", ".join(f"{k} {v:.2f} s" for k, v in list(sql.items())[:3])
    lines.append(f"| of which in the database driver | {sum(sql.values()):.2f} s ({top}) | — |")
    lines.append(
        f"| bare `assess()`, same cases in memory | {r['bare']['rate']:.0f} patients/s | — |"
    )
    build = r["bare"]["building_rate"]
    lines.append(
        f"| reading and building the same cases, no decision | {build:.0f} patients/s | — |"
    )
    bound = 1 / (1 / build + 1 / r["bare"]["rate"]) / r["bare"]["rate"]
    lines.append(
        f"| reassess ÷ bare at best (reading + deciding, storing nothing) | {bound:.2f} | — |"
    )
    met = r["ratio_reassess"] >= TARGETS["ratio_reassess"]
    lines.append(f"| reassess ÷ bare assess | {r['ratio_reassess']:.2f} | ≥ 0.5: {ok[met]} |")
    w = r.get("worklist")
    if w is None:
        lines.append("| worklist | not measured: `GET /worklist` answered 404 | — |")
    else:
        for n in options.sizes:
            m = w[str(n)]
            target = "—"
            if n == 1_000:
                target = f"< 300 ms: {ok[m['current_ms'] < TARGETS['worklist_1000_ms']]}"
            row = f"| worklist {n:,}, every assessment current | {m['current_ms']:.0f} ms"
            lines.append(f"{row} | {target} |")
            lines.append(
                f"| worklist {n:,}, first request of a new day | {m['new_day_ms']:.0f} ms | — |"
            )
        for kind in ("current", "new_day"):
            ratio = w[f"ratio_{kind}"]
            verdict = ok[ratio <= TARGETS["ratio_worklist"]]
            row = f"| worklist {large:,} ÷ {small:,}, {kind.replace('_', ' ')} | {ratio:.1f}"
            lines.append(f"{row} | ≤ 11: {verdict} |")
    lines.append(f"\ntriage of R{patients} as of today: {r['triage']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``./dev bench worklist`` runs the defaults; ``./dev bench worklist --help`` for options."""
    parser = argparse.ArgumentParser(prog="./dev bench worklist")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument(
        "--patients", type=int, default=100_000, help="patients of the reassess team (R...)"
    )
    parser.add_argument("--reassess-days", type=int, default=30)
    parser.add_argument("--diary-days", type=int, default=90, help="of the worklist teams")
    parser.add_argument("--gets", type=int, default=7, help="worklist GETs, current")
    parser.add_argument("--new-days", type=int, default=3, help="worklist GETs, new day")
    parser.add_argument("--path", default="/worklist")
    parser.add_argument(
        "--sizes", type=int, nargs=2, default=[1_000, 10_000], help="the two worklist teams"
    )
    options = parser.parse_args(argv or [])
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    out: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "load_average_before": os.getloadavg(),
        "options": vars(options),
        "results": {},
    }
    for name in options.db or ["sqlite", "postgresql"]:
        results = run_on(name, options)
        if results is not None:
            out["results"][name] = results
    out["load_average_after"] = os.getloadavg()
    folder = Path(__file__).parent / "out"
    folder.mkdir(exist_ok=True)
    (folder / "worklist.json").write_text(json.dumps(out, indent=2))
    before = ", ".join(f"{x:.2f}" for x in out["load_average_before"])
    after = ", ".join(f"{x:.2f}" for x in out["load_average_after"])
    print(f"{out['date']}, {machine}; load average before: {before}, after: {after}")
    if options.patients != 100_000 or options.sizes != [1_000, 10_000]:
        print(
            f"Scaled down: the reassess team has {options.patients:,} patients (the issue: "
            f"100,000), the worklist teams {options.sizes} (the issue: 1,000 and 10,000)."
        )
    print()
    for name, results in out["results"].items():
        print(report(name, results, options) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
