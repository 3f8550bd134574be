"""Read-only queries for the dashboard, the REST API and the reports.

Each function takes a :class:`~govlens.store.Store` and returns plain frozen
rows; none writes. Listing queries are keyset- or offset-paged and never load
a whole catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from govlens.store import codec
from govlens.store import schema as t
from govlens.store._sql import insert_ignore
from govlens.store.repository import COMPLETE, PRESENT, StoredDataset

if TYPE_CHECKING:
    from govlens.store.repository import Store


@dataclass(frozen=True, slots=True)
class CatalogueSummary:
    """A catalogue with the counts of its latest complete run (``run`` is None before one)."""

    name: str
    title: str | None
    source: str
    kind: str
    language: str | None
    runs: int
    run: int | None
    finished_at: datetime | None
    datasets: int
    distributions: int
    publishers: int
    warnings: int
    withdrawn: int


@dataclass(frozen=True, slots=True)
class PublisherCount:
    key: str
    name: str
    datasets: int
    distributions: int
    warnings: int
    homepage: str | None = None


@dataclass(frozen=True, slots=True)
class DatasetItem:
    """One line of a dataset listing: what can be shown without deeper stages."""

    identifier: str
    title: str | None
    publisher_key: str | None
    distributions: int
    warnings: int
    seq: int


def run_label(run_id: int, finished_at: datetime | None) -> str:
    """How a run is named on a chart axis: its date and number."""
    return f"{finished_at:%Y-%m-%d} #{run_id}" if finished_at else f"#{run_id}"


def _latest_complete() -> sa.Subquery:
    return (
        sa.select(t.runs.c.catalogue_id, sa.func.max(t.runs.c.id).label("run_id"))
        .where(t.runs.c.status == COMPLETE)
        .group_by(t.runs.c.catalogue_id)
        .subquery("latest")
    )


def catalogue_summaries(store: Store) -> list[CatalogueSummary]:
    """Every catalogue, by name, with its latest complete run's counts."""
    c, r = t.catalogues, t.runs
    latest = _latest_complete()
    nruns = (
        sa.select(r.c.catalogue_id, sa.func.count().label("n")).group_by(r.c.catalogue_id).subquery("nr")
    )
    q = (
        sa.select(
            c.c.name, c.c.title, c.c.source, c.c.kind, c.c.language,
            sa.func.coalesce(nruns.c.n, 0).label("runs"),
            r.c.id.label("run"), r.c.finished_at,
            r.c.datasets, r.c.distributions, r.c.publishers, r.c.warnings, r.c.withdrawn,
        )
        .select_from(c)
        .outerjoin(latest, latest.c.catalogue_id == c.c.id)
        .outerjoin(r, r.c.id == latest.c.run_id)
        .outerjoin(nruns, nruns.c.catalogue_id == c.c.id)
        .order_by(c.c.name)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    out = []
    for m in rows:
        d: dict[str, Any] = dict(m)
        for k in ("datasets", "distributions", "publishers", "warnings", "withdrawn"):
            d[k] = d[k] or 0
        out.append(CatalogueSummary(**d))
    return out


def _key() -> sa.ColumnElement[str]:
    """A dataset's publisher key, ``""`` for none (a literal, so GROUP BY matches the SELECT)."""
    return sa.func.coalesce(t.run_datasets.c.publisher_key, sa.literal_column("''"))


def ensure_run_stats(store: Store, run_id: int) -> bool:
    """Write the per-publisher aggregates of a complete run once; True when they exist.

    A run still running (or failed) changes, so it has none and is counted live.
    """
    ps, rd = t.run_publisher_stats, t.run_datasets
    with store.engine.connect() as conn:
        status, n = conn.execute(sa.select(t.runs.c.status, t.runs.c.datasets).where(t.runs.c.id == run_id)).one()
        if status != COMPLETE:
            return False
        if n == 0 or conn.execute(sa.select(ps.c.run_id).where(ps.c.run_id == run_id).limit(1)).first():
            return True
    grouped = (
        sa.select(
            rd.c.run_id,
            _key(),
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(rd.c.distributions), 0),
            sa.func.coalesce(sa.func.sum(rd.c.warnings), 0),
        )
        .where(rd.c.run_id == run_id, rd.c.state == PRESENT)
        .group_by(rd.c.run_id, _key())
    )
    cols = ["run_id", "publisher_key", "datasets", "distributions", "warnings"]
    with store.engine.begin() as conn:
        mod: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(mod.insert(ps).from_select(cols, grouped).on_conflict_do_nothing())
    return True


def _live_counts(run_id: int) -> sa.Subquery:
    rd = t.run_datasets
    return (
        sa.select(
            _key().label("publisher_key"),
            sa.func.count().label("datasets"),
            sa.func.sum(rd.c.distributions).label("distributions"),
            sa.func.sum(rd.c.warnings).label("warnings"),
        )
        .where(rd.c.run_id == run_id, rd.c.state == PRESENT)
        .group_by(_key())
        .subquery("pc")
    )


def _stored_counts(run_id: int) -> sa.Subquery:
    ps = t.run_publisher_stats
    return (
        sa.select(ps.c.publisher_key, ps.c.datasets, ps.c.distributions, ps.c.warnings)
        .where(ps.c.run_id == run_id)
        .subquery("pc")
    )


def publisher_counts(
    store: Store,
    run_id: int,
    catalogue_id: int,
    *,
    keys: Sequence[str] | None = None,
) -> list[PublisherCount]:
    """Datasets, distributions and warnings per publisher in one run, most datasets first."""
    p = t.publishers
    sub = _stored_counts(run_id) if ensure_run_stats(store, run_id) else _live_counts(run_id)
    full = (
        sa.select(sub, p.c.name, p.c.homepage)
        .select_from(sub)
        .outerjoin(p, sa.and_(p.c.catalogue_id == catalogue_id, p.c.key == sub.c.publisher_key))
        .order_by(sub.c.datasets.desc(), sub.c.publisher_key)
    )
    if keys is not None:
        full = full.where(sub.c.publisher_key.in_(list(keys)))
    with store.engine.connect() as conn:
        rows = conn.execute(full).mappings().all()
    return [
        PublisherCount(
            key=m["publisher_key"],
            name=m["name"] or m["publisher_key"],
            datasets=int(m["datasets"]),
            distributions=int(m["distributions"] or 0),
            warnings=int(m["warnings"] or 0),
            homepage=m["homepage"],
        )
        for m in rows
    ]


def _item_query(run_id: int) -> sa.Select[Any]:
    rd = t.run_datasets
    return (
        sa.select(rd.c.identifier, rd.c.publisher_key, rd.c.distributions, rd.c.warnings, rd.c.seq,
                  t.records.c.body)
        .join(t.records, t.records.c.hash == rd.c.record_hash)
        .where(rd.c.run_id == run_id, rd.c.state == PRESENT)
        .order_by(rd.c.seq)
    )


def _items(store: Store, q: sa.Select[Any]) -> list[DatasetItem]:
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        DatasetItem(ident, codec.load_title(body), pkey, nd, nw, seq)
        for ident, pkey, nd, nw, seq, body in rows
    ]


def dataset_items(
    store: Store,
    run_id: int,
    *,
    publisher: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[DatasetItem]:
    """A page of a run's datasets in harvest order, after sequence number ``after``."""
    rd = t.run_datasets
    q = _item_query(run_id).limit(limit)
    if publisher is not None:
        q = q.where(rd.c.publisher_key == publisher)
    if after is not None:
        q = q.where(rd.c.seq > after)
    return _items(store, q)


def dataset_in_latest(store: Store, catalogue: str, identifier: str) -> tuple[int, StoredDataset]:
    """A dataset as the latest complete run of ``catalogue`` holds it: ``(run id, record)``."""
    run = store.latest_run(catalogue)
    return run.id, store.dataset(run.id, identifier)


@dataclass(frozen=True, slots=True)
class PublisherPoint:
    """One publisher's size in one complete run."""

    run: int
    label: str
    datasets: int


def publisher_history(store: Store, catalogue: str, key: str) -> list[PublisherPoint]:
    """Datasets of one publisher in each complete run of ``catalogue``, oldest first."""
    runs = store.runs(catalogue, COMPLETE)
    for r in runs:
        ensure_run_stats(store, r.id)
    ps = t.run_publisher_stats
    q = sa.select(ps.c.run_id, ps.c.datasets).where(
        ps.c.run_id.in_([x.id for x in runs]), ps.c.publisher_key == key
    )
    with store.engine.connect() as conn:
        counts = {run_id: n for run_id, n in conn.execute(q)} if runs else {}
    return [PublisherPoint(x.id, run_label(x.id, x.finished_at), int(counts.get(x.id, 0))) for x in runs]


def ensure_title_index(store: Store, run_id: int) -> bool:
    """Index the titles of a complete run's datasets once (decoding each record once); True when
    the index exists. Runs not complete are searched by identifier only."""
    tt = t.run_dataset_titles
    with store.engine.connect() as conn:
        status, n = conn.execute(sa.select(t.runs.c.status, t.runs.c.datasets).where(t.runs.c.id == run_id)).one()
        if status != COMPLETE:
            return False
        if n == 0 or conn.execute(sa.select(tt.c.run_id).where(tt.c.run_id == run_id).limit(1)).first():
            return True
    batch: list[dict[str, Any]] = []
    with store.engine.begin() as conn:
        for sd in store.iter_datasets(run_id):
            folded = f"{sd.dataset.title or ''} {sd.identifier}".casefold()
            batch.append({"run_id": run_id, "identifier": sd.identifier, "folded": folded})
            if len(batch) >= 5000:
                insert_ignore(conn, tt, batch)
                batch = []
        insert_ignore(conn, tt, batch)
    return True


def _like(text: str) -> str:
    return "%" + text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_datasets(store: Store, run_id: int, text: str, *, limit: int = 50) -> list[DatasetItem]:
    """Datasets of a run whose title or identifier contains ``text`` (case-insensitive)."""
    rd, tt = t.run_datasets, t.run_dataset_titles
    q = _item_query(run_id)
    if ensure_title_index(store, run_id):
        q = q.join(tt, sa.and_(tt.c.run_id == rd.c.run_id, tt.c.identifier == rd.c.identifier)).where(
            tt.c.folded.like(_like(text), escape="\\"))
    else:
        q = q.where(sa.func.lower(rd.c.identifier).like(_like(text), escape="\\"))
    return _items(store, q.limit(limit))
