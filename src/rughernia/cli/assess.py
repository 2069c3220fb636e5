"""``rughernia assess FILE|-``: cases in, assessments out (contract/ JSON).

Reads one case (a JSON object), a JSON array of cases, or JSON Lines. Prints
one JSON object for one case, JSON Lines for many. Any bad case rejects the
whole input with exit status 2 and one line per problem on standard error:
a batch is either assessed whole or not at all, so no one acts on half of it.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from multiprocessing import get_context
from pathlib import Path
from typing import Annotated, Any

import typer

from rughernia.content import load
from rughernia.contract import CaseInvalid, parse_case, parse_case_json
from rughernia.contract.json_depth import MAX_DEPTH, TooDeep, check_depth, nesting_depth
from rughernia.pathway import assess


class InputError(Exception):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


Document = tuple[str, Any, bool]  # label for messages, the case, whether it is still JSON text


def read_documents(text: str) -> tuple[list[Document], bool]:
    """The cases in ``text``, and whether it held a single case."""
    stripped = text.strip()
    if not stripped:
        raise InputError(["input: no case found; give a JSON object, a JSON array or JSON Lines"])
    # Measured before parsing: json.loads recurses per level and crashed on a 3 KB file.
    too_deep = nesting_depth(stripped) > MAX_DEPTH
    try:
        if too_deep:
            raise TooDeep(MAX_DEPTH)
        whole = json.loads(stripped)
    except (json.JSONDecodeError, TooDeep) as exc:
        # JSON Lines when the first line is a whole JSON document; otherwise one broken document.
        if not _is_json(stripped.splitlines()[0]):
            if isinstance(exc, TooDeep):
                raise InputError([f"input: {exc}"]) from None
            raise InputError(
                [f"input: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
            ) from None
        # Each line stays text: Pydantic parses and validates it in one pass (2x faster).
        lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        deep = [
            f"line {n}: {TooDeep(MAX_DEPTH)}"
            for n, line in lines
            if nesting_depth(line) > MAX_DEPTH
        ]
        if deep:
            raise InputError(deep) from None
        return [(f"line {n}", line, True) for n, line in lines], False
    if isinstance(whole, list):
        return [(f"case[{i}]", doc, False) for i, doc in enumerate(whole)], False
    return [("case", whole, False)], True


def _is_json(line: str) -> bool:
    try:
        check_depth(line)
        json.loads(line)
    except (json.JSONDecodeError, TooDeep):
        return False
    return True


# Below this many cases a second process costs more than it saves.
PARALLEL_MIN = 2000


def assess_documents(
    docs: list[Document], lang: str | None, single: bool
) -> tuple[list[str], list[str]]:
    """(one JSON line per case, one message per problem) for a run of documents."""
    content = load()
    lines: list[str] = []
    errors: list[str] = []
    for label, doc, is_text in docs:
        try:
            case = parse_case_json(doc, lang) if is_text else parse_case(doc, lang)
        except CaseInvalid as exc:
            prefix = "" if single else f"{label}: "
            errors += [f"{prefix}{p}" for p in exc.problems]
            if exc.more:
                errors.append(f"{prefix}... and {exc.more} more problems")
            continue
        if not errors:  # once anything is wrong nothing is printed; keep looking for problems only
            lines.append(json.dumps(assess(case, content).to_dict(), ensure_ascii=False))
    return lines, errors


def run(text: str, lang: str | None) -> str:
    docs, single = read_documents(text)
    workers = os.cpu_count() or 1
    if len(docs) >= PARALLEL_MIN and workers > 1:
        # The cases are independent and the engine is pure: split them over the cores, keep order.
        size = -(-len(docs) // (workers * 4))
        chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            parts = list(pool.map(assess_documents, chunks, repeat(lang), repeat(single)))
    else:
        parts = [assess_documents(docs, lang, single)]
    errors = [message for _, part_errors in parts for message in part_errors]
    if errors:
        raise InputError(errors)
    lines = [line for part_lines, _ in parts for line in part_lines]
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
            text = sys.stdin.read().removeprefix("\ufeff") if file == "-" else _read(file)
            result = run(text, lang)
        except InputError as exc:
            for message in exc.messages:
                print(message, file=sys.stderr)
            raise typer.Exit(2) from None
        try:
            # JSON is UTF-8 whatever the terminal's locale (RFC 8259): as bytes, so a
            # C-locale stdout neither breaks it with "?" nor stops with a traceback.
            sys.stdout.flush()
            sys.stdout.buffer.write(result.encode("utf-8"))
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader has all it wanted (| head): no traceback, and none at exit either.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            print(f"output: cannot write ({exc.strerror})", file=sys.stderr)
            raise typer.Exit(1) from None


def _read(file: str) -> str:
    try:
        # utf-8-sig: a file saved by Notepad starts with a byte-order mark, which is no
        # part of the case (json.loads refused it with a message for programmers).
        return Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([f"{file}: cannot read the file ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{file}: is not UTF-8 text"]) from None
