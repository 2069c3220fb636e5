"""The engine and `rughernia assess`, each as a ratio to a baseline of the same run.

- ``assess()`` on one case with 0, 90 and 365 diary days; baseline: ``json.loads``
  of that case's JSON text (work every caller does anyway).
- ``rughernia assess`` on a 10,000-case JSON Lines file (90 diary days each),
  including process start; baseline: starting the same Python and importing json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

from rughernia.content import load
from rughernia.contract import NO_ALARM_SYMPTOMS, parse_case
from rughernia.pathway import assess

TODAY = dt.date(2026, 3, 2)


def case_with(days: int) -> dict[str, Any]:
    onset = TODAY - dt.timedelta(days=max(days, 1))
    diary = [
        {
            "date": (TODAY - dt.timedelta(days=i)).isoformat(),
            "leg_pain": 3 + (i * 7) % 6,
            "back_pain": 2,
            "pain_tolerable": True,
            "painkillers_as_scheduled": True,
            "paracetamol_mg": 2000,
        }
        for i in range(days)
    ]
    return {
        "today": TODAY.isoformat(),
        "onset": onset.isoformat(),
        "patient": {"age": 45, "weight_kg": 80},
        "symptoms": {**NO_ALARM_SYMPTOMS},
        "diary": diary,
        "medication": {"step": 1, "paracetamol_since": onset.isoformat()},
    }


def per_call(fn: Any, number: int) -> float:
    """Best of 5 repeats, in seconds per call (the minimum is the least noisy estimate)."""
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def bench_engine() -> list[dict[str, Any]]:
    content = load()
    rows = []
    for days in (0, 90, 365):
        raw = case_with(days)
        text = json.dumps(raw)
        case = parse_case(raw)
        base = per_call(lambda text=text: json.loads(text), 2000)
        took = per_call(lambda case=case: assess(case, content), 2000)
        rows.append(
            {
                "diary_days": days,
                "assess_ms": took * 1000,
                "json_loads_ms": base * 1000,
                "ratio": took / base,
            }
        )
    return rows


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_cli() -> dict[str, Any]:
    exe = str(Path(sys.executable).parent / "rughernia")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        line = json.dumps(case_with(90))
        path.write_text((line + "\n") * 10_000)
        base = min(wall([sys.executable, "-c", "import json"]) for _ in range(5))
        took = min(wall([exe, "assess", str(path)]) for _ in range(3))
    return {"cases": 10_000, "seconds": took, "python_start_s": base, "ratio": took / base}


def main() -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"# pathway benchmark ({machine})")
    engine = bench_engine()
    print("| diary days | assess() ms | json.loads ms (baseline) | ratio |")
    print("|---:|---:|---:|---:|")
    for r in engine:
        cells = [r["diary_days"], f"{r['assess_ms']:.3f}", f"{r['json_loads_ms']:.3f}"]
        print("| " + " | ".join(map(str, cells)) + f" | {r['ratio']:.1f} |")
    cli = bench_cli()
    print()
    print(
        "| rughernia assess, 10,000 cases x 90 days | seconds | python start (baseline) | ratio |"
    )
    print("|---|---:|---:|---:|")
    cells = [f"{cli['seconds']:.2f}", f"{cli['python_start_s']:.3f}", f"{cli['ratio']:.0f}"]
    print("| JSON Lines file | " + " | ".join(cells) + " |")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "pathway.json").write_text(
        json.dumps({"machine": machine, "engine": engine, "cli": cli}, indent=2)
    )
