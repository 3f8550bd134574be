"""Link checks in the store: probe runs, their queue and the check history (reading
states is in :mod:`govlens.store.link_reads`, re-exported here).

A probe run checks every distinct URL of one harvest run once. Its queue is
built inside the database (``INSERT ... SELECT``) and read back in keyset
pages, so a million queued URLs cost the process one page at a time. Results
are written in bulk; a URL with a row in ``link_checks`` for this probe run is
done, which is what makes an interrupted probe resume where it stopped.

"The latest state of a URL as of run R" is its most recent check made by a
probe run of a harvest run numbered R or lower, in any catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from govlens.errors import NotFound, StoreError
from govlens.store import schema as t
from govlens.store._sql import db_cause, multirow_insert_ignore, now, sqlite_small_cache
from govlens.store.link_reads import (  # re-exported: the reading side
    _aware,
    _release,
    iter_checks,
    link_outcomes,
    link_state,
    link_states,
    newly_broken,
    newly_broken_in_probe,
    publisher_links,
    url_history,
)
from govlens.store.repository import COMPLETE, FAILED, PRESENT, RUNNING, Store

__all__ = [
    "CHECK_COLUMNS", "OUTCOMES", "CheckWriter", "OpenProbe", "ProbeRunRow", "QueuedURL", "finish_probe", "iter_checks", "link_outcomes",
    "link_state", "link_states", "newly_broken", "newly_broken_in_probe", "open_probe", "outcome_counts", "pending",
    "probe_runs", "publisher_links", "save_check_values", "save_checks", "url_history",
]

#: Multiplier of a multiplicative hash: ``url_id * K mod 2**32`` scrambles the
#: queue order (hosts interleave) and is one-to-one for 32-bit ids.
_SCRAMBLE = 2654435761
OUTCOMES = ("ok", "broken", "failing", "unknown")
#: The ``link_checks`` columns, in table order: the order of the tuples :class:`CheckWriter` takes.
CHECK_COLUMNS: tuple[str, ...] = tuple(c.name for c in t.link_checks.columns)


@dataclass(frozen=True, slots=True)
class ProbeRunRow:
    id: int
    run_id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    urls: int
    checked: int
    ok: int
    broken: int
    failing: int
    unknown: int
    settings: str | None


@dataclass(frozen=True, slots=True)
class OpenProbe:
    """A probe run ready to work: new, resumed, or already complete (``done``)."""

    probe: ProbeRunRow
    resumed: bool
    done: bool


@dataclass(frozen=True, slots=True)
class QueuedURL:
    """A URL still to check, with the streak of failures it brings from earlier runs."""

    ord: int
    url_id: int
    url: str
    download: bool
    failures: int = 0
    failing_since: datetime | None = None
    last_error: str | None = None


# -- probe runs ----------------------------------------------------------------------------------


def _row(conn: sa.Connection, probe_run_id: int) -> ProbeRunRow:
    row = conn.execute(sa.select(t.probe_runs).where(t.probe_runs.c.id == probe_run_id)).first()
    if row is None:
        raise NotFound("no such probe run", probe_run=probe_run_id)
    return ProbeRunRow(**row._asdict())


def probe_runs(store: Store, run_id: int | None = None) -> list[ProbeRunRow]:
    q = sa.select(t.probe_runs).order_by(t.probe_runs.c.id)
    if run_id is not None:
        q = q.where(t.probe_runs.c.run_id == run_id)
    with store.engine.connect() as conn:
        return [ProbeRunRow(**r._asdict()) for r in conn.execute(q)]


def open_probe(store: Store, run_id: int, *, again: bool = False, settings: str | None = None) -> OpenProbe:
    """Resume the harvest run's unfinished probe run, or start one and build its queue.

    When the latest probe run of ``run_id`` is complete, it is returned with
    ``done`` set, unless ``again`` asks for a new one.
    """
    pr = t.probe_runs
    try:
        with store.engine.begin() as conn:
            last = conn.execute(
                sa.select(pr.c.id, pr.c.status).where(pr.c.run_id == run_id).order_by(pr.c.id.desc())
            ).first()
            if last is not None and last.status != COMPLETE:
                conn.execute(pr.update().where(pr.c.id == last.id).values(status=RUNNING))
                return OpenProbe(_row(conn, last.id), True, False)
            if last is not None and not again:
                return OpenProbe(_row(conn, last.id), False, True)
            pid = conn.execute(
                pr.insert()
                .values(run_id=run_id, status=RUNNING, started_at=now(), settings=settings)
                .returning(pr.c.id)
            ).scalar_one()
            with sqlite_small_cache(conn):
                _fill_queue(conn, pid, run_id)
            total = conn.execute(
                sa.select(sa.func.count()).select_from(t.probe_queue)
                .where(t.probe_queue.c.probe_run_id == pid)
            ).scalar_one()
            conn.execute(pr.update().where(pr.c.id == pid).values(urls=total))
            _release(conn)
            return OpenProbe(_row(conn, pid), False, False)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError("could not open a probe run", run=run_id, cause=db_cause(exc)) from exc


def _fill_queue(conn: sa.Connection, probe_run_id: int, run_id: int) -> None:
    """Queue the run's distinct URLs inside the database.

    Two streaming passes instead of a GROUP BY (which would sort every URL in
    memory): download URLs first, then the others; the key ignores repeats.
    """
    rd, r, ru, q = t.run_datasets, t.records, t.record_urls, t.probe_queue
    ord_ = (ru.c.url_id * sa.literal(_SCRAMBLE, sa.BigInteger)) % sa.literal(2**32, sa.BigInteger)
    for download in (True, False):
        src = (
            sa.select(sa.literal(probe_run_id), ord_, ru.c.url_id, sa.literal(download))
            .select_from(rd.join(r, r.c.hash == rd.c.record_hash).join(ru, ru.c.record_id == r.c.id))
            .where(rd.c.run_id == run_id)
            .where(rd.c.state == PRESENT)
            .where((ru.c.role == "download") if download else (ru.c.role != "download"))
        )
        ins = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(q)
        conn.execute(
            ins.from_select(["probe_run_id", "ord", "url_id", "download"], src).on_conflict_do_nothing()
        )


def pending(store: Store, probe_run_id: int, page: int = 5000) -> Iterator[list[QueuedURL]]:
    """The URLs the probe run has not finished, one keyset page at a time, each with the
    failure streak left by its latest check before this probe run.

    Pages are read as plain driver tuples. When the probe run had no checks yet as
    the reading started, the test for "already checked" is left out: every check
    written afterwards is of a URL of a page already read (the keyset moves on)."""
    q, lc, u = t.probe_queue, t.link_checks, t.urls
    prev, before = lc.alias("prev"), lc.alias("before")
    latest_before = (  # an index seek per URL on ix_link_checks_url_probe
        sa.select(sa.func.max(before.c.probe_run_id))
        .where(before.c.url_id == q.c.url_id)
        .where(before.c.probe_run_id < sa.bindparam("pid"))
        .scalar_subquery()
    )
    stmt = (
        sa.select(q.c.ord, q.c.url_id, u.c.url, q.c.download,
                  prev.c.failures, prev.c.failing_since, prev.c.streak_error)
        .join(u, u.c.id == q.c.url_id)
        .outerjoin(prev, sa.and_(prev.c.url_id == q.c.url_id, prev.c.probe_run_id == latest_before))
        .where(q.c.probe_run_id == sa.bindparam("pid"))
        .where(q.c.ord > sa.bindparam("last"))
        .order_by(q.c.ord)
        .limit(page)
    )
    with store.engine.connect() as conn:
        started = conn.execute(sa.select(sa.exists().where(lc.c.probe_run_id == probe_run_id))).scalar()
    if started:
        stmt = stmt.where(~sa.exists().where(lc.c.probe_run_id == sa.bindparam("pid"))
                          .where(lc.c.url_id == q.c.url_id))
    compiled = stmt.compile(dialect=store.engine.dialect)
    sql = str(compiled)
    last = -1
    while True:
        params: Any = compiled.construct_params({"pid": probe_run_id, "last": last})
        if compiled.positiontup is not None:
            params = tuple(params[k] for k in compiled.positiontup)
        with store.engine.connect() as conn, sqlite_small_cache(conn):
            cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cur.execute(sql, params)
                rows = cur.fetchall()
            finally:
                cur.close()
            _release(conn)
        if not rows:
            return
        last = rows[-1][0]
        yield [
            QueuedURL(o, uid, url, bool(dl), failures, _aware(_datetime(since)), error) if failures
            else QueuedURL(o, uid, url, bool(dl))
            for o, uid, url, dl, failures, since, error in rows
        ]


def _datetime(value: datetime | str | None) -> datetime | None:
    """A time as the driver returns it (SQLite: the text SQLAlchemy stored)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


_CHECK_DEFAULTS: dict[str, Any] = {"redirects": 0, "failures": 0}
_TIME_COLUMNS = ("checked_at", "failing_since")


def _sqlite_time(value: datetime | None) -> str | None:
    """A datetime as SQLAlchemy keeps it in SQLite: naive UTC text with microseconds."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def save_checks(store: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Write a batch of ``link_checks`` rows (idempotent: a URL done twice keeps its first row)."""
    columns = [c.name for c in t.link_checks.columns]
    defaults = [_CHECK_DEFAULTS.get(c) for c in columns]
    save_check_values(store, columns, [tuple(r.get(c, d) for c, d in zip(columns, defaults, strict=True))
                                       for r in rows])


def save_check_values(store: Store, columns: Sequence[str], values: Sequence[tuple[Any, ...]]) -> None:
    """:func:`save_checks` for rows already made tuples of ``columns``, straight to the driver."""
    writer = CheckWriter(store, columns)
    try:
        writer.save(values)
    finally:
        writer.close()


class CheckWriter:
    """Writes batches of ``link_checks`` rows (tuples of ``columns``) over one connection
    kept for as long as the writer: the probe's hot write path.

    On SQLite the connection keeps a small page cache (:func:`~govlens.store._sql.sqlite_small_cache`) for its
    whole life rather than giving it back after every batch, so consecutive batches
    find the tables' upper B-tree pages still cached; each batch goes in ``url_id``
    order, so the inserts into the key and the URL index walk their pages in order.
    Each batch is its own transaction. Not for concurrent use: one batch at a time.
    """

    def __init__(self, store: Store, columns: Sequence[str] = CHECK_COLUMNS) -> None:
        self._store = store
        self._columns = tuple(columns)
        self._url = itemgetter(self._columns.index("url_id"))
        self._sqlite = store.engine.dialect.name == "sqlite"
        self._times = [i for i, c in enumerate(self._columns) if c in _TIME_COLUMNS] if self._sqlite else []
        self._conn: sa.Connection | None = None
        self._cache = ExitStack()

    def _connection(self) -> sa.Connection:
        if self._conn is None:
            conn = self._store.engine.connect()
            self._cache.enter_context(sqlite_small_cache(conn))  # for the writer's whole life
            conn.commit()
            self._conn = conn
        return self._conn

    def save(self, values: Sequence[tuple[Any, ...]]) -> None:
        """Write one batch (idempotent: a URL done twice keeps its first row)."""
        if not values:
            return
        rows = sorted(values, key=self._url)
        if self._times:
            rows = [_sqlite_times(row, self._times) for row in rows]
        try:
            conn = self._connection()
            with conn.begin():
                multirow_insert_ignore(conn, t.link_checks, self._columns, rows)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError("could not store link checks", cause=db_cause(exc)) from exc

    def close(self) -> None:
        """Give the connection back (on SQLite, with its page cache released)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
            self._cache.close()
            if self._sqlite:
                _release(conn)
                conn.commit()
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError("could not store link checks", cause=db_cause(exc)) from exc
        finally:
            conn.close()


def _sqlite_times(row: tuple[Any, ...], times: Sequence[int]) -> tuple[Any, ...]:
    v = list(row)
    for i in times:
        v[i] = _sqlite_time(v[i])
    return tuple(v)


def _counts(conn: sa.Connection, probe_run_id: int) -> dict[str, int]:
    lc = t.link_checks
    rows = conn.execute(
        sa.select(lc.c.outcome, sa.func.count(), sa.func.count().filter(lc.c.error_class == "ssrf"))
        .where(lc.c.probe_run_id == probe_run_id)
        .group_by(lc.c.outcome)
    ).all()
    counts = {o: 0 for o in OUTCOMES}
    counts.update({o: n for o, n, _ in rows})
    counts["checked"] = sum(n for _, n, _ in rows)
    counts["refused"] = sum(r for _, _, r in rows)
    return counts


def outcome_counts(store: Store, probe_run_id: int) -> dict[str, int]:
    """How many URLs the probe run has checked so far, per outcome, plus ``checked`` and ``refused``."""
    with store.engine.connect() as conn, sqlite_small_cache(conn):
        counts = _counts(conn, probe_run_id)
        _release(conn)
        return counts


def finish_probe(store: Store, probe_run_id: int, *, complete: bool) -> ProbeRunRow:
    """Count the probe run's outcomes and close it (``complete``) or mark it failed."""
    with store.engine.begin() as conn, sqlite_small_cache(conn):
        counts = _counts(conn, probe_run_id)
        values: dict[str, Any] = {o: counts[o] for o in (*OUTCOMES, "checked")}
        values["status"] = COMPLETE if complete else FAILED
        if complete:
            values["finished_at"] = now()
            conn.execute(t.probe_queue.delete().where(t.probe_queue.c.probe_run_id == probe_run_id))
        conn.execute(t.probe_runs.update().where(t.probe_runs.c.id == probe_run_id).values(**values))
        _release(conn)
        return _row(conn, probe_run_id)
