"""``rughernia check``: the interactive questionnaire in the terminal (nl, en).

A shell around the pathway: it asks, builds a ``Case`` and shows what
``assess()`` decides. It decides nothing clinical itself. After every answer
it assesses the case so far and stops at once when that is an emergency, so
an alarm is acted on before anything else is asked (CLINICAL.md §1).

Which questions are asked and the case they make are in ``rughernia.care.selfcheck``;
how the result is shown (the instruction last) in ``rughernia.cli.check_screen``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rughernia.care import selfcheck
from rughernia.care.selfcheck import MG_PER_TABLET, Answers, saved
from rughernia.cli.check_screen import show
from rughernia.content.questionnaire import Answer, Language, Question, Questionnaire, Reask
from rughernia.content.questionnaire import load as load_questionnaire
from rughernia.pathway import Assessment, Case, Triage
from rughernia.settings import Settings, SettingsError


@dataclass(frozen=True, slots=True)
class Interview:
    case: Case
    result: Assessment
    # Every question that applies was asked. After an early stop it is False: the case then
    # holds placeholders the contract cannot mark as "not asked", so it is never saved.
    complete: bool


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``rughernia`` app."""
    app.command("check")(check)


def check(
    lang: Annotated[
        Language, typer.Option("--lang", help="Language of the questions: nl or en.")
    ] = "nl",
    save: Annotated[
        Path | None,
        typer.Option("--save", dir_okay=False, help="Write the case built from the answers here."),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", metavar="YYYY-MM-DD", help="The date of the check (default: today, NL)."
        ),
    ] = None,
) -> None:
    """Answer questions about back and leg pain and see what to do (Dutch by default)."""
    texts = load_questionnaire(lang)
    day = _parse_today(today, texts)
    if save is not None and not save.parent.is_dir():
        raise typer.BadParameter(texts.text("bad_save", folder=save.parent), param_hint="--save")
    _line_editing()
    console = Console(highlight=False)
    try:
        done = interview(console, texts, day)
    except (EOFError, KeyboardInterrupt):
        console.print()
        console.print(texts.text("eof"), markup=False)
        if save is not None:
            console.print(texts.text("not_saved_eof"), markup=False)
        raise typer.Exit(1) from None
    note, failed = None, False
    if save is not None and done.complete:
        note, failed = _save(texts, save, done.case)
    elif save is not None:
        note = texts.text("not_saved_stopped")
    # The note comes before the result's last line: the instruction stays the last thing shown.
    show(console, texts, done.result, note)
    if failed:
        raise typer.Exit(1)


def _parse_today(value: str | None, texts: Questionnaire) -> dt.date:
    # The clock is read here, in the shell; the pathway only ever gets a date.
    if value is None:
        try:
            zone = Settings.from_env().zone  # RUGHERNIA_TIMEZONE, as for the server
        except SettingsError as exc:
            variable, _, problem = str(exc).partition(": ")  # the message names the variable
            raise typer.BadParameter(problem, param_hint=variable) from None
        return dt.datetime.now(zone).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            texts.text("bad_today", value=value), param_hint="--today"
        ) from None


def _line_editing() -> None:
    """Arrow keys, backspace and history while typing an answer, in a terminal."""
    if sys.stdin.isatty():
        # Importing readline is what makes input() edit the line; where it is missing
        # (Windows) input() still works, without editing.
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401


def interview(console: Console, texts: Questionnaire, today: dt.date) -> Interview:
    """Ask the questions in ORDER; stop as soon as the case so far is an emergency."""
    console.rule(texts.text("title"))
    console.print(texts.text("intro"), markup=False)
    answers: Answers = {}
    case, result = selfcheck.result(answers, today, texts.language)
    section = ""
    while (qid := selfcheck.next_question(answers, today)) is not None:
        question = texts.questions[qid]
        if question.section != section:
            section = question.section
            console.print()
            console.print(texts.text(f"section_{section}"), style="bold underline", markup=False)
        answers[qid] = answer = ask(console, texts, question, today)
        if qid == "paracetamol_tablets" and isinstance(answer, int):
            console.print(texts.text("tablets_mg", mg=answer * MG_PER_TABLET), markup=False)
        case, result = selfcheck.result(answers, today, texts.language)
        if result.triage is Triage.EMERGENCY:
            console.print()
            console.print(texts.text("stopped"), style="bold", markup=False)
            rest = selfcheck.next_question(answers, today) is not None
            return Interview(case, result, complete=not rest)
    return Interview(case, result, complete=True)


def ask(console: Console, texts: Questionnaire, question: Question, today: dt.date) -> Answer:
    """Ask one question until the answer fits; EOFError when input ends.

    An answer that does not fit gets a short hint, and then the question again with its
    choices, so the person need not scroll back to find them.
    """
    _pose(console, texts, question)
    while True:
        typed = input(texts.text("prompt"))
        try:
            return texts.read(question, typed, today)
        except Reask as problem:
            console.print(str(problem), style="yellow", markup=False)
            _pose(console, texts, question)


def _pose(console: Console, texts: Questionnaire, question: Question) -> None:
    console.print()
    console.print(question.text, style="bold", markup=False)
    if question.kind == "choice":
        for number, option in enumerate(question.options, 1):
            console.print(f"  {number}  {option.label}", markup=False)
        console.print(texts.text("choose"), style="dim", markup=False)


def _save(texts: Questionnaire, path: Path, case: Case) -> tuple[str, bool]:
    """Write the case; the message to show, and whether writing failed."""
    data = json.dumps(saved(case), indent=2, ensure_ascii=False)
    try:
        path.write_text(data + "\n", encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        return texts.text("save_failed", path=path, reason=reason), True
    return texts.text("saved", path=path), False
