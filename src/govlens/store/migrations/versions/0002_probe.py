"""Link checks: probe runs, their URL queue, and the per-URL check history.

Revision ID: 0002_probe
Revises: 0001_core
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_probe"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "probe_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("urls", sa.Integer, nullable=False, server_default="0"),
        sa.Column("checked", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ok", sa.Integer, nullable=False, server_default="0"),
        sa.Column("broken", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failing", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unknown", sa.Integer, nullable=False, server_default="0"),
        sa.Column("settings", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_probe_runs"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_probe_runs_run_id_runs"),
    )
    op.create_index("ix_probe_runs_run_id", "probe_runs", ["run_id"])
    op.create_table(
        "probe_queue",
        sa.Column("probe_run_id", sa.Integer, nullable=False),
        sa.Column("ord", sa.BigInteger, nullable=False),
        sa.Column("url_id", sa.Integer, nullable=False),
        sa.Column("download", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("probe_run_id", "ord", name="pk_probe_queue"),
        sa.ForeignKeyConstraint(
            ["probe_run_id"], ["probe_runs.id"], name="fk_probe_queue_probe_run_id_probe_runs"
        ),
        sa.ForeignKeyConstraint(["url_id"], ["urls.id"], name="fk_probe_queue_url_id_urls"),
    )
    op.create_table(
        "link_checks",
        sa.Column("probe_run_id", sa.Integer, nullable=False),
        sa.Column("url_id", sa.Integer, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("final_url", sa.Text),
        sa.Column("redirects", sa.Integer, nullable=False, server_default="0"),
        sa.Column("method", sa.String(8)),
        sa.Column("content_type", sa.Text),
        sa.Column("content_length", sa.BigInteger),
        sa.Column("last_modified", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("elapsed_ms", sa.Integer),
        sa.Column("error_class", sa.String(40)),
        sa.Column("reason", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
        sa.Column("streak_error", sa.String(40)),
        sa.PrimaryKeyConstraint("probe_run_id", "url_id", name="pk_link_checks"),
        sa.ForeignKeyConstraint(
            ["probe_run_id"], ["probe_runs.id"], name="fk_link_checks_probe_run_id_probe_runs"
        ),
        sa.ForeignKeyConstraint(["url_id"], ["urls.id"], name="fk_link_checks_url_id_urls"),
    )
    op.create_index("ix_link_checks_url_probe", "link_checks", ["url_id", "probe_run_id"])


def downgrade() -> None:
    op.drop_index("ix_link_checks_url_probe", table_name="link_checks")
    op.drop_table("link_checks")
    op.drop_table("probe_queue")
    op.drop_index("ix_probe_runs_run_id", table_name="probe_runs")
    op.drop_table("probe_runs")
