"""A diary day as a FHIR QuestionnaireResponse, both ways, through the diary's own use cases.

Reading is ``diary.day`` (same access, same audit ``diary.read``); storing is
``diary.save_day`` (same checks, lock, re-assessment, audit ``diary.write``,
idempotent by date). Only the shape differs: the mapping is ``interop.questionnaires``,
and its problems name the item's ``linkId``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care import diary
from rughernia.care.access import Actor
from rughernia.care.errors import Invalid, invalid
from rughernia.content.questionnaire import Language
from rughernia.interop import ResponseInvalid
from rughernia.interop.questionnaire_items import canonical
from rughernia.interop.questionnaires import diary_entry_from_response, diary_response
from rughernia.pathway.checks import Problem

# A reference to a Patient on a FHIR server, relative or absolute: ``Patient/7``.
_PATIENT_REF = re.compile(r"(?:^|/)Patient/([^/]+)$")


def subject(patient_id: int) -> str:
    return f"Patient/{patient_id}"


def day_response(
    session: Session,
    actor: Actor,
    patient_id: int,
    date: dt.date,
    lang: Language | None,
    *,
    at: dt.datetime,
) -> dict[str, Any]:
    """The stored entry of ``date`` as a QuestionnaireResponse, in ``lang`` or the patient's."""
    entry, language = diary.day_and_language(session, actor, patient_id, date, at=at)
    chosen: Language = lang or ("en" if language == "en" else "nl")
    return diary_response(entry, subject(patient_id), chosen)


def store_response(
    session: Session,
    actor: Actor,
    patient_id: int,
    qr: Any,
    *,
    today: dt.date,
    at: dt.datetime,
) -> tuple[diary.SavedDay, dict[str, Any]]:
    """Store the day a QuestionnaireResponse of our diary describes, as the diary PUT does.

    Returns the saved day and the response as stored (in the response's language).
    """
    try:
        entry = diary_entry_from_response(qr)
    except ResponseInvalid as exc:
        problems = [Problem(link or "body", message) for link, message in exc.problems]
        raise Invalid(problems, "The QuestionnaireResponse has invalid items") from None
    ref = (qr.get("subject") or {}).get("reference")
    found = _PATIENT_REF.search(ref) if isinstance(ref, str) else None
    if found is not None and found.group(1) != str(patient_id):
        raise invalid(
            "subject", f"names another patient; use {subject(patient_id)} or leave it out"
        )
    if "date" not in entry:
        raise invalid("date", "is required: the day this diary entry is about")
    date = dt.date.fromisoformat(str(entry["date"]))
    saved = diary.save_day(session, actor, patient_id, date, entry, today=today, at=at)
    # The answer's language: the response's own, else the questionnaire's it answers.
    named = qr.get("language")
    url = str(qr.get("questionnaire", "")).split("|")[0]
    english = named == "en" or (named != "nl" and url == canonical("diary", "en"))
    lang: Language = "en" if english else "nl"
    return saved, diary_response(saved.entry, subject(patient_id), lang)
