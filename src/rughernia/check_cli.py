"""``rughernia check``: the interactive questionnaire in the terminal (nl, en).

A shell around the pathway: it asks, builds a ``Case`` and shows what
``assess()`` decides. It decides nothing clinical itself. After every answer
it assesses the case so far and stops at once when that is an emergency, so
an alarm is acted on before anything else is asked (CLINICAL.md §1).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from pathlib import Path
from typing import Annotated, cast
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from rughernia.content import load
from rughernia.content.questionnaire import Answer, Language, Question, Questionnaire, Reask
from rughernia.content.questionnaire import load as load_questionnaire
from rughernia.contract import case_to_dict
from rughernia.pathway import (
    Assessment,
    Case,
    DiaryEntry,
    Medication,
    Patient,
    RedFlags,
    Symptoms,
    Triage,
    assess,
)
from rughernia.pathway.model import ALARM_QUESTIONS, LegPainReach, Weakness

# The order is a safety rule: the alarm questions first, then the other red flags.
ORDER: tuple[str, ...] = (
    *ALARM_QUESTIONS,
    *(f.name for f in fields(RedFlags)),
    "leg_pain_reaches",
    "age",
    "onset",
    "leg_pain",
    "back_pain",
    "hours_lying",
    "medication_step",
    "opioid_since",
    "painkillers_as_scheduled",
    "pain_tolerable",
    "paracetamol_mg",
    "sleep_disturbed",
)
CLOCK_ZONE = ZoneInfo("Europe/Amsterdam")
# Red for "act now", yellow for "see your GP soon", green for "carry on".
COLOURS: dict[Triage, str] = {
    Triage.EMERGENCY: "red",
    Triage.URGENT: "red",
    Triage.CONTACT_GP: "yellow",
    Triage.SELF_CARE: "green",
    Triage.NOT_APPLICABLE: "default",
}
Answers = dict[str, Answer]


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
    console = Console(highlight=False)
    try:
        case, result = interview(console, texts, day)
    except (EOFError, KeyboardInterrupt):
        console.print()
        console.print(texts.text("eof"), markup=False)
        raise typer.Exit(1) from None
    show(console, texts, result)
    if save is not None:
        _save(console, texts, save, case)


def _parse_today(value: str | None, texts: Questionnaire) -> dt.date:
    # The clock is read here, in the shell; the pathway only ever gets a date.
    if value is None:
        return dt.datetime.now(CLOCK_ZONE).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            texts.text("bad_today", value=value), param_hint="--today"
        ) from None


def interview(console: Console, texts: Questionnaire, today: dt.date) -> tuple[Case, Assessment]:
    """Ask the questions in ORDER; stop as soon as the case so far is an emergency."""
    content = load()
    console.rule(texts.text("title"))
    console.print(texts.text("intro"), markup=False)
    answers: Answers = {}
    case = build_case(answers, today, texts.language)
    result = assess(case, content)
    section = ""
    for qid in ORDER:
        if _not_relevant(qid, answers):
            continue
        question = texts.questions[qid]
        if question.section != section:
            section = question.section
            console.print()
            console.print(texts.text(f"section_{section}"), style="bold underline", markup=False)
        answers[qid] = ask(console, texts, question, today)
        case = build_case(answers, today, texts.language)
        result = assess(case, content)
        if result.triage is Triage.EMERGENCY:
            console.print()
            console.print(texts.text("stopped"), style="bold", markup=False)
            break
    return case, result


def _not_relevant(qid: str, answers: Answers) -> bool:
    # Only questions that cannot apply to what was answered are left out; never an alarm question.
    if qid == "onset":
        return answers.get("leg_pain_reaches") == "none"  # the onset is that of the leg pain
    if qid in ("painkillers_as_scheduled", "paracetamol_mg"):
        return answers.get("medication_step") == 0
    if qid == "opioid_since":
        return answers.get("medication_step") != 3
    return False


def ask(console: Console, texts: Questionnaire, question: Question, today: dt.date) -> Answer:
    """Ask one question until the answer fits; EOFError when input ends."""
    console.print()
    console.print(question.text, style="bold", markup=False)
    if question.kind == "choice":
        for number, option in enumerate(question.options, 1):
            console.print(f"  {number}  {option.label}", markup=False)
        console.print(texts.text("choose"), style="dim", markup=False)
    while True:
        typed = console.input(texts.text("prompt"), markup=False)
        try:
            return texts.read(question, typed, today)
        except Reask as problem:
            console.print(str(problem), style="yellow", markup=False)


def build_case(answers: Answers, today: dt.date, language: Language) -> Case:
    """The case the answers so far describe; what is not asked yet is unknown."""

    def flag(key: str) -> bool | None:
        value = answers.get(key)
        return value if isinstance(value, bool) else None

    def number(key: str) -> int | None:
        value = answers.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    onset = answers.get("onset")
    opioid_since = answers.get("opioid_since")
    leg_pain = number("leg_pain")
    symptoms = Symptoms(
        # Before the scope question is answered the case says "below_knee", the reading that
        # keeps it in scope: so no scope finding can appear beside the alarm answers, and the
        # partial case is judged on its alarms exactly as a full one would be.
        leg_pain_reaches=cast(LegPainReach, answers.get("leg_pain_reaches", "below_knee")),
        # An alarm question not asked yet stays None, "don't know": never read as "no".
        saddle_numbness=flag("saddle_numbness"),
        incontinence=flag("incontinence"),
        urinary_retention=flag("urinary_retention"),
        weakness=cast(Weakness | None, answers.get("weakness")),
        weakness_severe=flag("weakness_severe"),
        both_legs=flag("both_legs"),
        back_pain=(number("back_pain") or 0) > 0,
        sleep_disturbed=flag("sleep_disturbed") is True,
        red_flags=RedFlags(**{f.name: flag(f.name) is True for f in fields(RedFlags)}),
    )
    diary: tuple[DiaryEntry, ...] = ()
    if leg_pain is not None:
        diary = (
            DiaryEntry(
                date=today,
                leg_pain=leg_pain,
                back_pain=number("back_pain"),
                pain_tolerable=flag("pain_tolerable"),
                painkillers_as_scheduled=flag("painkillers_as_scheduled"),
                paracetamol_mg=number("paracetamol_mg"),
                hours_lying_daytime=_hours(number("hours_lying")),
            ),
        )
    return Case(
        today=today,
        symptoms=symptoms,
        language=language,
        patient=Patient(age=number("age")),
        onset=onset if isinstance(onset, dt.date) else None,
        diary=diary,
        medication=Medication(
            step=number("medication_step") or 0,
            opioid_since=opioid_since if isinstance(opioid_since, dt.date) else None,
        ),
    )


def _hours(value: int | None) -> float | None:
    return None if value is None else float(value)


def show(console: Console, texts: Questionnaire, result: Assessment) -> None:
    """The triage first, then why, then the advice, then the safety net."""
    colour = COLOURS[result.triage]
    title = f"{texts.text('level_' + result.triage.code)} – {texts.text('result_title')}"
    console.print()
    console.print(
        Panel(
            Text(result.triage_text, style=f"bold {colour}"),
            title=Text(title, style=f"bold {colour}"),
            border_style=colour,
        )
    )
    if result.days_since_onset is not None:
        console.print(texts.text("days", days=result.days_since_onset), markup=False)
    findings, advice = list(result.findings), list(result.advice)
    if result.triage is Triage.EMERGENCY:
        # An emergency ends the questions early, so the case still reads "don't know" and "no
        # painkillers" for what was never asked. What follows from those placeholders would be
        # about questions the person did not see: show only what to do now and why.
        findings = [f for f in findings if f.triage is Triage.EMERGENCY]
        advice = []
    source = texts.text("source")
    _section(console, texts.text("findings_title"), [(f.text, f.source) for f in findings], source)
    tips = [(a.text, a.source) for a in advice if a.code != "SAFETY_NET"]
    _section(console, texts.text("advice_title"), tips, source)
    safety = [(a.text, a.source) for a in advice if a.code == "SAFETY_NET"]
    _section(console, texts.text("safety_title"), safety, source)


def _section(console: Console, title: str, items: list[tuple[str, str]], source: str) -> None:
    if not items:
        return
    console.print()
    console.print(title, style="bold underline", markup=False)
    for text, where in items:
        console.print(Text("• ").append(text).append(f" ({source}: {where})", style="dim"))


def _save(console: Console, texts: Questionnaire, path: Path, case: Case) -> None:
    data = json.dumps(case_to_dict(case), indent=2, ensure_ascii=False)
    try:
        path.write_text(data + "\n", encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        console.print(texts.text("save_failed", path=path, reason=reason), markup=False)
        raise typer.Exit(1) from None
    console.print()
    console.print(texts.text("saved", path=path), markup=False)
