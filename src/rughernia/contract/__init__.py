"""The shared contract (``shared/contract/``) as Pydantic v2 models.

Raw input (JSON from the CLI, the API, a file) becomes a pathway ``Case`` only
through ``parse_case`` / ``parse_case_json``; ``case_to_dict`` writes a Case back.
"""

from rughernia.contract.assessment import AssessmentModel
from rughernia.contract.case import (
    NO_ALARM_SYMPTOMS,
    CaseModel,
    DiaryEntryModel,
    MedicationModel,
    PatientModel,
    RedFlagsModel,
    SymptomsModel,
)
from rughernia.contract.parse import CaseInvalid, case_to_dict, parse_case, parse_case_json, to_case

__all__ = [
    "NO_ALARM_SYMPTOMS",
    "AssessmentModel",
    "CaseInvalid",
    "CaseModel",
    "DiaryEntryModel",
    "MedicationModel",
    "PatientModel",
    "RedFlagsModel",
    "SymptomsModel",
    "case_to_dict",
    "parse_case",
    "parse_case_json",
    "to_case",
]
