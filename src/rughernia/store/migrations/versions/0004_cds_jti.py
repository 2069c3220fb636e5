"""CDS Hooks: the JWT ids seen, and the clinicians' feedback on cards

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

``cds_jti`` makes a CDS client's token usable once across every worker process
(a set in memory would be per process); ``cds_feedback`` keeps what clinicians
did with our cards. Two new tables, nothing else touched: this migration can be
re-chained after another without change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cds_jti",
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("jti", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("issuer", "jti", name=op.f("pk_cds_jti")),
    )
    op.create_index(op.f("ix_cds_jti_expires_at"), "cds_jti", ["expires_at"])
    op.create_table(
        "cds_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=True),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("card", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cds_feedback")),
    )
    op.create_index(op.f("ix_cds_feedback_card"), "cds_feedback", ["card"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cds_feedback_card"), table_name="cds_feedback")
    op.drop_table("cds_feedback")
    op.drop_index(op.f("ix_cds_jti_expires_at"), table_name="cds_jti")
    op.drop_table("cds_jti")
