"""The commands on a terminal that is not UTF-8, and with an output that cannot be written:
what to do is still shown, JSON stays UTF-8, an error is one line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.cli.test_assess_cli import EXE
from tests.pathway.builders import base_case

# A real C locale: without these Python would switch to UTF-8 by itself (PEP 538, 540).
C_LOCALE = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
C_LOCALE.pop("PYTHONIOENCODING", None)


def test_check_on_an_ascii_terminal_shows_the_emergency_instruction() -> None:
    done = subprocess.run(
        [EXE, "check", "--today", "2026-03-02"],
        input=b"ja\n",  # the first question is an alarm sign
        capture_output=True,
        env=C_LOCALE,
        timeout=120,
        check=False,
    )
    out = done.stdout.decode("ascii")  # nothing but ASCII reaches such a terminal
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert "Traceback" not in done.stderr.decode(errors="replace")
    assert "Bel nu uw huisarts" in out
    assert "+---" in out  # the box in ASCII


def test_assess_writes_utf8_json_whatever_the_locale() -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "example-case.json"
    done = subprocess.run(
        [EXE, "assess", str(example)], capture_output=True, env=C_LOCALE, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    text = done.stdout.decode("utf-8")
    assert not text.isascii()  # its Dutch texts as they are (ö, é), not as "?"
    assert "?" not in "".join(json.loads(text)["triage_text"])


def test_assess_to_a_full_disk_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(base_case()))
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [EXE, "assess", str(path)], stdout=full, stderr=subprocess.PIPE, timeout=120
        )
    assert done.returncode == 1
    assert done.stderr.decode().strip() == "output: cannot write (No space left on device)"


def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(base_case()).encode())
    done = subprocess.run([EXE, "assess", str(path)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["schema_version"] == 1


def test_problems_past_those_listed_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps({**base_case(), **{f"unknown_{i}": 1 for i in range(150)}}))
    done = subprocess.run([EXE, "assess", str(path)], capture_output=True, timeout=120)
    assert done.returncode == 2
    last = done.stderr.decode().strip().splitlines()[-1]
    assert last.startswith("... and "), last
    assert last.endswith(" more problems"), last
