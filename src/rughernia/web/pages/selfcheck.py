"""The self-check (no account, nothing stored): the questions of ``rughernia check``.

One question a screen, alarm questions first (the order is ``care.selfcheck``'s).
The answers so far travel in the form as hidden fields, so it works without
JavaScript and without a session. After every answer the case so far is assessed;
an emergency ends the check at once on the emergency screen.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse

from rughernia.care import selfcheck
from rughernia.content.questionnaire import Answer, Questionnaire, Reask
from rughernia.content.questionnaire import load as load_questionnaire
from rughernia.pathway import Triage
from rughernia.web.pages import answers as answers_
from rughernia.web.pages.frame import Page, PageCtx, shown, takes_form

router = APIRouter()


def _answers(
    texts: Questionnaire, form: FormData, page: Page
) -> tuple[dict[str, Answer], dict[str, str]]:
    """The earlier answers (hidden fields ``a.<id>``), and their raw values to send on."""
    answers: dict[str, Answer] = {}
    raw: dict[str, str] = {}
    for qid in selfcheck.ORDER:
        value = form.get(f"a.{qid}")
        if not isinstance(value, str) or qid not in texts.questions:
            continue
        try:
            answers[qid] = answers_.read(texts, texts.questions[qid], value, page.ctx.today)
        except Reask:
            continue  # a tampered hidden field: the question is asked again
        raw[qid] = value
    return answers, raw


@router.get("/selfcheck", response_class=HTMLResponse)
def start(page: PageCtx) -> HTMLResponse:
    texts = load_questionnaire(page.lang)
    first = selfcheck.next_question({}, page.ctx.today)
    assert first is not None
    return _ask(page, texts, first, {}, {})


@router.post("/selfcheck", response_class=HTMLResponse)
@takes_form
async def answer(page: PageCtx) -> HTMLResponse:
    form = await page.form()
    texts = load_questionnaire(page.lang)
    answers, raw = _answers(texts, form, page)
    qid = str(form.get("qid") or "")
    if form.get("go") == "back":
        if raw:
            last = list(raw)[-1]
            answers.pop(last)
            raw.pop(last)
        return _ask(page, texts, selfcheck.next_question(answers, page.ctx.today), answers, raw)
    expected = selfcheck.next_question(answers, page.ctx.today)
    if qid == expected and expected is not None:
        question = texts.questions[qid]
        value = answers_.submitted(form, "answer", question)
        if not value:
            return _ask(page, texts, qid, answers, raw, error=answers_.missing(page.lang, question))
        try:
            answers[qid] = answers_.read(texts, question, value, page.ctx.today)
        except Reask as problem:
            return _ask(page, texts, qid, answers, raw, error=str(problem), typed=value)
        raw[qid] = value
        _, result = selfcheck.result(answers, page.ctx.today, texts.language)
        if result.triage is Triage.EMERGENCY:
            return page.render("emergency.html", assessment=shown(result))
    return _ask(page, texts, selfcheck.next_question(answers, page.ctx.today), answers, raw)


def _ask(
    page: Page,
    texts: Questionnaire,
    qid: str | None,
    answers: dict[str, Answer],
    raw: dict[str, str],
    *,
    error: str | None = None,
    typed: str = "",
) -> HTMLResponse:
    if qid is None:
        _, result = selfcheck.result(answers, page.ctx.today, texts.language)
        return page.render("selfcheck_result.html", assessment=shown(result))
    question = texts.questions[qid]
    return page.render(
        "selfcheck_question.html",
        status=422 if error else 200,
        question=question,
        section=texts.text(f"section_{question.section}"),
        number=len(raw) + 1,
        raw=raw,
        error=error,
        typed=typed,
        today=page.ctx.today.isoformat(),
    )
