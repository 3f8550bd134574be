"""Reading link states from the store: the latest check of each URL of a run,
per publisher with the state as of the catalogue's previous run, newly broken
links, and one URL's history. Writing (probe runs, the queue, saving checks)
is in :mod:`govlens.store.links`, which re-exports these functions.

"The latest state of a URL as of run R" is its most recent check made by a
probe run of a harvest run numbered R or lower, in any catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from govlens.model import LinkState
from govlens.store import codec
from govlens.store import schema as t
from govlens.store._sql import sqlite_pragma, sqlite_small_cache
from govlens.store.repository import PRESENT, Store


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every time govlens stores is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _timed(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("checked_at", "failing_since"):
        if key in row:
            row[key] = _aware(row[key])
    return row


def _release(conn: sa.Connection) -> None:
    """Give back SQLite's page cache after a large statement (it is per connection and
    pooled connections keep it), so a long probe's memory does not grow with the store."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA shrink_memory")


def _run_url_ids(run_ids: Sequence[int]) -> sa.Select[Any]:
    rd, r, ru = t.run_datasets, t.records, t.record_urls
    return (
        sa.select(ru.c.url_id)
        .select_from(rd)
        .join(r, r.c.hash == rd.c.record_hash)
        .join(ru, ru.c.record_id == r.c.id)
        .where(rd.c.run_id.in_(list(run_ids)))
        .where(rd.c.state == PRESENT)
        .distinct()
    )


def _latest_probe(url_id: Any, as_of: int) -> Any:
    """The probe run of the latest check of ``url_id`` as of harvest run ``as_of`` (correlated;
    an index seek per URL on ``ix_link_checks_url_probe``)."""
    lc, pr = t.link_checks.alias("lc_latest"), t.probe_runs.alias("pr_latest")
    return (
        sa.select(lc.c.probe_run_id)
        .join(pr, pr.c.id == lc.c.probe_run_id)
        .where(lc.c.url_id == url_id)
        .where(pr.c.run_id <= as_of)
        .order_by(lc.c.probe_run_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _latest_checks(run_ids: Sequence[int], *columns: Any) -> sa.Select[Any]:
    """``url`` and ``columns`` of the latest check of every checked URL of the given runs."""
    lc, u = t.link_checks, t.urls
    ids = _run_url_ids(run_ids).subquery()
    return (
        sa.select(u.c.url, *columns)
        .select_from(ids)
        .join(lc, sa.and_(lc.c.url_id == ids.c.url_id,
                          lc.c.probe_run_id == _latest_probe(ids.c.url_id, max(run_ids))))
        .join(u, u.c.id == lc.c.url_id)
    )


def iter_checks(store: Store, run_ids: Sequence[int], *, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """The latest check of every checked URL of the given runs, as ``link_checks`` rows plus ``url``."""
    if not run_ids:
        return
    stmt = _latest_checks(run_ids, t.link_checks).order_by(t.urls.c.id)
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(stmt)
        for row in result.mappings():
            yield _timed(dict(row))


def link_state(row: dict[str, Any]) -> LinkState:
    checked = row["checked_at"]
    return LinkState(
        url=row["url"],
        outcome=row["outcome"],
        status=row["status"],
        final_url=row["final_url"],
        reason=row["reason"],
        checked_at=checked.isoformat() if checked is not None else None,
    )


def link_states(store: Store, run_id: int) -> dict[str, LinkState]:
    """The latest :class:`LinkState` of every checked URL of a harvest run, keyed by URL.

    URLs never checked are absent (the scorers count them as "not checked").
    """
    return {row["url"]: link_state(row) for row in iter_checks(store, [run_id])}


def link_outcomes(store: Store, run_id: int) -> dict[str, str]:
    """The outcome of the latest check of every checked URL of a harvest run, keyed by URL: the
    part of :func:`link_states` that link health needs, a few times cheaper to read."""
    with store.engine.connect() as conn:
        return {url: outcome for url, outcome in conn.execute(_latest_checks([run_id], t.link_checks.c.outcome))}


def _outcome_as_of(url_id: Any, as_of: int | None) -> Any:
    lc = t.link_checks.alias("lc_outcome")
    if as_of is None:  # no earlier run: nothing known
        return sa.null()
    return (
        sa.select(lc.c.outcome)
        .where(lc.c.url_id == url_id)
        .where(lc.c.probe_run_id == _latest_probe(url_id, as_of))
        .scalar_subquery()
    )


def publisher_links(store: Store, run_id: int, *, publisher: str | None = None
                    ) -> Iterator[tuple[str | None, str, str | None, str | None]]:
    """``(publisher_key, url, outcome, previous_outcome)`` for each URL of each publisher of a run
    (or of the one with key ``publisher``).

    ``outcome`` is the latest as of this run, ``previous_outcome`` as of the
    catalogue's previous complete run (``None`` when unchecked or absent).
    """
    run = store.run(run_id)
    prev = store.previous_run(run)
    rd, r, ru, u = t.run_datasets, t.records, t.record_urls, t.urls
    mine = (
        sa.select(rd.c.publisher_key, ru.c.url_id)
        .select_from(rd)
        .join(r, r.c.hash == rd.c.record_hash)
        .join(ru, ru.c.record_id == r.c.id)
        .where(rd.c.run_id == run_id)
        .where(rd.c.state == PRESENT)
    )
    if publisher is not None:
        mine = mine.where(rd.c.publisher_key == publisher)
    pairs = mine.distinct().subquery()
    stmt = (
        sa.select(
            pairs.c.publisher_key,
            u.c.url,
            _outcome_as_of(pairs.c.url_id, run_id),
            _outcome_as_of(pairs.c.url_id, prev.id if prev else None),
        )
        .select_from(pairs)
        .join(u, u.c.id == pairs.c.url_id)
    )
    # On SQLite the DISTINCT over every URL spills to disk, not memory; the connection gets back
    # the temp_store it had.
    with store.engine.connect() as conn, sqlite_pragma(conn, "temp_store", "FILE"):
        result = conn.execution_options(stream_results=True, yield_per=5000).execute(stmt)
        try:
            for pkey, url, outcome, previous in result:  # noqa: UP028 - rows become plain tuples
                yield pkey, url, outcome, previous
        finally:
            result.close()


def newly_broken_in_probe(store: Store, probe_run_id: int) -> int:
    """How many URLs this probe run found broken that its previous check had not
    (or that had no earlier check): the run's newly broken links once it is complete.
    Reads only the probe run's broken rows."""
    lc, prev = t.link_checks, t.link_checks.alias("prev")
    before = (
        sa.select(prev.c.outcome)
        .where(prev.c.url_id == lc.c.url_id)
        .where(prev.c.probe_run_id < probe_run_id)
        .order_by(prev.c.probe_run_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        sa.select(sa.func.count())
        .select_from(lc)
        .where(lc.c.probe_run_id == probe_run_id)
        .where(lc.c.outcome == "broken")
        .where(sa.func.coalesce(before, "") != "broken")
    )
    with store.engine.connect() as conn, sqlite_small_cache(conn):
        n = int(conn.execute(stmt).scalar_one())
        _release(conn)
        return n


def newly_broken(store: Store, run_id: int) -> list[str]:
    """URLs of the run broken now that were not broken as of the catalogue's previous run."""
    found: dict[str, None] = {}
    for _pkey, url, outcome, previous in publisher_links(store, run_id):
        if outcome == "broken" and previous != "broken":
            found[url] = None
    return list(found)


def url_history(store: Store, url: str) -> list[dict[str, Any]]:
    """Every check of ``url``, oldest first, with the harvest run each belonged to."""
    lc, u, pr = t.link_checks, t.urls, t.probe_runs
    stmt = (
        sa.select(pr.c.run_id, lc)
        .join(u, u.c.id == lc.c.url_id)
        .join(pr, pr.c.id == lc.c.probe_run_id)
        .where(u.c.hash == codec.url_hash(url))
        .order_by(lc.c.probe_run_id)
    )
    with store.engine.connect() as conn:
        return [_timed(dict(r)) for r in conn.execute(stmt).mappings()]
