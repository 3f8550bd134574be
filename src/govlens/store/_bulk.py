"""Bulk inserts of plain tuples straight through the driver, inside the caller's transaction.

For the largest writes (an assessment writes about a hundred measurement rows per
dataset, a harvest about ten URL links) SQLAlchemy's statement and per-row
parameter handling costs more than the database: here rows go to the DBAPI
cursor as they are. The statement is derived from the :class:`sqlalchemy.Table`:
its name and its columns (all of them in their declared order, or those named),
quoted by the dialect, so the schema stays the one definition of both and each
row is a tuple of those columns in that order.

Two conflict policies: ``"error"`` (a duplicate key fails the transaction) uses
``executemany`` on SQLite and ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3);
``"ignore"`` (rows whose key exists are skipped, for idempotent writes that a
resumed harvest may repeat) uses ``INSERT ... ON CONFLICT DO NOTHING`` through
``executemany`` on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import sqlalchemy as sa

OnConflict = Literal["error", "ignore"]


def _copies(dialect: sa.Dialect, on_conflict: OnConflict) -> bool:
    """Whether rows go through PostgreSQL's ``COPY`` (no conflict handling) rather than an INSERT."""
    return dialect.name == "postgresql" and on_conflict == "error"


def insert_sql(dialect: sa.Dialect, table: sa.Table, columns: Sequence[str] | None = None,
               on_conflict: OnConflict = "error") -> str:
    """The statement that inserts rows of ``columns`` (default: all the table's, in their
    declared order) into ``table`` under the conflict policy ``on_conflict``."""
    q = dialect.identifier_preparer
    cols = [table.c[name] for name in columns] if columns is not None else list(table.c)
    names = ", ".join(q.quote(c.name) for c in cols)
    if on_conflict not in ("error", "ignore"):
        raise ValueError(f"unknown conflict policy {on_conflict!r}")
    if _copies(dialect, on_conflict):
        return f"COPY {q.format_table(table)} ({names}) FROM STDIN"
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {q.format_table(table)} ({names}) VALUES ({', '.join([mark] * len(cols))})"
    return sql + " ON CONFLICT DO NOTHING" if on_conflict == "ignore" else sql


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Iterable[tuple[Any, ...]], *,
                columns: Sequence[str] | None = None, on_conflict: OnConflict = "error") -> None:
    """Insert ``rows`` (tuples of ``columns``, default all the table's in order) into ``table``
    in ``conn``'s transaction; with ``on_conflict="ignore"``, rows whose key exists are skipped.

    A database error surfaces as SQLAlchemy's (``sa.exc.DBAPIError`` and its kinds), as
    it would through ``conn.execute``.
    """
    dialect = conn.dialect
    sql = insert_sql(dialect, table, columns, on_conflict)
    raw: Any = conn.connection.driver_connection
    dbapi: Any = dialect.loaded_dbapi
    try:
        if _copies(dialect, on_conflict):
            with raw.cursor() as cur, cur.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur = raw.cursor()
            try:
                cur.executemany(sql, rows)
            finally:
                cur.close()
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, dbapi.Error, hide_parameters=True,
                                         dialect=dialect) from exc
