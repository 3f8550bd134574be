"""Dashboard summaries: per-run publisher aggregates, and an index for institution listings.

Revision ID: 0002_serve
Revises: 0001_core
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_serve"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_publisher_stats",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("publisher_key", sa.Text, nullable=False),
        sa.Column("datasets", sa.Integer, nullable=False),
        sa.Column("distributions", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_run_publisher_stats_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "publisher_key", name="pk_run_publisher_stats"),
    )
    op.create_index("ix_run_publisher_stats_publisher_key", "run_publisher_stats", ["publisher_key"])
    op.create_index("ix_run_datasets_run_publisher_seq", "run_datasets", ["run_id", "publisher_key", "seq"])


def downgrade() -> None:
    op.drop_index("ix_run_datasets_run_publisher_seq", table_name="run_datasets")
    op.drop_index("ix_run_publisher_stats_publisher_key", table_name="run_publisher_stats")
    op.drop_table("run_publisher_stats")
