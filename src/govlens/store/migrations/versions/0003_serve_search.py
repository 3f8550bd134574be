"""Dataset titles of a complete run, case-folded, for the dashboard's search; and an index
for listing a run's datasets in harvest order.

Revision ID: 0003_serve_search
Revises: 0002_serve
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_serve_search"
down_revision = "0002_serve"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_dataset_titles",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("identifier", sa.Text, nullable=False),
        sa.Column("folded", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_run_dataset_titles_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "identifier", name="pk_run_dataset_titles"),
    )
    op.create_index("ix_run_datasets_run_seq", "run_datasets", ["run_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_run_datasets_run_seq", table_name="run_datasets")
    op.drop_table("run_dataset_titles")
