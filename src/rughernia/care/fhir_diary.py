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
from rughernia.interop import ResponseInvalid, codes
from rughernia.interop.questionnaire_items import canonical
from rughernia.interop.questionnaires import diary_entry_from_response, diary_response
from rughernia.pathway.checks import Problem

# A reference to a Patient on a FHIR server, relative or absolute, of the current or of
# one version: ``Patient/7``, ``https://host/fhir/Patient/7/_history/2``.
_PATIENT_REF = re.compile(r"(?:^|/)Patient/([^/]+)(?:/_history/[^/]+)?$")


def subject(patient_id: int) -> str:
    return f"Patient/{patient_id}"


def _check_subject(given: Any, patient_id: int) -> None:
    """A subject must be this patient, by reference or by our identifier, or be left out.

    One we cannot match (a Group, a contained or urn:uuid reference, another system's
    identifier, a display alone) is refused like one naming another patient: a diary day
    stored on the wrong patient is worse than one sent again without its subject.
    """
    if given is None:
        return
    ours = str(patient_id)
    hint = f"use {subject(patient_id)} or leave it out"
    ref, ident = given.get("reference"), given.get("identifier")
    if ref is None and ident is None:
        raise invalid("subject", f"names no patient we can match; {hint}")
    if given.get("type", "Patient") != "Patient":
        raise invalid("subject", f"is not a Patient; {hint}")
    if ref is not None:
        found = _PATIENT_REF.search(ref)
        if found is None:
            raise invalid("subject", f"{ref!r} is no Patient reference we can match; {hint}")
        if found.group(1) != ours:
            raise invalid("subject", f"names another patient; {hint}")
    if ident is not None and (
        ident.get("system") != codes.PATIENT_ID_SYSTEM or ident.get("value") != ours
    ):
        raise invalid(
            "subject", f"identifier is not this patient's {codes.PATIENT_ID_SYSTEM}; {hint}"
        )


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
    _check_subject(qr.get("subject"), patient_id)
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
