"""interop is pure: it imports the pathway, the contract, the content, pydantic (the
shapes of the FHIR it reads), joserfc and the standard library, never the store, care,
web or the CLI; and not fhir.resources, whose models cost a request hundreds of ms
(they validate what interop builds, in the tests)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "rughernia" / "interop"
OURS = ("rughernia.pathway", "rughernia.contract", "rughernia.content", "rughernia.interop")
THIRD_PARTY = ("pydantic", "typing_extensions", "joserfc")


def imported(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import stays inside the package
                out.append((node.lineno, "rughernia.interop"))
            elif node.module:
                out.append((node.lineno, node.module))
    return out


def allowed(name: str) -> bool:
    top = name.split(".")[0]
    if top == "rughernia":
        return any(name == ok or name.startswith(ok + ".") for ok in OURS)
    return top in THIRD_PARTY or top in sys.stdlib_module_names


def test_every_module_imports_only_what_interop_may() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 8  # the scan reads the package, not an empty folder
    offenders = [
        f"{path.name}:{line}: {name}"
        for path in modules
        for line, name in imported(path)
        if not allowed(name)
    ]
    assert offenders == []


def test_the_rule_refuses_what_it_should() -> None:
    for name in ("rughernia.store", "rughernia.care.diary", "rughernia.web", "rughernia.cli"):
        assert not allowed(name)
    for name in ("sqlalchemy", "fastapi", "starlette", "fhir.resources.R4B.bundle"):
        assert not allowed(name)
    assert allowed("rughernia.pathway.model")
    assert allowed("pydantic")
