"""docs/api.md lists exactly the problem types the API can send.

The types are the members of ``CareKind`` and ``WebKind`` in web/problems.py: mypy
holds every ``ApiError(...)`` and ``CARE_PROBLEMS`` entry to them, so a new type
cannot be sent without being added there, and then this test asks for its row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from rughernia.web import problems

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "rughernia" / "web"


def _documented() -> dict[str, str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    table = text.split("<!-- problem-types")[1].split("<!-- end problem-types -->")[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \|", table, flags=re.MULTILINE)
    assert len(rows) == len(dict(rows)), "a type is listed twice"
    return dict(rows)


def test_the_documented_types_are_the_types_sent() -> None:
    sent = set(get_args(problems.CareKind)) | set(get_args(problems.WebKind))
    assert set(_documented()) == sent


def test_the_documented_statuses_of_domain_errors_are_theirs() -> None:
    documented = _documented()
    for status, kind in problems.CARE_PROBLEMS.values():
        assert documented[kind] == str(status), kind


def test_every_registered_type_is_sent_somewhere() -> None:
    # A member of the registry that nothing raises would be documented but never sent.
    assert set(get_args(problems.CareKind)) == {k for _s, k in problems.CARE_PROBLEMS.values()}
    source = "\n".join(p.read_text(encoding="utf-8") for p in WEB.rglob("*.py"))
    for kind in get_args(problems.WebKind):
        assert source.count(f'"{kind}"') >= 2, f"{kind} is registered but never raised"
