"""Quality roll-ups per run and publisher, for the dashboard, the API and the reports.

Revision ID: 0003_quality_stats
Revises: 0002_assess
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_quality_stats"
down_revision = "0002_assess"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quality_stats",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("publisher_key", sa.Text, nullable=False),
        sa.Column("datasets", sa.Integer, nullable=False),
        sa.Column("distributions", sa.Integer, nullable=False),
        sa.Column("mqa_sum", sa.BigInteger, nullable=False),
        sa.Column("udata_sum", sa.Float, nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("fixes", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_quality_stats_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "publisher_key", name="pk_quality_stats"),
    )


def downgrade() -> None:
    op.drop_table("quality_stats")
