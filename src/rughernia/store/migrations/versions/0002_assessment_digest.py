"""assessment digest

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

A digest of each stored assessment, so that reading the assessment of an
unchanged record returns the newest stored one instead of storing a copy.
Rows stored before this migration keep a NULL digest (they are never lost,
only never matched).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("digest", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("digest")
