"""Drop ``ix_run_datasets_run_publisher``: ``ix_run_datasets_run_publisher_seq`` starts with the
same columns and serves every query that used it, so harvests maintain one index less.

Revision ID: 0004_harvest_index
Revises: 0003_serve_search
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0004_harvest_index"
down_revision = "0003_serve_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_run_datasets_run_publisher", table_name="run_datasets")


def downgrade() -> None:
    op.create_index("ix_run_datasets_run_publisher", "run_datasets", ["run_id", "publisher_key"])
