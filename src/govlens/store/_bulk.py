"""Bulk inserts of plain tuples straight through the driver, inside the caller's transaction.

For the largest writes (an assessment writes about a hundred measurement rows per
dataset) SQLAlchemy's statement and per-row parameter handling costs more than
the database: here rows go to the DBAPI cursor as they are, ``executemany`` on
SQLite and ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3). The statement is
derived from the :class:`sqlalchemy.Table`: its name and its columns in their
declared order, quoted by the dialect, so the schema stays the one definition of
both and each row is a tuple of the table's columns in that order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa


def insert_sql(dialect: sa.Dialect, table: sa.Table) -> str:
    """The statement that inserts rows of all ``table``'s columns, in their declared order."""
    q = dialect.identifier_preparer
    names = ", ".join(q.quote(c.name) for c in table.c)
    if dialect.name == "postgresql":
        return f"COPY {q.format_table(table)} ({names}) FROM STDIN"
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {q.format_table(table)} ({names}) VALUES ({', '.join([mark] * len(table.c))})"


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (tuples of the table's columns, in order) into ``table`` in ``conn``'s transaction.

    A database error surfaces as SQLAlchemy's (``sa.exc.DBAPIError`` and its kinds), as
    it would through ``conn.execute``.
    """
    dialect = conn.dialect
    sql = insert_sql(dialect, table)
    raw: Any = conn.connection.driver_connection
    dbapi: Any = dialect.loaded_dbapi
    try:
        if dialect.name == "postgresql":
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
