"""``rughernia assess FILE|-``: cases in, assessments out (contract/ JSON).

Reads one case (a JSON object), a JSON array of cases, or JSON Lines. Prints
one JSON object for one case, JSON Lines for many. Any bad case rejects the
whole input with exit status 2 and one line per problem on standard error:
a batch is either assessed whole or not at all, so no one acts on half of it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from rughernia.content import load
from rughernia.contract import CaseInvalid, parse_case
from rughernia.pathway import Case, assess


class InputError(Exception):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def read_documents(text: str) -> tuple[list[tuple[str, Any]], bool]:
    """The cases in ``text`` with a label for messages, and whether it held a single case."""
    stripped = text.strip()
    if not stripped:
        raise InputError(["input: no case found; give a JSON object, a JSON array or JSON Lines"])
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as exc:
        # JSON Lines when the first line is a whole JSON document; otherwise one broken document.
        if not _is_json(stripped.splitlines()[0]):
            raise InputError(
                [f"input: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
            ) from None
        return list(_json_lines(text)), False
    if isinstance(whole, list):
        return [(f"case[{i}]", doc) for i, doc in enumerate(whole)], False
    return [("case", whole)], True


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _json_lines(text: str) -> Iterator[tuple[str, Any]]:
    errors: list[str] = []
    docs: list[tuple[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            docs.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(f"line {number}: not valid JSON: {exc.msg} (column {exc.colno})")
    if errors:
        raise InputError(errors)
    yield from docs


def parse_all(docs: list[tuple[str, Any]], lang: str | None, single: bool) -> list[Case]:
    cases: list[Case] = []
    errors: list[str] = []
    for label, doc in docs:
        try:
            cases.append(parse_case(doc, language=lang))
        except CaseInvalid as exc:
            prefix = "" if single else f"{label}: "
            errors += [f"{prefix}{p}" for p in exc.problems]
    if errors:
        raise InputError(errors)
    return cases


def run(text: str, lang: str | None) -> str:
    docs, single = read_documents(text)
    cases = parse_all(docs, lang, single)
    content = load()
    lines = [json.dumps(assess(c, content).to_dict(), ensure_ascii=False) for c in cases]
    if single:
        return json.dumps(json.loads(lines[0]), ensure_ascii=False, indent=2) + "\n"
    return "".join(line + "\n" for line in lines)


def register(app: typer.Typer) -> None:
    @app.command("assess")
    def assess_command(
        file: Annotated[
            str,
            typer.Argument(help="A case file (JSON, JSON array or JSON Lines), or - for stdin."),
        ],
        lang: Annotated[
            str | None,
            typer.Option("--lang", help="Language of the texts: nl or en (overrides the case)."),
        ] = None,
    ) -> None:
        """Assess cases and print the assessments as JSON."""
        try:
            if lang is not None and lang not in ("nl", "en"):
                raise InputError([f"--lang: {lang!r} is not allowed; use nl or en"])
            text = sys.stdin.read() if file == "-" else _read(file)
            sys.stdout.write(run(text, lang))
        except InputError as exc:
            for message in exc.messages:
                print(message, file=sys.stderr)
            raise typer.Exit(2) from None


def _read(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([f"{file}: cannot read the file ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{file}: is not UTF-8 text"]) from None
