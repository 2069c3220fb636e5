"""SDC-style Questionnaires from ``content/questionnaire.toml``, and the diary day as a
QuestionnaireResponse (both ways).

One source for the terminal, the web and FHIR: the question texts and answer labels
come from ``rughernia.content.questionnaire``; the few diary fields that file has no
question for yet take their text from ``texts.toml`` ([questions]). The linkIds are
the field names of the contract (``contract/case.schema.json``): a diary item's
linkId is the diary entry's field, so a problem the contract finds names the linkId.

"Don't know" is an answer option (data-absent-reason ``asked-unknown``); in a diary
entry it is the same as no answer (the field is left out), never "no".
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from rughernia.content import questionnaire as qcontent
from rughernia.content.questionnaire import Language
from rughernia.contract.case import DiaryEntryModel
from rughernia.contract.messages import problems_of
from rughernia.interop import codes, fhir_shapes
from rughernia.interop.errors import ResponseInvalid
from rughernia.interop.questionnaire_items import (
    DIARY,
    DIARY_BY_ID,
    DIARY_QUESTIONS,
    DiaryItem,
    Kind,
    answer_coding,
    canonical,
    diary_item,
    intake_item,
    version,
)
from rughernia.interop.texts import text
from rughernia.pathway import answers


def questionnaire(kind: Kind, lang: Language) -> dict[str, Any]:
    """The intake or the diary Questionnaire in one language (valid R4B: the tests check)."""
    content = qcontent.load(lang)
    if kind == "diary":
        items = [diary_item(item, lang) for item in DIARY]
    else:
        sections: dict[str, list[dict[str, Any]]] = {}
        for q in content.questions.values():
            if q.id not in DIARY_QUESTIONS:
                sections.setdefault(q.section, []).append(intake_item(q))
        items = [
            {
                "linkId": section,
                "text": content.ui.get(f"section_{section}", section),
                "type": "group",
                "item": entries,
            }
            for section, entries in sections.items()
        ]
    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"rughernia-{kind}-{lang}",
        "language": lang,
        "url": canonical(kind, lang),
        "version": version(),
        "name": f"Rughernia{kind.capitalize()}{lang.upper()}",
        "title": text("label", f"questionnaire_{kind}", lang),
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }
    return data


def _answer(item: DiaryItem, value: Any, lang: Language) -> dict[str, Any]:
    if item.type == "choice":
        return {"valueCoding": answer_coding(value, _labels(item.link_id, lang)[value])}
    if item.type == "text":
        return {_VALUE_KEY[item.type][0]: codes.fhir_string(value)}
    return {_VALUE_KEY[item.type][0]: value}


@cache
def _labels(link_id: str, lang: Language) -> dict[Any, str]:
    """The answer labels of a diary choice, by value (a year's export asks 700 times)."""
    return {o.value: o.label for o in _content_options(DIARY_BY_ID[link_id], lang)}


@cache
def _item_texts(lang: Language) -> dict[str, str]:
    """The text of every diary item in ``lang``: the same for each day of a Bundle."""
    return {item.link_id: diary_item(item, lang)["text"] for item in DIARY}


def _content_options(item: DiaryItem, lang: Language) -> tuple[qcontent.Option, ...]:
    q = qcontent.load(lang).questions.get(item.content_id or "")
    return q.options if q is not None else ()


def diary_response(entry: dict[str, Any], patient_ref: str, lang: Language) -> dict[str, Any]:
    """One diary day (contract diary entry JSON) as a QuestionnaireResponse.

    A field that is absent or null is left out (for the choices: not answered, or
    "don't know"); the answer labels are in ``lang``, as the questions are. Plain JSON,
    not built with the fhir.resources models; that it is valid R4B the tests check
    (``tests/interop/test_questionnaires.py``, 500 generated days).
    """
    return response_data(entry, patient_ref, lang)


def response_data(entry: dict[str, Any], patient_ref: str, lang: Language) -> dict[str, Any]:
    """The QuestionnaireResponse of ``diary_response`` (the Bundle's are these too)."""
    items = []
    texts = _item_texts(lang)
    for item in DIARY:
        value = entry.get(item.link_id)
        if value is None or value == "":  # FHIR has no empty strings: an empty note is none
            continue
        answer = _answer(item, value, lang)
        items.append({"linkId": item.link_id, "text": texts[item.link_id], "answer": [answer]})
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "language": lang,
        "questionnaire": f"{canonical('diary', lang)}|{version()}",
        "status": "completed",
        "subject": {"reference": patient_ref},
        "authored": str(entry["date"]),
        "item": items,
    }
    return data


def diary_entry_from_response(qr: Any) -> dict[str, Any]:
    """A QuestionnaireResponse of our diary questionnaire as a contract diary entry.

    Raises ResponseInvalid naming the linkId of every item that is wrong.
    """
    if not isinstance(qr, dict) or qr.get("resourceType") != "QuestionnaireResponse":
        raise ResponseInvalid([("", "must be a FHIR QuestionnaireResponse (a JSON object)")])
    try:
        fhir_shapes.check_resource(qr, "QuestionnaireResponse")
    except fhir_shapes.ShapeError as exc:
        raise ResponseInvalid([_fhir_problem(qr, loc, msg) for loc, msg in exc.errors]) from None
    return entry_from_validated(qr)


def entry_from_validated(qr: dict[str, Any], *, check: bool = True) -> dict[str, Any]:
    """``diary_entry_from_response`` for a response whose shape is checked already
    (``fhir_shapes.check_resource``). ``check=False``: the entry is not yet checked by
    the contract; the caller checks many at once (``check_entries``)."""
    problems: list[tuple[str, str]] = []
    url = str(qr.get("questionnaire", "")).split("|")[0]
    if url not in {canonical("diary", "nl"), canonical("diary", "en")}:
        problems.append(("questionnaire", f"{url!r} is not the Rughernia diary"))
    if qr.get("status") not in ("completed", "amended"):
        problems.append(("status", f"{qr.get('status')!r}: only a completed diary day is read"))
    entry: dict[str, Any] = {}
    for raw in qr.get("item", []):
        link = raw.get("linkId", "")
        item = DIARY_BY_ID.get(link)
        if item is None:
            problems.append((link, "is not an item of the diary questionnaire"))
        elif link in entry:
            problems.append((link, "is answered twice; one item per question"))
        elif raw.get("item"):
            problems.append((link, "has nested items; the diary has none"))
        elif len(raw.get("answer", [])) > 1:
            problems.append((link, "has more than one answer"))
        elif raw.get("answer"):
            try:
                value = _value(item, raw["answer"][0])
            except ValueError as exc:
                problems.append((link, str(exc)))
                continue
            entry[link] = value
    if problems:
        raise ResponseInvalid(problems)
    out = {k: v for k, v in entry.items() if v is not None}
    if check and (wrong := check_entries([out])):
        raise ResponseInvalid(wrong[0])
    return {item.link_id: out[item.link_id] for item in DIARY if item.link_id in out}


def intake_answers(qr: dict[str, Any], known: frozenset[str]) -> tuple[dict[str, Any], int]:
    """The answers of an intake QuestionnaireResponse (shape checked) to the questions in
    ``known``, by question, and how many of its answered items could not be read.

    Lenient, for an EHR's data: an item of a question we do not read is passed over (the
    caller says so on the card), never guessed. "Don't know" is None, never "no".
    """
    found: dict[str, Any] = {}
    unread = 0
    stack = list(qr.get("item", []))
    while stack:
        item = stack.pop()
        stack += item.get("item", [])
        given = item.get("answer", [])
        if not given:
            continue
        link = item.get("linkId", "")
        value = _intake_value(given[0]) if link in known and len(given) == 1 else _UNREAD
        if value is _UNREAD or value not in answers.order(link):  # not an answer it has
            unread += 1
        else:  # the same question twice in one response: the more urgent answer
            found[link] = answers.more_urgent(link, found[link], value) if link in found else value
    return found, unread


_UNREAD = object()


def _intake_value(answer: dict[str, Any]) -> Any:
    if isinstance(answer.get("valueBoolean"), bool):
        return answer["valueBoolean"]
    c = answer.get("valueCoding") or {}
    system, code = c.get("system"), c.get("code")
    if system == codes.YES_NO and code in ("Y", "N"):
        return code == "Y"
    if system == codes.DATA_ABSENT and code == "asked-unknown":
        return None
    if system == codes.ANSWER_SYSTEM and isinstance(code, str):
        return code
    return _UNREAD


_ENTRIES = TypeAdapter(list[DiaryEntryModel])


def check_entries(entries: list[dict[str, Any]]) -> dict[int, list[tuple[str, str]]]:
    """The contract's problems with each diary entry, by its index (none: all are fine).

    One validation for a year of days: one per day was a fifth of a CDS call.
    """
    try:
        _ENTRIES.validate_json(json.dumps(entries))
    except ValidationError as exc:
        out: dict[int, list[tuple[str, str]]] = {}
        for error in exc.errors():
            index, *rest = error["loc"]
            for p in problems_of([{**error, "loc": tuple(rest)}]):
                out.setdefault(int(index), []).append((p.path, p.message))
        return out
    return {}


_VALUE_KEY = {
    "date": ("valueDate", "a date (valueDate)"),
    "integer": ("valueInteger", "a whole number (valueInteger)"),
    "decimal": ("valueDecimal", "a number (valueDecimal)"),
    "boolean": ("valueBoolean", "true or false (valueBoolean)"),
    "text": ("valueString", "text (valueString)"),
    "choice": ("valueCoding", "one of the answer options (valueCoding)"),
}


def _value(item: DiaryItem, answer: dict[str, Any]) -> Any:
    key, wanted = _VALUE_KEY[item.type]
    if item.type == "decimal" and "valueInteger" in answer:
        key = "valueInteger"
    if key not in answer:
        raise ValueError(f"needs {wanted}")
    value = answer[key]
    if item.type == "choice":
        for option in _content_options(item, "nl"):
            c = answer_coding(option.value, "")
            if value.get("system") == c["system"] and value.get("code") == c["code"]:
                return option.value
        raise ValueError(f"{value.get('code')!r} is not one of the answer options")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if item.type in ("integer", "decimal") and not number:
        raise ValueError(f"needs {wanted}")
    if item.type == "integer" and not isinstance(value, int):
        raise ValueError(f"{value} is not a whole number")
    if item.type == "text":
        # As ``_answer`` writes it: what is stored is what is sent back, so a day sent
        # back as it came changes nothing (a no-break space would become a space).
        return codes.fhir_string(value)
    return value


def _fhir_problem(qr: dict[str, Any], loc: fhir_shapes.Loc, msg: str) -> tuple[str, str]:
    """A problem of the shape, named by the linkId of the item it is in where it can be."""
    items = qr.get("item")
    if len(loc) >= 2 and loc[0] == "item" and isinstance(loc[1], int) and isinstance(items, list):
        try:
            link = str(items[loc[1]].get("linkId", f"item[{loc[1]}]"))
        except (IndexError, AttributeError):
            link = f"item[{loc[1]}]"
        rest = fhir_shapes.where(loc[2:])
        return link, f"{rest}: {msg}" if rest else msg
    return fhir_shapes.where(loc), msg
