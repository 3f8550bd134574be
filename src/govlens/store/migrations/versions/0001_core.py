"""Core tables: catalogues, runs, content-addressed records, run membership, publishers, URLs.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogues",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("language", sa.String(20)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogues"),
        sa.UniqueConstraint("name", name="uq_catalogues_name"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("catalogue_id", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("cursor", sa.Text),
        sa.Column("pages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("datasets", sa.Integer, nullable=False, server_default="0"),
        sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("publishers", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
        sa.Column("withdrawn", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.ForeignKeyConstraint(
            ["catalogue_id"], ["catalogues.id"], name="fk_runs_catalogue_id_catalogues"
        ),
    )
    op.create_index("ix_runs_catalogue_id", "runs", ["catalogue_id"])
    op.create_table(
        "records",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("identifier", sa.Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("hash", name="pk_records"),
    )
    op.create_table(
        "run_datasets",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("identifier", sa.Text, nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("publisher_key", sa.Text),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "identifier", name="pk_run_datasets"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_run_datasets_run_id_runs"),
        sa.ForeignKeyConstraint(
            ["record_hash"], ["records.hash"], name="fk_run_datasets_record_hash_records"
        ),
    )
    op.create_index("ix_run_datasets_run_publisher", "run_datasets", ["run_id", "publisher_key"])
    op.create_index("ix_run_datasets_record_hash", "run_datasets", ["record_hash"])
    op.create_table(
        "publishers",
        sa.Column("catalogue_id", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("uri", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("homepage", sa.Text),
        sa.PrimaryKeyConstraint("catalogue_id", "key", name="pk_publishers"),
        sa.ForeignKeyConstraint(
            ["catalogue_id"], ["catalogues.id"], name="fk_publishers_catalogue_id_catalogues"
        ),
    )
    op.create_table(
        "urls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_urls"),
        sa.UniqueConstraint("hash", name="uq_urls_hash"),
    )
    op.create_table(
        "record_urls",
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("distribution", sa.Text, nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("url_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint(
            "record_hash", "distribution", "role", "url_id", name="pk_record_urls"
        ),
        sa.ForeignKeyConstraint(
            ["record_hash"], ["records.hash"], name="fk_record_urls_record_hash_records"
        ),
        sa.ForeignKeyConstraint(["url_id"], ["urls.id"], name="fk_record_urls_url_id_urls"),
    )
    op.create_index("ix_record_urls_url_id", "record_urls", ["url_id"])


def downgrade() -> None:
    for name in ("record_urls", "urls", "publishers", "run_datasets", "records", "runs", "catalogues"):
        op.drop_table(name)
