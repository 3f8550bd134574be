"""Maturity: institutions, accounts, questionnaire answers and their log, the action plan.

Revision ID: 0002_maturity
Revises: 0001_core
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_maturity"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mat_institutions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mat_institutions"),
    )
    op.create_table(
        "mat_institution_publishers",
        sa.Column("institution_id", sa.String(64), nullable=False),
        sa.Column("publisher_key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "publisher_key",
                                name="pk_mat_institution_publishers"),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["mat_institutions.id"],
            name="fk_mat_institution_publishers_institution_id_mat_institutions",
        ),
    )
    op.create_index("ix_mat_institution_publishers_key", "mat_institution_publishers",
                    ["publisher_key"])
    op.create_table(
        "mat_accounts",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("institution_id", sa.String(64)),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mat_accounts"),
        sa.UniqueConstraint("username", name="uq_mat_accounts_username"),
        sa.ForeignKeyConstraint(["institution_id"], ["mat_institutions.id"],
                                name="fk_mat_accounts_institution_id_mat_institutions"),
    )
    op.create_table(
        "mat_answers",
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("item", sa.String(20), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("answered_by", sa.String(100)),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "item", name="pk_mat_answers"),
    )
    op.create_table(
        "mat_answer_log",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("item", sa.String(20), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("evidence", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("answered_by", sa.String(100)),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mat_answer_log"),
    )
    op.create_index("ix_mat_answer_log_scope_item", "mat_answer_log", ["scope", "item"])
    op.create_table(
        "mat_actions",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("recommendation", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("comparator", sa.String(2), nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("baseline", sa.Float),
        sa.Column("note", sa.Text),
        sa.Column("adopted_by", sa.String(100)),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12)),
        sa.Column("checked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_mat_actions"),
    )
    op.create_table(
        "mat_action_checks",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("run", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_mat_action_checks"),
        sa.ForeignKeyConstraint(["action_id"], ["mat_actions.id"],
                                name="fk_mat_action_checks_action_id_mat_actions"),
    )
    op.create_index("ix_mat_action_checks_action", "mat_action_checks", ["action_id", "checked_at"])


def downgrade() -> None:
    for name in ("mat_action_checks", "mat_actions", "mat_answer_log", "mat_answers",
                 "mat_accounts", "mat_institution_publishers", "mat_institutions"):
        op.drop_table(name)
