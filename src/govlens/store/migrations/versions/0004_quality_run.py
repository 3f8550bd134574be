"""The whole run's quality roll-up on its assessment row, so a catalogue's figures are one row.

Revision ID: 0004_quality_run
Revises: 0003_quality_stats
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_quality_run"
down_revision = "0003_quality_stats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("counts", sa.Text))
        batch.add_column(sa.Column("fixes", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("fixes")
        batch.drop_column("counts")
