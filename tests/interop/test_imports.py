"""interop is pure: it imports the pathway, the contract, the content, fhir.resources,
joserfc and the standard library, never the store, care, web or the CLI."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "rughernia" / "interop"
OURS = ("rughernia.pathway", "rughernia.contract", "rughernia.content", "rughernia.interop")
THIRD_PARTY = ("fhir", "joserfc")


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
    for name in ("sqlalchemy", "fastapi", "pydantic"):
        assert not allowed(name)
    assert allowed("rughernia.pathway.model")
    assert allowed("fhir.resources.R4B.bundle")
