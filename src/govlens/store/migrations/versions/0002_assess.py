"""Assessments: DQV-shaped measurements and dataset scores per run.

Revision ID: 0002_assess
Revises: 0001_core
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_assess"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rescored_at", sa.DateTime(timezone=True)),
        sa.Column("weights", sa.Text, nullable=False),
        sa.Column("datasets", sa.Integer, nullable=False, server_default="0"),
        sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("mqa_mean", sa.Float),
        sa.Column("links_checked", sa.Integer, nullable=False, server_default="0"),
        sa.Column("seconds", sa.Float, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("run_id", name="pk_assessments"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_assessments_run_id_runs"),
    )
    op.create_table(
        "measurements",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("dataset", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("points", sa.Float, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("run_id", "dataset", "seq", "metric", name="pk_measurements"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_measurements_run_id_runs"),
    )
    op.create_table(
        "dataset_scores",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("dataset", sa.Text, nullable=False),
        sa.Column("publisher_key", sa.Text),
        sa.Column("mqa", sa.Integer, nullable=False),
        sa.Column("findability", sa.Integer, nullable=False),
        sa.Column("accessibility", sa.Integer, nullable=False),
        sa.Column("interoperability", sa.Integer, nullable=False),
        sa.Column("reusability", sa.Integer, nullable=False),
        sa.Column("contextuality", sa.Integer, nullable=False),
        sa.Column("rating", sa.String(12), nullable=False),
        sa.Column("best_distribution", sa.Integer),
        sa.Column("dcat_ap_compliant", sa.Boolean),
        sa.Column("shapes", sa.String(40)),
        sa.Column("validated", sa.String(12)),
        sa.Column("udata", sa.Float, nullable=False),
        sa.Column("stars", sa.Integer, nullable=False),
        sa.Column("pod_valid", sa.Boolean),
        sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("facts", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "dataset", name="pk_dataset_scores"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_dataset_scores_run_id_runs"),
    )
    op.create_index("ix_dataset_scores_run_publisher", "dataset_scores", ["run_id", "publisher_key"])


def downgrade() -> None:
    op.drop_index("ix_dataset_scores_run_publisher", table_name="dataset_scores")
    op.drop_table("dataset_scores")
    op.drop_table("measurements")
    op.drop_table("assessments")
