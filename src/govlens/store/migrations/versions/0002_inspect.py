"""Tabular file inspections, per URL per run.

Revision ID: 0002_inspect
Revises: 0001_core
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_inspect"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "table_inspections",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("url_id", sa.Integer, nullable=False),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_format", sa.String(100)),
        sa.Column("served_format", sa.String(40)),
        sa.Column("format_match", sa.Boolean),
        sa.Column("valid", sa.Boolean),
        sa.Column("encoding", sa.String(40)),
        sa.Column("rows", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("bytes", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("errors", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("complete", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("coverage", sa.Float),
        sa.Column("error_counts", sa.Text),
        sa.Column("failure", sa.Text),
        sa.Column("report", sa.LargeBinary),
        sa.PrimaryKeyConstraint("run_id", "url_id", name="pk_table_inspections"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_table_inspections_run_id_runs"),
        sa.ForeignKeyConstraint(["url_id"], ["urls.id"], name="fk_table_inspections_url_id_urls"),
    )


def downgrade() -> None:
    op.drop_table("table_inspections")
