"""Maturity tables: institutions, accounts, questionnaire answers and the action plan.

Part of the schema (re-exported by :mod:`govlens.store.schema`); queries are in
:mod:`govlens.store.maturity`.

``mat_answers`` holds the current answer of each scope (institution id or ``centre``)
to each item; every change is also appended to ``mat_answer_log``. ``mat_actions`` are
adopted recommendations with a target; each check of a target is a row of
``mat_action_checks`` (the history), and the latest status is kept on the action.
"""

from __future__ import annotations

import sqlalchemy as sa

from govlens.store._metadata import metadata

mat_institutions = sa.Table(
    "mat_institutions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

mat_institution_publishers = sa.Table(
    "mat_institution_publishers",
    metadata,
    sa.Column("institution_id", sa.String(64), sa.ForeignKey("mat_institutions.id"), primary_key=True),
    sa.Column("publisher_key", sa.Text, primary_key=True),
    sa.Index("ix_mat_institution_publishers_key", "publisher_key"),
)

mat_accounts = sa.Table(
    "mat_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),  # central | institution
    sa.Column("institution_id", sa.String(64), sa.ForeignKey("mat_institutions.id")),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

mat_answers = sa.Table(
    "mat_answers",
    metadata,
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("item", sa.String(20), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # JSON
    sa.Column("evidence", sa.Text, nullable=False),  # JSON list
    sa.Column("note", sa.Text),
    sa.Column("answered_by", sa.String(100)),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
)

mat_answer_log = sa.Table(
    "mat_answer_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(64), nullable=False),
    sa.Column("item", sa.String(20), nullable=False),
    sa.Column("value", sa.Text),  # JSON; NULL when the answer was withdrawn
    sa.Column("evidence", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("answered_by", sa.String(100)),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_mat_answer_log_scope_item", "scope", "item"),
)

mat_actions = sa.Table(
    "mat_actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
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
    sa.Column("status", sa.String(12)),  # latest check: on_track | achieved | late | no_data
    sa.Column("checked_at", sa.DateTime(timezone=True)),
)

mat_action_checks = sa.Table(
    "mat_action_checks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("mat_actions.id"), nullable=False),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("run", sa.Text),
    sa.Index("ix_mat_action_checks_action", "action_id", "checked_at"),
)
