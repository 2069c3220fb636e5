"""clinical notes and finding acknowledgements

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

The clinician's actions on a record (issue 14): ``clinical_notes`` (a note, or that
an MRI or a referral was arranged) and ``finding_acknowledgements`` (a finding seen
and acted on until a review date). Both hang off ``patients`` with ON DELETE CASCADE,
as all health data does, so erasure takes them along. Two new tables, nothing else
touched: this migration can be re-chained after another without change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _by_and_at(table: str) -> list[sa.schema.SchemaItem]:
    """Who (the account, kept as a name too) and when, alike in both tables."""
    return [
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f(f"fk_{table}_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f(f"fk_{table}_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "clinical_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_by_and_at("clinical_notes"),
        sa.CheckConstraint(
            "kind IN ('note', 'mri', 'referral')", name=op.f("ck_clinical_notes_kind")
        ),
    )
    op.create_index(op.f("ix_clinical_notes_patient_id"), "clinical_notes", ["patient_id"])
    op.create_table(
        "finding_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_by_and_at("finding_acknowledgements"),
    )
    op.create_index(
        op.f("ix_finding_acknowledgements_patient_id"),
        "finding_acknowledgements",
        ["patient_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_finding_acknowledgements_patient_id"), table_name="finding_acknowledgements"
    )
    op.drop_table("finding_acknowledgements")
    op.drop_index(op.f("ix_clinical_notes_patient_id"), table_name="clinical_notes")
    op.drop_table("clinical_notes")
