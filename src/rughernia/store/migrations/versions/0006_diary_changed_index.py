"""index of each record's newest diary change

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

The worklist needs, for every patient of a team, when the diary last changed (an
acknowledgement made before it no longer holds) and its last day. Both were a scan
of every diary row of the team (90 days x 1,000 patients on each look at the list);
with this index the newest change is one index lookup a patient, as the last day
already is by the (patient_id, date) key.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_diary_entries_patient_id_updated_at"),
        "diary_entries",
        ["patient_id", "updated_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_diary_entries_patient_id_updated_at"), table_name="diary_entries")
