"""spec/ is the project's copy of ../shared: where that folder exists, every file must match."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pathway.builders import SPEC

SHARED = SPEC.parents[1] / "shared"
COPIED = ("CLINICAL.md", "contract", "examples")


def _files(root: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name in COPIED:
        top = root / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


def differences(ours: dict[str, bytes], theirs: dict[str, bytes]) -> list[str]:
    out = [
        f"{name}: differs from ../shared"
        for name in sorted(ours.keys() & theirs.keys())
        if ours[name] != theirs[name]
    ]
    out += [f"{name}: missing in spec/" for name in sorted(theirs.keys() - ours.keys())]
    out += [
        f"{name}: in spec/ but not in ../shared" for name in sorted(ours.keys() - theirs.keys())
    ]
    return out


def test_the_copy_holds_the_contract_and_examples() -> None:
    files = _files(SPEC)
    assert "contract/codes.yaml" in files
    assert len([n for n in files if n.startswith("examples/") and n.endswith(".json")]) >= 18


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared beside this clone")
def test_the_copy_equals_shared() -> None:
    assert differences(_files(SPEC), _files(SHARED)) == []


def test_differences_names_every_kind_of_file() -> None:
    ours = {"a": b"1", "b": b"2", "c": b"3"}
    theirs = {"a": b"1", "b": b"x", "d": b"4"}
    assert differences(ours, theirs) == [
        "b: differs from ../shared",
        "d: missing in spec/",
        "c: in spec/ but not in ../shared",
    ]
