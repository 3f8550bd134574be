"""Storing and reading assessments: DQV-shaped measurement rows and dataset scores per run.

An assessment of a run replaces the previous one of that run in one
transaction: until it commits, the old measurements stay readable, and a
failure leaves them intact. Writes are bulk, in chunks of plain tuples straight
through the driver (``executemany`` on SQLite, ``COPY`` on PostgreSQL: ``store._bulk``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa

from govlens.aggregate.quality import DatasetQuality
from govlens.aggregate.rollup import Rollup
from govlens.assess.assessment import (
    DatasetAssessment,
    StoredFacts,
    facts_from_measurements,
    measurement_tuples,
)
from govlens.assess.metrics import DATASET_METRICS, DISTRIBUTION_METRICS, Weights
from govlens.assess.mqa import score as mqa_score
from govlens.assess.score import rating
from govlens.errors import NotFound, StoreError
from govlens.model import QualityMeasurement
from govlens.store import quality_stats
from govlens.store import schema as t
from govlens.store._bulk import insert_rows
from govlens.store._sql import db_cause, now

if TYPE_CHECKING:
    from govlens.store.repository import Store

CHUNK = 5000


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    run_id: int
    assessed_at: datetime
    rescored_at: datetime | None
    weights: Weights
    datasets: int
    distributions: int
    mqa_mean: float | None
    links_checked: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One dataset's scores in a run, with its publisher's name and its compact facts."""

    run_id: int
    dataset: str
    publisher_key: str | None
    publisher_name: str | None
    mqa: int
    findability: int
    accessibility: int
    interoperability: int
    reusability: int
    contextuality: int
    rating: str
    best_distribution: int | None
    dcat_ap_compliant: bool | None
    shapes: str | None
    validated: str | None
    udata: float
    stars: int
    pod_valid: bool | None
    distributions: int
    facts: str

    def decoded_facts(self) -> tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...], tuple[int, ...]]:
        """``(dataset facts, distribution facts, distribution stars)``."""
        ds, dists, stars, _crit = orjson.loads(self.facts)
        return tuple(ds), tuple(tuple(d) for d in dists), tuple(stars)


def _score_values(run_id: int, a: DatasetAssessment) -> tuple[Any, ...]:
    """A ``dataset_scores`` row: the table's columns in its order."""
    m = a.mqa
    c = a.compliance
    return (
        run_id, a.identifier, a.publisher, m.total, m.findability, m.accessibility,
        m.interoperability, m.reusability, m.contextuality, m.rating, m.best,
        a.dcat_ap_compliant, c.shapes if c else None, c.validated if c else None, a.udata, a.stars,
        a.pod.valid if a.pod else None, len(a.dist_ids),
        orjson.dumps([a.ds_facts, a.dist_facts, a.dist_stars, a.udata_criteria]).decode(),
    )


def _score_row(run_id: int, a: DatasetAssessment) -> dict[str, Any]:
    return dict(zip(t.dataset_scores.c.keys(), _score_values(run_id, a), strict=True))


def _measurement_values(run_id: int, a: DatasetAssessment, weights: Weights) -> list[tuple[Any, ...]]:
    """``measurements`` rows (the table's columns in its order), each value as JSON text
    (None when not measured)."""
    dumps = orjson.dumps
    return [
        (run_id, ds, seq, metric, subject,
         None if v is None else "true" if v is True else "false" if v is False else dumps(v).decode(), p)
        for ds, seq, subject, metric, v, p in measurement_tuples(a, weights)
    ]


def _quality(a: DatasetAssessment) -> DatasetQuality:
    return DatasetQuality(a.identifier, a.publisher, a.mqa.total, a.mqa.dimensions, a.udata, a.stars,
                          a.ds_facts, a.dist_facts)


def save_assessment(
    store: Store,
    run_id: int,
    assessments: Iterable[DatasetAssessment],
    *,
    weights: Weights,
    links_checked: int = 0,
    started: datetime | None = None,
) -> AssessmentRow:
    """Replace the run's assessment with ``assessments`` (consumed as it streams), atomically."""
    begun = started or now()
    n = n_dist = 0
    total = 0
    seen: set[str] = set()
    try:
        with store.engine.begin() as conn:
            for table in (t.measurements, t.dataset_scores, t.assessments):
                conn.execute(table.delete().where(table.c.run_id == run_id))
            roll = Rollup(weights)
            scores: list[tuple[Any, ...]] = []
            rows: list[tuple[Any, ...]] = []
            for a in assessments:
                if a.identifier in seen:
                    continue
                seen.add(a.identifier)
                n += 1
                n_dist += len(a.dist_ids)
                total += a.mqa.total
                scores.append(_score_values(run_id, a))
                roll.add(_quality(a), a.fix_gains)
                rows += _measurement_values(run_id, a, weights)
                if len(rows) >= CHUNK:
                    insert_rows(conn, t.measurements, rows)
                    insert_rows(conn, t.dataset_scores, scores)
                    rows, scores = [], []
            if rows:
                insert_rows(conn, t.measurements, rows)
            if scores:
                insert_rows(conn, t.dataset_scores, scores)
            finished = now()
            conn.execute(t.assessments.insert().values(
                run_id=run_id, assessed_at=finished, weights=orjson.dumps(weights.to_dict()).decode(),
                datasets=n, distributions=n_dist, mqa_mean=(total / n) if n else None,
                links_checked=links_checked, seconds=(finished - begun).total_seconds(),
            ))
            quality_stats.write(conn, run_id, roll)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError("could not store the assessment", run=run_id, cause=db_cause(exc)) from exc
    return assessment(store, run_id)


def assessment(store: Store, run_id: int) -> AssessmentRow:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(t.assessments).where(t.assessments.c.run_id == run_id)).mappings().first()
    if row is None:
        raise NotFound("the run has not been assessed yet; run `govlens assess`", run=run_id)
    d = {k: v for k, v in row.items() if k not in ("counts", "fixes")}  # the roll-up: quality_stats
    d["weights"] = Weights.from_dict(orjson.loads(d["weights"]))
    return AssessmentRow(**d)


def has_assessment(store: Store, run_id: int) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(t.assessments).where(t.assessments.c.run_id == run_id)
        ).scalar_one() > 0


def _scores_query(run_id: int) -> sa.Select[Any]:
    s = t.dataset_scores
    return (
        sa.select(s, t.publishers.c.name.label("publisher_name"))
        .select_from(
            s.join(t.runs, t.runs.c.id == s.c.run_id).outerjoin(
                t.publishers,
                sa.and_(t.publishers.c.catalogue_id == t.runs.c.catalogue_id,
                        t.publishers.c.key == s.c.publisher_key),
            )
        )
        .where(s.c.run_id == run_id)
    )


def iter_scores(store: Store, run_id: int, *, publisher: str | None = None,
                batch: int = 2000) -> Iterator[ScoreRow]:
    """The dataset scores of a run in dataset order (``publisher``: one publisher's, by key)."""
    q = _scores_query(run_id).order_by(t.dataset_scores.c.dataset)
    if publisher is not None:
        q = q.where(t.dataset_scores.c.publisher_key == publisher)
    with store.engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=batch).execute(q).mappings():
            yield ScoreRow(**row)


def score_page(store: Store, run_id: int, *, publisher: str | None = None, after: str | None = None,
               limit: int = 100) -> list[ScoreRow]:
    """A page of a run's dataset scores in dataset order, after dataset ``after`` (keyset paging)."""
    s = t.dataset_scores
    q = _scores_query(run_id).order_by(s.c.dataset).limit(limit)
    if publisher is not None:
        q = q.where(s.c.publisher_key == publisher)
    if after is not None:
        q = q.where(s.c.dataset > after)
    with store.engine.connect() as conn:
        return [ScoreRow(**row) for row in conn.execute(q).mappings()]


def dataset_score(store: Store, run_id: int, dataset: str) -> ScoreRow | None:
    """One dataset's scores in a run, or None when the run's assessment does not hold it."""
    q = _scores_query(run_id).where(t.dataset_scores.c.dataset == dataset)
    with store.engine.connect() as conn:
        row = conn.execute(q).mappings().first()
    return ScoreRow(**row) if row is not None else None


def dataset_measurements(store: Store, run_id: int, dataset: str) -> list[QualityMeasurement]:
    """Every measurement row of one dataset in a run (dataset first, then each distribution)."""
    m = t.measurements
    q = sa.select(m.c.dataset, m.c.seq, m.c.subject, m.c.metric, m.c.value, m.c.points).where(
        m.c.run_id == run_id, m.c.dataset == dataset).order_by(m.c.seq, m.c.metric)
    with store.engine.connect() as conn:
        return [QualityMeasurement(ds, seq, subject, metric, None if value is None else orjson.loads(value), points)
                for ds, seq, subject, metric, value, points in conn.execute(q)]


def iter_measurements(store: Store, run_id: int, *, metrics: Iterable[str] | None = None,
                      batch: int = 5000) -> Iterator[QualityMeasurement]:
    """The measurement rows of a run, ordered by dataset then subject then metric."""
    m = t.measurements
    q = sa.select(m.c.dataset, m.c.seq, m.c.subject, m.c.metric, m.c.value, m.c.points).where(
        m.c.run_id == run_id).order_by(m.c.dataset, m.c.seq, m.c.metric)
    if metrics is not None:
        q = q.where(m.c.metric.in_(list(metrics)))
    with store.engine.connect() as conn:
        for ds, seq, subject, metric, value, points in conn.execution_options(
                stream_results=True, yield_per=batch).execute(q):
            yield QualityMeasurement(ds, seq, subject, metric, None if value is None else orjson.loads(value), points)


def iter_stored_facts(store: Store, run_id: int) -> Iterator[StoredFacts]:
    """Each dataset's MQA facts, rebuilt from its stored measurement rows."""
    names = {m.name for m in DATASET_METRICS} | {m.name for m in DISTRIBUTION_METRICS}
    current: str | None = None
    group: list[QualityMeasurement] = []
    for r in iter_measurements(store, run_id, metrics=names):
        if r.dataset != current and group:
            yield facts_from_measurements(current, group)  # type: ignore[arg-type]
            group = []
        current = r.dataset
        group.append(r)
    if group:
        yield facts_from_measurements(current, group)  # type: ignore[arg-type]


def rescore(store: Store, run_id: int, weights: Weights) -> AssessmentRow:
    """Recompute points and MQA scores of an assessed run from its measurements, with new weights."""
    assessment(store, run_id)  # NotFound when never assessed
    updates: list[dict[str, Any]] = []
    total = n = 0
    for f in iter_stored_facts(store, run_id):
        s = mqa_score(f.ds_facts, f.dist_facts, weights)
        n += 1
        total += s.total
        updates.append({"b_run": run_id, "b_dataset": f.identifier, "mqa": s.total,
                        "findability": s.findability, "accessibility": s.accessibility,
                        "interoperability": s.interoperability, "reusability": s.reusability,
                        "contextuality": s.contextuality, "rating": rating(s.total),
                        "best_distribution": s.best})
    ds = t.dataset_scores
    stmt = ds.update().where(ds.c.run_id == sa.bindparam("b_run")).where(
        ds.c.dataset == sa.bindparam("b_dataset"))
    try:
        with store.engine.begin() as conn:
            for i in range(0, len(updates), CHUNK):
                conn.execute(stmt, updates[i:i + CHUNK])
            _repoint(conn, run_id, weights)
            quality_stats.rebuild_in(conn, run_id, weights)
            conn.execute(t.assessments.update().where(t.assessments.c.run_id == run_id).values(
                weights=orjson.dumps(weights.to_dict()).decode(), rescored_at=now(),
                mqa_mean=(total / n) if n else None))
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError("could not store the new scores", run=run_id, cause=db_cause(exc)) from exc
    return assessment(store, run_id)


def _repoint(conn: sa.Connection, run_id: int, weights: Weights) -> None:
    """Set each measurement's points from its value under ``weights`` (a few set-based UPDATEs)."""
    m = t.measurements
    for level, metrics, pts in (("dataset", DATASET_METRICS, weights.dataset),
                                ("distribution", DISTRIBUTION_METRICS, weights.distribution)):
        seq_cond = m.c.seq == 0 if level == "dataset" else m.c.seq > 0
        for metric, (tp, fp) in zip(metrics, pts, strict=True):
            if metric.status:
                code = sa.cast(m.c.value, sa.Integer)
                hit = sa.and_(code >= 200, code <= 299)
            else:
                hit = m.c.value == "true"
            conn.execute(
                m.update()
                .where(m.c.run_id == run_id, m.c.metric == metric.name, seq_cond, m.c.value.is_not(None))
                .values(points=sa.case((hit, tp), else_=fp))
            )
