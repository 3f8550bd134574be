"""Quality roll-ups per run and publisher (table ``quality_stats``).

Written in the same transaction as each assessment (``measurements.save_assessment``)
and each rescoring; runs assessed before the table existed get theirs on first read
(:func:`ensure`). Readers get :class:`~govlens.aggregate.rollup.Group` values and merge
them: a catalogue is the merge of its publishers, the government the merge of its
catalogues. Nothing here aggregates dataset scores on read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa

from govlens.advise.fixes import FixTally
from govlens.aggregate.quality import DatasetQuality, Tally
from govlens.aggregate.rollup import Group, Rollup, merge
from govlens.assess.metrics import Weights
from govlens.assess.score import Rating, rating
from govlens.errors import StoreError
from govlens.store import schema as t
from govlens.store._sql import chunks, db_cause, insert_ignore

if TYPE_CHECKING:
    from govlens.store.repository import Store

BATCH = 5000


def rows(run_id: int, rollup: Rollup) -> list[dict[str, Any]]:
    out = []
    for key, g in rollup.groups.items():
        tl = g.tally
        out.append({"run_id": run_id, "publisher_key": key, "datasets": tl.n, "distributions": tl.n_dist,
                    "mqa_sum": tl.mqa_sum, "udata_sum": tl.udata_sum,
                    "counts": orjson.dumps(tl.state()).decode(), "fixes": orjson.dumps(g.fixes.state()).decode()})
    return out


def write(conn: sa.Connection, run_id: int, rollup: Rollup) -> None:
    """Replace the run's roll-up rows, and the whole run's on its assessment row (inside the
    caller's transaction, after the assessment row is written)."""
    qs = t.quality_stats
    conn.execute(qs.delete().where(qs.c.run_id == run_id))
    for batch in chunks(rows(run_id, rollup), 500):
        insert_ignore(conn, qs, batch)
    whole = merge(rollup.groups.values())
    conn.execute(t.assessments.update().where(t.assessments.c.run_id == run_id).values(
        counts=orjson.dumps(whole.tally.state()).decode(), fixes=orjson.dumps(whole.fixes.state()).decode()))


def _weights(conn: sa.Connection, run_id: int) -> Weights | None:
    raw = conn.execute(sa.select(t.assessments.c.weights).where(t.assessments.c.run_id == run_id)).scalar()
    return None if raw is None else Weights.from_dict(orjson.loads(raw))


def rollup_from_scores(conn: sa.Connection, run_id: int, weights: Weights) -> Rollup:
    """The run's roll-up, computed from its stored dataset scores (streamed)."""
    s = t.dataset_scores
    q = sa.select(s.c.dataset, s.c.publisher_key, s.c.mqa, s.c.findability, s.c.accessibility,
                  s.c.interoperability, s.c.reusability, s.c.contextuality, s.c.udata, s.c.stars,
                  s.c.facts).where(s.c.run_id == run_id).order_by(s.c.dataset)
    roll = Rollup(weights)
    # Options on the statement, not the connection: the caller's transaction writes next.
    for ident, pkey, mqa, f, a, i, r, c, udata, stars, facts in conn.execute(
            q.execution_options(stream_results=True, yield_per=BATCH)):
        ds, dists, _stars, _crit = orjson.loads(facts)
        roll.add(DatasetQuality(ident, pkey, mqa, (f, a, i, r, c), udata, stars, tuple(ds),
                                tuple(tuple(x) for x in dists)))
    return roll


def rebuild_in(conn: sa.Connection, run_id: int, weights: Weights) -> None:
    """Recompute the run's roll-up from its dataset scores, inside the caller's transaction."""
    write(conn, run_id, rollup_from_scores(conn, run_id, weights))


def rebuild(store: Store, run_id: int) -> bool:
    """Recompute the roll-up of an assessed run; False when the run was never assessed."""
    try:
        with store.engine.begin() as conn:
            weights = _weights(conn, run_id)
            if weights is None:
                return False
            rebuild_in(conn, run_id, weights)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError("could not store the quality roll-up", run=run_id, cause=db_cause(exc)) from exc
    return True


def ensure(store: Store, run_id: int) -> bool:
    """True when the run was assessed, writing its roll-ups first if an older version of govlens
    assessed it without them."""
    a = t.assessments
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(a.c.counts.is_not(None)).where(a.c.run_id == run_id)).first()
    if found is None:
        return False
    return True if found[0] else rebuild(store, run_id)


@dataclass(frozen=True, slots=True)
class RunMean:
    """A run's (or one publisher's) mean MQA score in one assessed run."""

    run: int
    datasets: int
    mqa_mean: float | None
    udata_mean: float | None = None

    @property
    def mqa_rating(self) -> Rating | None:
        return rating(self.mqa_mean) if self.mqa_mean is not None else None


def groups(store: Store, run_id: int, keys: Sequence[str] | None = None, *,
           with_fixes: bool = True) -> dict[str, Group]:
    """The stored roll-up of each publisher of a run (``""``: datasets without a publisher)."""
    qs = t.quality_stats
    cols = [qs.c.publisher_key, qs.c.counts] + ([qs.c.fixes] if with_fixes else [])
    q = sa.select(*cols).where(qs.c.run_id == run_id)
    if keys is not None:
        q = q.where(qs.c.publisher_key.in_(list(keys)))
    with store.engine.connect() as conn:
        found = conn.execute(q).all()
    out = {}
    for row in found:
        fixes = FixTally.from_state(orjson.loads(row[2])) if with_fixes else FixTally()
        out[row[0]] = Group(Tally.from_state(row[0], orjson.loads(row[1])), fixes)
    return out


def run_group(store: Store, run_id: int, key: str = "", *, with_fixes: bool = True) -> Group | None:
    """The whole run's roll-up (the merge of its publishers), or None when it was not assessed."""
    if not ensure(store, run_id):
        return None
    a = t.assessments
    with store.engine.connect() as conn:
        counts, fixes = conn.execute(sa.select(a.c.counts, a.c.fixes).where(a.c.run_id == run_id)).one()
    return Group(Tally.from_state(key, orjson.loads(counts)),
                 FixTally.from_state(orjson.loads(fixes)) if with_fixes else FixTally())


def run_rollup(store: Store, run_id: int) -> tuple[Group, Weights] | None:
    """The whole run's roll-up with its fixes, and the weights it was scored with; None when the
    run was not assessed."""
    if not ensure(store, run_id):
        return None
    a = t.assessments
    with store.engine.connect() as conn:
        counts, fixes, weights = conn.execute(
            sa.select(a.c.counts, a.c.fixes, a.c.weights).where(a.c.run_id == run_id)).one()
    return (Group(Tally.from_state("", orjson.loads(counts)), FixTally.from_state(orjson.loads(fixes))),
            Weights.from_dict(orjson.loads(weights)))


def publisher_scores(store: Store, run_id: int, *, check: bool = True) -> dict[str, RunMean]:
    """Each publisher's datasets and MQA and udata means in an assessed run (a few numbers per row;
    ``check`` as for :func:`publisher_means`)."""
    qs = t.quality_stats
    if check and not ensure(store, run_id):
        return {}
    q = sa.select(qs.c.publisher_key, qs.c.datasets, qs.c.mqa_sum, qs.c.udata_sum).where(qs.c.run_id == run_id)
    with store.engine.connect() as conn:
        return {k: RunMean(run_id, n, s / n if n else None, u / n if n else None) for k, n, s, u in conn.execute(q)}


def run_means(store: Store, run_ids: Iterable[int]) -> dict[int, RunMean]:
    """The mean MQA score of each assessed run among ``run_ids``."""
    a = t.assessments
    ids = list(run_ids)
    if not ids:
        return {}
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(a.c.run_id, a.c.datasets, a.c.mqa_mean).where(a.c.run_id.in_(ids))).all()
    return {r: RunMean(r, n, mean) for r, n, mean in found}


def publisher_means(store: Store, run_ids: Iterable[int], key: str, *, check: bool = True) -> dict[int, RunMean]:
    """One publisher's mean MQA score in each of ``run_ids`` where it was assessed (``check``: write
    the roll-ups of runs an older govlens assessed first; False when the caller did)."""
    qs = t.quality_stats
    ids = list(run_ids)
    for r in ids if check else ():
        ensure(store, r)
    if not ids:
        return {}
    q = sa.select(qs.c.run_id, qs.c.datasets, qs.c.mqa_sum).where(qs.c.run_id.in_(ids), qs.c.publisher_key == key)
    with store.engine.connect() as conn:
        found = conn.execute(q).all()
    return {r: RunMean(r, n, s / n if n else None) for r, n, s in found}
