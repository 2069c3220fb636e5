"""The items of the Questionnaires: which fields, which types, their texts.

The texts and answer options come from ``content/questionnaire.toml``; the diary
fields that file has no question for take theirs from ``texts.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from rughernia.content import questionnaire as qcontent
from rughernia.content.questionnaire import Language, Value
from rughernia.interop import codes
from rughernia.interop.texts import text

Kind = Literal["intake", "diary"]
ItemType = Literal["date", "integer", "decimal", "boolean", "choice", "text"]

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
NOTE_MAX = 2000


@dataclass(frozen=True, slots=True)
class DiaryItem:
    link_id: str  # the diary entry's field
    type: ItemType
    content_id: str | None  # the question in content/questionnaire.toml, if it has one
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None


DIARY: tuple[DiaryItem, ...] = (
    DiaryItem("date", "date", None, required=True),
    DiaryItem("leg_pain", "integer", "leg_pain", required=True, minimum=0, maximum=10),
    DiaryItem("back_pain", "integer", "back_pain", minimum=0, maximum=10),
    DiaryItem("pain_tolerable", "choice", "pain_tolerable"),
    DiaryItem("painkillers_as_scheduled", "choice", "painkillers_as_scheduled"),
    DiaryItem("paracetamol_mg", "integer", None, minimum=0, maximum=20000, unit="mg"),
    DiaryItem("nsaid_taken", "boolean", None),
    DiaryItem("opioid_taken", "boolean", None),
    DiaryItem("hours_lying_daytime", "decimal", "hours_lying", minimum=0, maximum=24),
    DiaryItem("exercised", "boolean", None),
    DiaryItem("note", "text", None),
)
DIARY_BY_ID = {item.link_id: item for item in DIARY}

# The intake: every content question but the diary day's, grouped by section.
DIARY_QUESTIONS = frozenset(
    {
        "leg_pain",
        "back_pain",
        "hours_lying",
        "painkillers_as_scheduled",
        "pain_tolerable",
        "paracetamol_tablets",
    }
)


def canonical(kind: Kind, lang: Language) -> str:
    return f"{codes.QUESTIONNAIRE_BASE}/rughernia-{kind}-{lang}"


@cache
def version() -> str:
    return str(qcontent.raw()["version"])


def answer_coding(value: Value, label: str) -> dict[str, Any]:
    """The Coding of one answer option: HL7 yes/no, "asked-unknown", or our answer code."""
    if value is True:
        return {"system": codes.YES_NO, "code": "Y", "display": label}
    if value is False:
        return {"system": codes.YES_NO, "code": "N", "display": label}
    if value is None:
        return {"system": codes.DATA_ABSENT, "code": "asked-unknown", "display": label}
    return {"system": codes.ANSWER_SYSTEM, "code": str(value), "display": label}


def options(question: qcontent.Question) -> list[dict[str, Any]]:
    return [{"valueCoding": answer_coding(o.value, o.label)} for o in question.options]


def limits(item: dict[str, Any], kind: str, low: int | None, high: int | None) -> None:
    value = "valueDecimal" if kind == "decimal" else "valueInteger"
    ext = []
    if low is not None:
        ext.append({"url": MIN_VALUE, value: low})
    if high is not None:
        ext.append({"url": MAX_VALUE, value: high})
    if ext:
        item["extension"] = ext


def diary_item(item: DiaryItem, lang: Language) -> dict[str, Any]:
    q = qcontent.load(lang).questions.get(item.content_id or "")
    out: dict[str, Any] = {
        "linkId": item.link_id,
        "text": q.text if q is not None else text("questions", item.link_id, lang),
        "type": item.type,
        "required": item.required,
    }
    limits(out, item.type, item.minimum, item.maximum)
    if item.unit is not None:
        unit = {"url": UNIT, "valueCoding": {"system": codes.UCUM, "code": item.unit}}
        out["extension"] = [*out.get("extension", []), unit]
    if item.type == "choice" and q is not None:
        out["answerOption"] = options(q)
    if item.type == "text":
        out["maxLength"] = NOTE_MAX
    return out


def intake_item(q: qcontent.Question) -> dict[str, Any]:
    kind = {"choice": "choice", "date": "date"}.get(q.kind, "decimal" if q.decimals else "integer")
    out: dict[str, Any] = {"linkId": q.id, "text": q.text, "type": kind, "required": False}
    if q.kind == "choice":
        out["answerOption"] = options(q)
        # The alarm questions are asked every time; "don't know" is an answer to them.
        out["required"] = q.section == "alarm"
    if q.kind == "number":
        limits(out, kind, q.minimum, q.maximum)
    return out
