"""Records get an integer ``id`` (in the order they were stored; the rowid on SQLite), and
``record_urls`` is keyed by it instead of the record's 64-character hash.

A harvest's new records have the highest ids, so their URL links go at the end of
``record_urls``' key instead of all over it (a hash is random): each write touches a few
pages of that B-tree rather than most of them, and its rows are about half as wide.
``records.hash`` stays unique (``run_datasets`` refers to it as before).

SQLite cannot change a table's primary key in place: both tables are rebuilt (new table,
rows copied, old one dropped, new one renamed), which copies every record once. This
runs with foreign key checks off (``engine.migrate`` turns them off on SQLite).
PostgreSQL changes both in place.

Revision ID: 0005_record_ids
Revises: 0004_harvest_index
Create Date: 2026-11-30
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_record_ids"
down_revision = "0004_harvest_index"
branch_labels = None
depends_on = None

LINK_KEY = ["distribution", "role", "url_id"]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _records_table(name: str, *, with_id: bool) -> None:
    cols: list[sa.schema.SchemaItem] = [
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("identifier", sa.Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
    ]
    if with_id:
        cols = [sa.Column("id", sa.Integer, nullable=False), *cols,
                sa.PrimaryKeyConstraint("id", name="pk_records"), sa.UniqueConstraint("hash", name="uq_records_hash")]
    else:
        cols.append(sa.PrimaryKeyConstraint("hash", name="pk_records"))
    op.create_table(name, *cols)


def _record_urls_table(name: str, key: sa.Column[Any], parent: str) -> None:
    op.create_table(
        name,
        key,
        sa.Column("distribution", sa.Text, nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("url_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint(key.name, *LINK_KEY, name="pk_record_urls"),
        sa.ForeignKeyConstraint([key.name], [f"records.{parent}"], name=f"fk_record_urls_{key.name}_records"),
        sa.ForeignKeyConstraint(["url_id"], ["urls.id"], name="fk_record_urls_url_id_urls"),
    )


def _swap(new: str, old: str) -> None:
    op.drop_table(old)
    op.rename_table(new, old)


def _clear(*names: str) -> None:
    """Drop what an interrupted run of this migration may have left (SQLite commits a
    ``CREATE TABLE`` issued before any other change at once, outside the migration's transaction)."""
    for name in names:
        op.execute(f"DROP TABLE IF EXISTS {name}")


def upgrade() -> None:
    if _sqlite():
        _clear("records_new", "record_urls_new")
        _records_table("records_new", with_id=True)
        op.execute("INSERT INTO records_new (id, hash, identifier, body) "
                   "SELECT rowid, hash, identifier, body FROM records ORDER BY rowid")
        _record_urls_table("record_urls_new", sa.Column("record_id", sa.Integer, nullable=False), "id")
        op.execute("INSERT INTO record_urls_new (record_id, distribution, role, url_id) "
                   "SELECT r.id, ru.distribution, ru.role, ru.url_id FROM record_urls ru "
                   "JOIN records_new r ON r.hash = ru.record_hash ORDER BY r.id")
        _swap("records_new", "records")
        _swap("record_urls_new", "record_urls")
        op.create_index("ix_record_urls_url_id", "record_urls", ["url_id"])
        return
    op.drop_constraint("fk_record_urls_record_hash_records", "record_urls", type_="foreignkey")
    op.drop_constraint("fk_run_datasets_record_hash_records", "run_datasets", type_="foreignkey")
    op.drop_constraint("pk_records", "records", type_="primary")
    op.execute("ALTER TABLE records ADD COLUMN id SERIAL NOT NULL")
    op.create_primary_key("pk_records", "records", ["id"])
    op.create_unique_constraint("uq_records_hash", "records", ["hash"])
    op.create_foreign_key("fk_run_datasets_record_hash_records", "run_datasets", "records",
                          ["record_hash"], ["hash"])
    op.add_column("record_urls", sa.Column("record_id", sa.Integer))
    op.execute("UPDATE record_urls SET record_id = records.id FROM records "
               "WHERE records.hash = record_urls.record_hash")
    op.alter_column("record_urls", "record_id", nullable=False)
    op.drop_constraint("pk_record_urls", "record_urls", type_="primary")
    op.drop_column("record_urls", "record_hash")
    op.create_primary_key("pk_record_urls", "record_urls", ["record_id", *LINK_KEY])
    op.create_foreign_key("fk_record_urls_record_id_records", "record_urls", "records", ["record_id"], ["id"])


def downgrade() -> None:
    if _sqlite():
        _clear("records_old", "record_urls_old")
        _records_table("records_old", with_id=False)
        op.execute("INSERT INTO records_old (hash, identifier, body) "
                   "SELECT hash, identifier, body FROM records ORDER BY id")
        _record_urls_table("record_urls_old", sa.Column("record_hash", sa.String(64), nullable=False), "hash")
        op.execute("INSERT INTO record_urls_old (record_hash, distribution, role, url_id) "
                   "SELECT r.hash, ru.distribution, ru.role, ru.url_id FROM record_urls ru "
                   "JOIN records r ON r.id = ru.record_id")
        _swap("records_old", "records")
        _swap("record_urls_old", "record_urls")
        op.create_index("ix_record_urls_url_id", "record_urls", ["url_id"])
        return
    op.add_column("record_urls", sa.Column("record_hash", sa.String(64)))
    op.execute("UPDATE record_urls SET record_hash = records.hash FROM records "
               "WHERE records.id = record_urls.record_id")
    op.alter_column("record_urls", "record_hash", nullable=False)
    op.drop_constraint("fk_record_urls_record_id_records", "record_urls", type_="foreignkey")
    op.drop_constraint("pk_record_urls", "record_urls", type_="primary")
    op.drop_column("record_urls", "record_id")
    op.drop_constraint("fk_run_datasets_record_hash_records", "run_datasets", type_="foreignkey")
    op.drop_constraint("uq_records_hash", "records", type_="unique")
    op.drop_constraint("pk_records", "records", type_="primary")
    op.drop_column("records", "id")
    op.create_primary_key("pk_records", "records", ["hash"])
    op.create_primary_key("pk_record_urls", "record_urls", ["record_hash", *LINK_KEY])
    op.create_foreign_key("fk_run_datasets_record_hash_records", "run_datasets", "records",
                          ["record_hash"], ["hash"])
    op.create_foreign_key("fk_record_urls_record_hash_records", "record_urls", "records",
                          ["record_hash"], ["hash"])
