"""The tables. One class per table; the schema itself lives in migrations/.

Health data (intake, diary, medication, assessments) hangs off ``patients``
with ON DELETE CASCADE, so erasing a patient erases it all in one statement.
The audit log deliberately has no foreign keys: it must outlive the rows it
speaks about, and it never holds health data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("patient", "clinician", "admin")
# Ids fit a 32-bit integer column; larger numbers are refused before the database sees them.
MAX_ID = 2**31 - 1


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on both databases (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    # Named constraints, so migrations can alter them on SQLite (batch mode) too.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dict[str, Any]: Json}


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime]


class User(Base):
    __tablename__ = "users"
    # AUTOINCREMENT: ids named in the audit log must never be handed out again.
    __table_args__ = (
        CheckConstraint("role IN ('patient', 'clinician', 'admin')", name="role"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]


class TeamMember(Base):
    __tablename__ = "team_members"
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class PatientRow(Base):
    __tablename__ = "patients"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    # sha256 of the invitation code; the code itself is shown once and never stored.
    invitation_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invitation_expires_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]


class Intake(Base):
    __tablename__ = "intakes"
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    # The case's onset, patient and symptoms sections, as validated by the contract.
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DiaryRow(Base):
    __tablename__ = "diary_entries"
    # The key finds a record's last day; the index its newest change (the worklist's).
    __table_args__ = (
        UniqueConstraint("patient_id", "date"),
        Index(None, "patient_id", "updated_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    leg_pain: Mapped[int] = mapped_column(Integer)
    back_pain: Mapped[int | None] = mapped_column(Integer)
    pain_tolerable: Mapped[bool | None] = mapped_column(Boolean)
    painkillers_as_scheduled: Mapped[bool | None] = mapped_column(Boolean)
    paracetamol_mg: Mapped[int | None] = mapped_column(Integer)
    nsaid_taken: Mapped[bool | None] = mapped_column(Boolean)
    opioid_taken: Mapped[bool | None] = mapped_column(Boolean)
    hours_lying_daytime: Mapped[float | None] = mapped_column(Float)
    exercised: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class _Medication:
    """The medication's fields, alike in the current medication and in each change of it."""

    step: Mapped[int] = mapped_column(Integer)
    paracetamol_since: Mapped[dt.date | None] = mapped_column(Date)
    nsaid: Mapped[str | None] = mapped_column(String(20))
    nsaid_since: Mapped[dt.date | None] = mapped_column(Date)
    opioid_since: Mapped[dt.date | None] = mapped_column(Date)


class MedicationRow(_Medication, Base):
    __tablename__ = "medications"
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def _contract_columns(table: type[Base], *bookkeeping: str) -> tuple[str, ...]:
    """A table's columns in the contract's shape: all but its keys and bookkeeping."""
    skip = {"id", "patient_id", *bookkeeping}
    return tuple(c.name for c in table.__table__.columns if c.name not in skip)


# The entry's fields (but its date), and the medication's, as the tables above hold them.
DIARY_FIELDS = _contract_columns(DiaryRow, "date", "created_at", "updated_at")
MEDICATION_FIELDS = tuple(_Medication.__annotations__)


class MedicationChange(_Medication, Base):
    __tablename__ = "medication_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[dt.datetime]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept beside the id so the history still says who after an account is removed.
    changed_by_name: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (Index(None, "patient_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime]
    today: Mapped[dt.date] = mapped_column(Date)
    content_version: Mapped[str] = mapped_column(String(40))
    triage: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str | None] = mapped_column(String(20))
    days_since_onset: Mapped[int | None] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)  # the medication step it was made with
    cause: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    # sha256 of the canonical JSON of ``data``: a look at an unchanged record stores nothing new.
    digest: Mapped[str | None] = mapped_column(String(64))


class AlarmAck(Base):
    __tablename__ = "alarm_acknowledgements"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]
    note: Mapped[str] = mapped_column(Text, default="")


# What a clinician wrote in a record: a note, or that an MRI or a referral was arranged.
NOTE_KINDS = ("note", "mri", "referral")


class ClinicalNote(Base):
    __tablename__ = "clinical_notes"
    __table_args__ = (CheckConstraint("kind IN ('note', 'mri', 'referral')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept beside the id so the record still says who after an account is removed.
    by_name: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]


class FindingAck(Base):
    """A finding a clinician has seen and acts on, until a review date (``until``).

    It ranks the worklist only; the patient's own assessment and advice never change.
    """

    __tablename__ = "finding_acknowledgements"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64))
    until: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_name: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "patient_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(16))
    patient_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    client_address: Mapped[str | None] = mapped_column(String(64))


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the token: a copy of the database does not let anyone sign in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]


class PasswordReset(Base):
    """A one-time code that sets a user's password (issued by a clinician or an admin)."""

    __tablename__ = "password_resets"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # sha256 of the code, as for invitations; the code itself is shown once and never stored.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # No foreign key, as in the audit log: who issued it outlives the issuer's account.
    issued_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    voided_at: Mapped[dt.datetime | None]  # a newer code for the same user was issued


class LoginFailure(Base):
    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.datetime]
    locked_until: Mapped[dt.datetime | None]


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    # The patient the answer speaks about, so erasure takes the stored answer along.
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime]


class CdsJti(Base):
    """A CDS client's JWT id seen already: a token is accepted once, in every process.

    Kept until the token's ``exp`` (plus the leeway) has passed; then it could not be
    accepted anyway, so the row is pruned.
    """

    __tablename__ = "cds_jti"
    issuer: Mapped[str] = mapped_column(String(255), primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class CdsFeedback(Base):
    """What a clinician did with one of our CDS cards (CDS Hooks 2.0 feedback).

    No patient id: a card is about the EHR's patient, not (necessarily) a record of ours.
    """

    __tablename__ = "cds_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    issuer: Mapped[str | None] = mapped_column(String(255))  # None: an unsigned demo call
    service_id: Mapped[str] = mapped_column(String(64))
    card: Mapped[str] = mapped_column(String(100), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    outcome_at: Mapped[dt.datetime]
    detail: Mapped[dict[str, Any]]  # acceptedSuggestions and overrideReason, as sent
