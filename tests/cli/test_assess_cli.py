"""`rughernia assess` as a real process: formats in, JSON out, clear errors, exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rughernia.content import load
from tests.pathway.builders import SPEC, base_case, entries, with_symptoms

EXE = shutil.which("rughernia", path=str(Path(sys.executable).parent)) or "rughernia"
SCHEMA = json.loads((SPEC / "contract" / "assessment.schema.json").read_text())


def rughernia(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_one_case_from_a_file_prints_one_object(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(with_symptoms(base_case(), saddle_numbness=True)))
    out = rughernia("assess", str(path))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    jsonschema.validate(result, SCHEMA)
    assert result["triage"] == "emergency"
    assert result["language"] == "nl"


def test_lang_overrides_the_case() -> None:
    out = rughernia("assess", "-", "--lang", "en", stdin=json.dumps(base_case()))
    assert json.loads(out.stdout)["triage_text"] == load().triage_text["self_care"]["en"]


def test_array_and_json_lines_give_json_lines() -> None:
    cases = [base_case(), with_symptoms(base_case(), both_legs=None)]
    for text in (json.dumps(cases), "\n".join(json.dumps(c) for c in cases) + "\n"):
        out = rughernia("assess", "-", stdin=text)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert [json.loads(line)["triage"] for line in lines] == ["self_care", "urgent"]


def bad(case: dict[str, Any], *args: str) -> list[str]:
    out = rughernia("assess", "-", *args, stdin=json.dumps(case))
    assert out.returncode == 2
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    return out.stderr.splitlines()


def test_each_problem_is_named_with_its_field_path() -> None:
    case = base_case(diary=entries({3: 5, 2: 5, 1: 5, 0: 5}))
    case["diary"][3]["leg_pain"] = 11
    case["diary"][1]["paracetamol_mg"] = -1
    del case["symptoms"]["incontinence"]
    assert bad(case) == [
        "symptoms.incontinence: is required; answer true, false or null (don't know)",
        "diary[1].paracetamol_mg: -1 is below the minimum 0",
        "diary[3].leg_pain: 11 is above the maximum 10",
    ]


def test_dates_are_checked_against_today_and_onset() -> None:
    case = base_case(onset="2026-02-20", diary=entries({0: 5}))
    case["diary"].append({"date": "2026-02-19", "leg_pain": 5})
    case["diary"].append({"date": "2026-03-02", "leg_pain": 4})
    case["medication"] = {"step": 3, "opioid_since": "2026-03-05"}
    assert bad(case) == [
        "medication.opioid_since: 2026-03-05 is after today (2026-03-02)",
        "diary[1].date: 2026-02-19 is before the onset (2026-02-20); "
        "a diary entry cannot be older than the leg pain",
        "diary[2].date: 2026-03-02 is also the date of diary[0]; one entry per date",
    ]


def test_unknown_fields_and_enum_values() -> None:
    case = with_symptoms(base_case(), weakness="terrible", colour="red")
    assert bad(case) == [
        "symptoms.weakness: 'terrible' is not allowed; "
        "use one of: 'none', 'stable' or 'progressive'",
        "symptoms.colour: is not a known field; remove it or check the spelling",
    ]


def test_batch_problems_name_the_case() -> None:
    good, broken = base_case(), base_case(today="2026-13-01")
    text = json.dumps(good) + "\n" + json.dumps(broken) + "\n"
    out = rughernia("assess", "-", stdin=text)
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        "line 2: today: '2026-13-01' is not a valid date; use YYYY-MM-DD"
    ]


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        ("", (), "input: no case found"),
        ("{nope", (), "input: not valid JSON"),
        ("{}", ("--lang", "de"), "--lang: 'de' is not allowed; use nl or en"),
        ("[1]", (), "case[0]: must be a JSON object"),
    ],
)
def test_input_errors(stdin: str, args: tuple[str, ...], message: str) -> None:
    out = rughernia("assess", "-", *args, stdin=stdin)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_file() -> None:
    out = rughernia("assess", "/nonexistent/case.json")
    assert out.returncode == 2
    assert "cannot read the file" in out.stderr


def test_ten_thousand_cases_in_one_call(tmp_path: Path) -> None:
    case = base_case(diary=entries({i: 5 + i % 3 for i in range(21)}))
    path = tmp_path / "many.jsonl"
    path.write_text((json.dumps(case) + "\n") * 10_000)
    out = rughernia("assess", str(path))
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert len(lines) == 10_000
    assert json.loads(lines[-1]) == json.loads(lines[0])


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        # 3 KB nested 1,000 deep: a RecursionError traceback and exit 1 before.
        ('{"a":' * 1000 + "1" + "}" * 1000, "input: is nested more than 64 levels deep"),
        ("[" * 1000, "input: is nested more than 64 levels deep"),
        ("{}\n" + "[" * 1000 + "]" * 1000 + "\n", "line 2: is nested more than 64 levels deep"),
    ],
)
def test_deep_nesting_is_one_line_and_exit_2(stdin: str, message: str) -> None:
    out = rughernia("assess", "-", stdin=stdin)
    assert out.returncode == 2
    assert out.stderr.splitlines() == [message]
