"""The store's one bulk insert helper: both conflict policies, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from govlens.store import Store
from govlens.store import schema as t
from govlens.store._bulk import insert_rows, insert_sql


def _urls(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(t.urls.c.hash, t.urls.c.url).order_by(t.urls.c.hash))]


def test_ignore_skips_existing_keys_and_error_refuses_them(store: Store) -> None:
    cols = ("hash", "url")
    with store.engine.begin() as conn:
        insert_rows(conn, t.urls, [("a", "https://a.example"), ("b", "https://b.example")],
                    columns=cols, on_conflict="ignore")
    with store.engine.begin() as conn:  # a resumed harvest writes some rows again
        insert_rows(conn, t.urls, [("b", "https://other.example"), ("c", "https://c.example")],
                    columns=cols, on_conflict="ignore")
    assert _urls(store) == [("a", "https://a.example"), ("b", "https://b.example"), ("c", "https://c.example")]
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        insert_rows(conn, t.urls, [("d", "https://d.example"), ("a", "https://again.example")], columns=cols)
    assert [h for h, _ in _urls(store)] == ["a", "b", "c"]  # the failed transaction left nothing


def test_statements_name_the_columns_given_or_all_of_them(store: Store) -> None:
    dialect = store.engine.dialect
    ignore = insert_sql(dialect, t.urls, ("hash", "url"), "ignore")
    assert ignore.startswith("INSERT INTO urls (hash, url) VALUES (") and ignore.endswith("ON CONFLICT DO NOTHING")
    every = insert_sql(dialect, t.records)
    assert "(id, hash, identifier, body)" in every
    assert every.startswith("COPY" if dialect.name == "postgresql" else "INSERT")
    with pytest.raises(ValueError, match="conflict policy"):
        insert_sql(dialect, t.urls, None, "replace")  # type: ignore[arg-type]
