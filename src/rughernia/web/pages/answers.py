"""Questions of ``content/questionnaire.toml`` as form fields, and their answers read back.

A choice is sent as its position among the options, a number or a date as typed; a
"don't know" box stands beside every number and date. Used by the self-check, the
intake and the diary, so every surface asks a question the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.datastructures import FormData

from rughernia.content.questionnaire import (
    Answer,
    Question,
    Questionnaire,
    Reask,
    whole_number,
)
from rughernia.web.pages.render import Lang, tr

DONT_KNOW = "?"


def read(texts: Questionnaire, question: Question, raw: str, today: dt.date) -> Answer:
    """A submitted value: a choice by its position, a number or a date as typed."""
    if question.kind == "choice":
        position = whole_number(raw, len(question.options) - 1)
        if position is not None:
            return question.options[position].value
        raise Reask(texts.text("reask_choice"))
    if raw == DONT_KNOW:
        return None
    return texts.read(question, raw, today)


def missing(lang: Lang, question: Question) -> str:
    if question.kind == "choice":
        return tr(lang, "Choose one of the answers.")
    return tr(lang, "Fill in an answer, or choose 'don't know'.")


def submitted(form: FormData, name: str, question: Question) -> str:
    """The raw value of one question's field (its "don't know" box wins)."""
    if question.kind != "choice" and form.get(f"{name}.dont_know"):
        return DONT_KNOW
    return str(form.get(name) or "").strip()


@dataclass(slots=True)
class Filled:
    answers: dict[str, Answer]
    raw: dict[str, str]  # what was sent, to show again
    errors: dict[str, str]


def read_all(
    texts: Questionnaire,
    form: FormData,
    ids: Iterable[str],
    today: dt.date,
    lang: Lang,
    *,
    optional: Iterable[str] = (),
) -> Filled:
    """Every question of ``ids`` read from the form; a message per missing or bad answer."""
    out = Filled({}, {}, {})
    may_skip = set(optional)
    for qid in ids:
        question = texts.questions[qid]
        value = submitted(form, qid, question)
        out.raw[qid] = value
        if not value:
            if qid not in may_skip:
                out.errors[qid] = missing(lang, question)
            continue
        try:
            out.answers[qid] = read(texts, question, value, today)
        except Reask as problem:
            out.errors[qid] = str(problem)
    return out
