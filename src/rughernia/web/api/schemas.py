"""Request and response shapes of the API, for validation and the OpenAPI document.

Contract shapes (case, diary entry, intake, medication, assessment) reuse
``rughernia.contract``; bodies in those shapes are validated by
``parse_case`` itself so errors carry the contract's field paths.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rughernia.care.accounts import USERNAME_PATTERN
from rughernia.contract import (
    AssessmentModel,
    DiaryEntryModel,
    MedicationModel,
    PatientModel,
    SymptomsModel,
)
from rughernia.contract.assessment import AdviceModel, FindingModel

# The database cannot store NUL characters; the schema says so, so clients can know.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Username = Annotated[str, StringConstraints(pattern=USERNAME_PATTERN)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
NewPassword = Annotated[
    str, StringConstraints(min_length=10, max_length=200, pattern=r"^[^\x00]*$")
]
Language = Literal["nl", "en"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- accounts -----------------------------------------------------------------------


class SignIn(_In):
    username: Annotated[Text, Field(min_length=1, max_length=64)]
    password: Password


class UserOut(BaseModel):
    id: int
    username: str
    role: Literal["patient", "clinician", "admin"]
    display_name: str | None = Field(
        description="null for patient accounts in the admin's list: an admin sees no patient's name"
    )
    teams: list[str]
    patient_id: int | None = None


class SessionOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name, not a secret
    expires_at: dt.datetime
    csrf_token: str = Field(description="send as X-CSRF-Token with cookie-signed writes")
    user: UserOut


class NewUser(_In):
    username: Username
    password: NewPassword
    role: Literal["clinician", "admin"]
    display_name: Annotated[Text, Field(max_length=200)] = ""
    teams: Annotated[
        list[Annotated[Text, Field(min_length=1, max_length=100)]], Field(max_length=50)
    ] = []


class TeamOut(BaseModel):
    id: int
    name: str


class NewTeam(_In):
    name: Annotated[Text, Field(min_length=1, max_length=100)]


class Redeem(_In):
    code: Annotated[Text, Field(min_length=1, max_length=100)]
    username: Username
    password: NewPassword


class PasswordChange(_In):
    current_password: Password
    new_password: NewPassword


class ResetIssued(BaseModel):
    code: str = Field(description="shown once; the user redeems it to set a new password")
    expires_at: dt.datetime
    username: str = Field(description="the account whose password the code sets")


class ResetRedeem(_In):
    code: Annotated[Text, Field(min_length=1, max_length=100)]
    password: NewPassword


# --- patients -----------------------------------------------------------------------


class NewPatient(_In):
    display_name: Annotated[Text, Field(min_length=1, max_length=200)]
    team_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = Field(
        default=None, description="needed when the clinician belongs to more than one team"
    )
    language: Language = "nl"


class AssessmentSummary(BaseModel):
    id: int
    created_at: dt.datetime
    triage: str
    phase: str | None
    acknowledged: bool


class PatientOut(BaseModel):
    id: int
    display_name: str
    team_id: int
    language: Language
    has_account: bool
    created_at: dt.datetime
    latest_assessment: AssessmentSummary | None = None


class PatientCreated(BaseModel):
    patient: PatientOut
    invitation_code: str = Field(description="shown once; the patient redeems it to set a password")
    invitation_expires_at: dt.datetime


class Redeemed(BaseModel):
    user: UserOut


# --- the record ---------------------------------------------------------------------


class DiaryEntryBody(DiaryEntryModel):
    """A diary entry; ``date`` may be left out (the URL names it) and must match if given."""

    date: dt.date | None = None  # type: ignore[assignment]


class IntakeBody(BaseModel):
    """The case's onset, patient and symptoms sections (contract/case.schema.json)."""

    model_config = ConfigDict(extra="forbid")
    onset: dt.date | None = None
    patient: PatientModel | None = None
    symptoms: SymptomsModel


class MedicationBody(MedicationModel):
    """The new medication state, with the reason for the change (kept in the history)."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=r"\S")]


class AckBody(_In):
    note: Annotated[Text, Field(max_length=2000)] = ""


class AckOut(BaseModel):
    by: str
    at: dt.datetime
    note: str


class StoredAssessment(BaseModel):
    id: int
    patient_id: int
    created_at: dt.datetime
    today: dt.date
    cause: str
    assessment: AssessmentModel
    acknowledgement: AckOut | None = None


class AssessmentHistory(BaseModel):
    assessments: list[StoredAssessment]
    next_before_id: int | None = Field(description="pass as before_id for the next page")


class DiaryPut(BaseModel):
    entry: DiaryEntryModel
    created: bool
    assessment: StoredAssessment | None


class DiaryList(BaseModel):
    entries: list[DiaryEntryModel]


class IntakeOut(BaseModel):
    intake: IntakeBody
    assessment: StoredAssessment | None


class MedicationChangeOut(BaseModel):
    medication: MedicationModel
    changed_at: dt.datetime
    changed_by: str
    reason: str


class MedicationOut(BaseModel):
    medication: MedicationModel
    history: list[MedicationChangeOut]
    assessment: StoredAssessment | None


class MedicationPreviewBody(MedicationModel):
    """The proposed medication state; a ``reason`` may be sent along and is not needed."""

    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None


class MedicationPreview(BaseModel):
    """What saving the proposed medication would bring, as of today; nothing is stored."""

    medication: MedicationModel = Field(description="the proposed medication, as stored")
    current: AssessmentModel = Field(description="the assessment with the stored medication")
    proposed: AssessmentModel = Field(description="the assessment with the proposed one")
    new_findings: list[FindingModel] = Field(description="findings of proposed not in current")
    new_advice: list[AdviceModel] = Field(description="advice of proposed not in current")


# --- the clinician's notes and acknowledged findings -----------------------------------

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class NoteBody(_In):
    kind: Literal["note", "mri", "referral"] = Field(
        default="note", description="a note, or that an MRI or a referral was arranged"
    )
    text: Annotated[Text, Field(min_length=1, max_length=2000)]


class NoteOut(BaseModel):
    id: int
    patient_id: int
    kind: Literal["note", "mri", "referral"]
    text: str
    by: str
    at: dt.datetime


class NoteList(BaseModel):
    notes: list[NoteOut] = Field(description="newest first")


class FindingAckBody(_In):
    code: Annotated[Text, Field(min_length=1, max_length=64)] = Field(
        description="a finding of the assessment as of today (never an alarm or fever, or a "
        "paracetamol finding)"
    )
    until: Annotated[
        str, StringConstraints(pattern=DATE_PATTERN), Field(json_schema_extra={"format": "date"})
    ] = Field(description="the review date, YYYY-MM-DD: after today, at most 365 days ahead")
    note: Annotated[Text, Field(min_length=1, max_length=1000)] = Field(
        description="what was done, and why the finding may wait"
    )


class FindingAckOut(BaseModel):
    id: int
    patient_id: int
    code: str
    until: dt.date
    note: str
    by: str
    at: dt.datetime
    in_force: bool = Field(
        description="up to and including until, and nothing in the record changed since"
    )


class FindingAckList(BaseModel):
    acknowledgements: list[FindingAckOut] = Field(description="newest first")


class AccessLogEntry(BaseModel):
    at: dt.datetime
    who: str = Field(
        description="the username, or for a refused outsider only a role, e.g. 'a patient'"
    )
    username: str | None
    role: str | None
    action: str
    outcome: str


class AccessLog(BaseModel):
    entries: list[AccessLogEntry]


class Export(BaseModel):
    """Everything stored about the patient (GDPR art. 15 and 20)."""

    exported_at: dt.datetime
    patient: dict[str, Any]
    intake: dict[str, Any] | None
    diary: list[dict[str, Any]]
    medication: dict[str, Any]
    medication_history: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    finding_acknowledgements: list[dict[str, Any]]
    access_log: list[dict[str, Any]]
