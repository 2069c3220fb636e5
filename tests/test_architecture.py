"""The dependency rule of DESIGN.md: the pathway imports only the standard library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rughernia"


def test_pathway_imports_only_the_standard_library_and_itself() -> None:
    offenders = []
    for path in (SRC / "pathway").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                ours = top == "rughernia"
                outside_core = ours and not name.startswith("rughernia.pathway")
                if outside_core or (not ours and top not in sys.stdlib_module_names):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_import_linter_contracts_hold() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run(
        [str(exe), "--no-cache"], capture_output=True, text=True, cwd=SRC.parents[1], check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "pathway imports only the standard library KEPT" in out.stdout


def test_routes_reach_the_store_only_through_care() -> None:
    """A route parses, calls ``rughernia.care`` and renders: it imports nothing of the store
    and never works the session itself (queries, commits), which would skip the audited step.
    The import contracts say the same for all of ``web``; this names the offending line."""
    offenders = []
    for path in sorted((SRC / "web" / "api").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "rughernia.store"
            ):
                offenders.append(f"{path.name}:{node.lineno}: imports {node.module}")
            if isinstance(node, ast.Import):
                offenders += [
                    f"{path.name}:{node.lineno}: imports {a.name}"
                    for a in node.names
                    if a.name.startswith("rughernia.store")
                ]
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "session"
            ):
                offenders.append(f"{path.name}:{node.lineno}: session.{node.attr}")
    assert offenders == []
