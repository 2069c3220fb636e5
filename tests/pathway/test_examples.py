"""Every file of shared/examples/ gets the decision it must get (as its README defines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pathway.builders import SPEC, run

EXAMPLES = sorted((SPEC / "examples").glob("*.json"))


def test_the_examples_folder_is_found() -> None:
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example(path: Path) -> None:
    example = json.loads(path.read_text(encoding="utf-8"))
    got = run(example["case"])
    want = example["expect"]
    for key in ("triage", "phase", "days_since_onset", "medication"):
        assert got[key] == want[key], key
    assert {f["code"] for f in got["findings"]} == set(want["findings"])
    assert {a["code"] for a in got["advice"]} == set(want["advice"])
    if want["trend"] is None:
        assert got["trend"] is None
    else:
        for key, value in want["trend"].items():
            if isinstance(value, float):
                assert got["trend"][key] == pytest.approx(value, abs=0.01), key
            else:
                assert got["trend"][key] == value, key
    assert got["language"] == example["case"].get("language", "nl")
