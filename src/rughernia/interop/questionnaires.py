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
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from rughernia.content import questionnaire as qcontent
from rughernia.content.questionnaire import Language
from rughernia.contract.case import DiaryEntryModel
from rughernia.contract.messages import problems_of
from rughernia.interop import codes
from rughernia.interop.errors import ResponseInvalid, validation_errors
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


def questionnaire(kind: Kind, lang: Language) -> dict[str, Any]:
    """The intake or the diary Questionnaire in one language, validated (FHIR R4B models)."""
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
    Questionnaire.model_validate(data)
    return data


def _answer(item: DiaryItem, value: Any, lang: Language) -> dict[str, Any]:
    if item.type == "choice":
        labels = {o.value: o.label for o in _content_options(item, lang)}
        return {"valueCoding": answer_coding(value, labels[value])}
    if item.type == "text":
        return {_VALUE_KEY[item.type][0]: codes.fhir_string(value)}
    return {_VALUE_KEY[item.type][0]: value}


def _content_options(item: DiaryItem, lang: Language) -> tuple[qcontent.Option, ...]:
    q = qcontent.load(lang).questions.get(item.content_id or "")
    return q.options if q is not None else ()


def diary_response(entry: dict[str, Any], patient_ref: str, lang: Language) -> dict[str, Any]:
    """One diary day (contract diary entry JSON) as a QuestionnaireResponse, validated.

    A field that is absent or null is left out (for the choices: not answered, or
    "don't know"); the answer labels are in ``lang``, as the questions are.
    """
    data = response_data(entry, patient_ref, lang)
    QuestionnaireResponse.model_validate(data)
    return data


def response_data(entry: dict[str, Any], patient_ref: str, lang: Language) -> dict[str, Any]:
    """The QuestionnaireResponse of ``diary_response``, not validated (the Bundle is)."""
    items = []
    for item in DIARY:
        value = entry.get(item.link_id)
        if value is None or value == "":  # FHIR has no empty strings: an empty note is none
            continue
        answer = _answer(item, value, lang)
        items.append(
            {"linkId": item.link_id, "text": diary_item(item, lang)["text"], "answer": [answer]}
        )
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
        QuestionnaireResponse.model_validate(qr)
    except ValueError as exc:
        raise ResponseInvalid([_fhir_problem(qr, e) for e in validation_errors(exc)]) from None
    return entry_from_validated(qr)


def entry_from_validated(qr: dict[str, Any]) -> dict[str, Any]:
    """``diary_entry_from_response`` for a response the R4B models have validated already."""
    problems: list[tuple[str, str]] = []
    url = str(qr.get("questionnaire", "")).split("|")[0]
    if url not in {canonical("diary", "nl"), canonical("diary", "en")}:
        problems.append(("", f"questionnaire {url!r} is not the Rughernia diary"))
    if qr.get("status") not in ("completed", "amended"):
        problems.append(("", f"status {qr.get('status')!r}: only a completed diary day is read"))
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
    try:
        DiaryEntryModel.model_validate_json(json.dumps(out))
    except ValueError as exc:
        found = problems_of(validation_errors(exc))
        raise ResponseInvalid([(p.path, p.message) for p in found]) from None
    return {item.link_id: out[item.link_id] for item in DIARY if item.link_id in out}


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
    return value


def _fhir_problem(qr: dict[str, Any], error: Any) -> tuple[str, str]:
    """A FHIR validation error, named by the linkId of the item it is in where it can be."""
    loc = tuple(error["loc"])
    items = qr.get("item")
    if len(loc) >= 2 and loc[0] == "item" and isinstance(loc[1], int) and isinstance(items, list):
        try:
            link = str(items[loc[1]].get("linkId", f"item[{loc[1]}]"))
        except (IndexError, AttributeError):
            link = f"item[{loc[1]}]"
        rest = ".".join(str(p) for p in loc[2:])
        return link, f"{rest}: {error['msg']}" if rest else str(error["msg"])
    return ".".join(str(p) for p in loc), str(error["msg"])
