"""The stored record through the pathway: build the case, let ``assess()`` decide, store it.

No clinical logic here: the case is the stored record as contract JSON, and
every triage and finding comes from ``rughernia.pathway.assess``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from rughernia.content import load
from rughernia.contract import CaseInvalid, parse_case
from rughernia.pathway import Case, assess
from rughernia.store import assessments, record
from rughernia.store.assessments import Stored
from rughernia.store.tables import AlarmAck
from rughernia.web.problems import ApiError


def store(session: Session, patient_id: int, case: Case, cause: str) -> Stored:
    """Assess an already validated case of this patient's record and store the result."""
    result = assess(case, load()).to_dict()
    return assessments.add_assessment(session, patient_id, case.today, result, cause)


def assess_stored(
    session: Session, patient_id: int, today: dt.date, language: str
) -> dict[str, Any] | None:
    """The assessment of the stored record as of ``today``; None without an intake."""
    data = record.case_data(session, patient_id, today, language)
    if data is None:
        return None
    try:
        case = parse_case(data)
    except CaseInvalid as exc:
        # Stored data that no longer makes a valid case (e.g. the clock went back):
        # say so plainly rather than guess; the record itself is untouched.
        raise ApiError(
            409,
            "record-not-assessable",
            "The stored record cannot be assessed as it is",
            str(exc),
        ) from None
    return assess(case, load()).to_dict()


def assess_and_store(
    session: Session, patient_id: int, today: dt.date, language: str, cause: str
) -> tuple[Stored, AlarmAck | None] | None:
    """Assess the stored record as of ``today``; None without an intake.

    The result is stored unless the newest stored assessment is this same
    assessment of the same day: then that one (and its acknowledgement) is the
    answer, so looking at an unchanged record adds nothing to its history.
    """
    result = assess_stored(session, patient_id, today, language)
    if result is None:
        return None
    same = assessments.latest_matching(session, patient_id, today, result)
    if same is not None:
        return same
    return assessments.add_assessment(session, patient_id, today, result, cause), None
