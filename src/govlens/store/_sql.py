"""Small dialect helpers shared by the store modules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")


def db_cause(exc: BaseException) -> str:
    """What the database said, for an error's ``cause``: the driver's message (``database
    or disk is full``), without SQLAlchemy's statement, parameters and help link."""
    orig = getattr(exc, "orig", None)
    return str(orig if isinstance(orig, BaseException) else exc).strip()[:500]


def now() -> datetime:
    return datetime.now(UTC)


def insert_ignore(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert, skipping rows whose key already exists (idempotent writes for resume)."""
    if not rows:
        return
    ins: Any
    if conn.dialect.name == "postgresql":
        ins = postgresql.insert(table).on_conflict_do_nothing()
    elif conn.dialect.name == "sqlite":
        ins = sqlite.insert(table).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(conn.dialect.name)
    conn.execute(ins, list(rows))


def upsert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Bulk insert-or-update on the primary key ``keys``, updating columns ``update``."""
    if not rows:
        return
    mod: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    ins = mod.insert(table)
    stmt = ins.on_conflict_do_update(
        index_elements=list(keys), set_={c: getattr(ins.excluded, c) for c in update}
    )
    conn.execute(stmt, list(rows))


@contextmanager
def foreign_keys_off(conn: sa.Connection) -> Iterator[None]:
    """SQLite connection ``conn`` without foreign key checks for the ``with`` block (opened
    outside any transaction: SQLite ignores the pragma inside one); back on after it."""
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


@contextmanager
def sqlite_pragma(conn: sa.Connection, name: str, value: int | str) -> Iterator[None]:
    """On SQLite, ``PRAGMA name = value`` for ``conn`` during the ``with`` block, the value it had
    restored after (also when the block fails); nothing on other databases. ``name`` and
    ``value`` are the caller's constants, never user input."""
    if conn.dialect.name != "sqlite":
        yield
        return
    found = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
    conn.exec_driver_sql(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        if found is not None:
            conn.exec_driver_sql(f"PRAGMA {name} = {found}")


def sqlite_small_cache(conn: sa.Connection, kib: int = 8192) -> AbstractContextManager[None]:
    """On SQLite, a page cache of ``kib`` KiB for ``conn`` during the ``with`` block (for one bulk
    statement over every URL of a run, or a writer's whole life), the one it had restored after;
    nothing on other databases."""
    return sqlite_pragma(conn, "cache_size", -int(kib))


def chunks(items: Iterable[T], size: int = 500) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def multirow_insert_ignore(
    conn: sa.Connection,
    table: sa.Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    per_statement: int = 500,
) -> None:
    """Bulk insert of plain tuples straight through the driver, skipping existing keys, with
    many rows per ``INSERT`` statement (``_bulk.insert_rows`` sends one row a statement).

    From a worker thread this matters: the SQLite driver releases the GIL around
    every statement step, and with one step per row a batch of thousands of rows
    means thousands of GIL hand-offs with the event loop's thread. Here there is
    one per ``per_statement`` rows (kept well under the drivers' parameter limits).
    """
    if not rows:
        return
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    cols = ", ".join(columns)
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    for i in range(0, len(rows), per_statement):
        batch = rows[i : i + per_statement]
        sql = f"INSERT INTO {table.name} ({cols}) VALUES {', '.join([one] * len(batch))} ON CONFLICT DO NOTHING"
        conn.exec_driver_sql(sql, tuple(v for row in batch for v in row))


def fast_select_in(
    conn: sa.Connection, sql: str, values: Sequence[Any], size: int = 500
) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (with one ``{in}`` placeholder list) for ``values``, in batches, as plain
    tuples straight from the driver's cursor (a harvest page reads back thousands of ids, and
    wrapping each in a SQLAlchemy ``Row`` costs more than the query). A database error surfaces
    as SQLAlchemy's, as it would through ``conn.execute``."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    dbapi: Any = conn.dialect.loaded_dbapi
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    out: list[tuple[Any, ...]] = []
    try:
        for i in range(0, len(values), size):
            batch = tuple(values[i : i + size])
            query = sql.format(**{"in": ", ".join([mark] * len(batch))})
            try:
                cur.execute(query, batch)
            except dbapi.Error as exc:
                raise sa.exc.DBAPIError.instance(query, None, exc, dbapi.Error, hide_parameters=True,
                                                 dialect=conn.dialect) from exc
            out.extend(cur.fetchall())
    finally:
        cur.close()
    return out
