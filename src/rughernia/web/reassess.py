"""The stored record through the pathway: build the case, let ``assess()`` decide, store it.

No clinical logic here: the case is the stored record as contract JSON, and
every triage and finding comes from ``rughernia.pathway.assess``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.content import load
from rughernia.contract import CaseInvalid, parse_case
from rughernia.pathway import Case, assess
from rughernia.store import assessments, record
from rughernia.store.tables import AssessmentRow, PatientRow
from rughernia.web.problems import ApiError


def store(session: Session, patient: PatientRow, case: Case, cause: str) -> AssessmentRow:
    """Assess an already validated case of this patient's record and store the result."""
    result = assess(case, load()).to_dict()
    return assessments.add_assessment(session, patient.id, case.today, result, cause)


def assess_and_store(
    session: Session,
    patient: PatientRow,
    today: dt.date,
    cause: str,
    language: str | None = None,
) -> AssessmentRow | None:
    """Assess the stored record as of ``today`` and store the result; None without an intake."""
    data = record.case_data(session, patient.id, today, language or patient.language)
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
    return store(session, patient, case, cause)
