"""The shapes the operations take and hand back, named here for the surfaces.

They are the store's own plain data and rows (no copy per request: the hot
paths build no second object); a surface renders them and never imports the
store itself.
"""

from rughernia.store.accounts import SignedIn
from rughernia.store.assessments import Stored
from rughernia.store.audit import Actor
from rughernia.store.record import Patient
from rughernia.store.tables import (
    MAX_ID,
    AlarmAck,
    AssessmentRow,
    AuditRow,
    ClinicalNote,
    FindingAck,
    MedicationChange,
    PatientRow,
    Team,
    User,
)

__all__ = [
    "MAX_ID",
    "Actor",
    "AlarmAck",
    "AssessmentRow",
    "AuditRow",
    "ClinicalNote",
    "FindingAck",
    "MedicationChange",
    "Patient",
    "PatientRow",
    "SignedIn",
    "Stored",
    "Team",
    "User",
]
