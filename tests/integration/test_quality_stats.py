"""Quality roll-ups per run and publisher, on SQLite and PostgreSQL: written with each assessment
and rescoring, equal to aggregating the dataset scores directly, rebuilt for older assessments."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from govlens.advise.fixes import DatasetFacts, fix_list
from govlens.aggregate.quality import DatasetQuality, QualitySummary, Tally, score_bin
from govlens.aggregate.rollup import SAMPLE_IDS, merge
from govlens.assess.assessment import assess_dataset
from govlens.assess.metrics import Weights
from govlens.model import Catalogue, Dataset, Distribution, LinkState, Publisher
from govlens.run.assess import assess_catalogues, rescore_catalogues
from govlens.store import Store, quality_stats
from govlens.store import measurements as ms
from govlens.store import schema as t
from quality_records import CSV_URL, full_dataset

PUBS = (Publisher(key="shcp", name="Hacienda"), Publisher(key="imss", name="IMSS"), None)


def variant(i: int) -> Dataset:
    """Datasets that differ in what they miss, spread over two publishers and none."""
    ds = full_dataset(identifier=f"ds-{i:02d}", uri=None, publisher=PUBS[i % 3])
    dist = ds.distributions[0]
    if i % 2:
        ds = replace(ds, keywords=(), licence=None, distributions=(replace(dist, licence=None, format=None,
                                                                            format_raw=None),))
    if i % 4 == 0:
        ds = replace(ds, distributions=(*ds.distributions, Distribution(id=f"extra-{i}", format="PDF")))
    if i % 5 == 0:
        ds = replace(ds, temporal=None, spatial=(), distributions=())
    return ds


def seed(store: Store, n: int, name: str = "mx") -> None:
    cat = store.ensure_catalogue(Catalogue(name=name, source="demo", kind="ckan"))
    opened = store.open_run(cat, "demo", "ckan")
    store.save_page(opened.run, [variant(i) for i in range(n)], {"page": 1}, 0)
    store.finish_run(opened.run)


def live(store: Store, run_id: int) -> dict[str, tuple[Tally, list[DatasetFacts]]]:
    """The same roll-up aggregated straight from the stored dataset scores."""
    out: dict[str, tuple[Tally, list[DatasetFacts]]] = {}
    for s in ms.iter_scores(store, run_id):
        ds, dists, _ = s.decoded_facts()
        key = s.publisher_key or ""
        tally, items = out.setdefault(key, (Tally(key), []))
        tally.add(DatasetQuality(s.dataset, s.publisher_key, s.mqa, (s.findability, s.accessibility,
                                 s.interoperability, s.reusability, s.contextuality), s.udata, s.stars, ds, dists))
        items.append(DatasetFacts(s.dataset, ds, dists))
    return out


def same(a: QualitySummary, b: QualitySummary) -> bool:
    """Equal summaries; the udata mean is a float sum, which may differ in its last bits by order."""
    return (replace(a, udata_mean=None) == replace(b, udata_mean=None)
            and (a.udata_mean == b.udata_mean or abs(a.udata_mean - b.udata_mean) < 1e-9))  # type: ignore[operator]


def assert_matches_live(store: Store, run_id: int, weights: Weights) -> None:
    stored = quality_stats.groups(store, run_id)
    expected = live(store, run_id)
    assert set(stored) == set(expected) == {"shcp", "imss", ""}
    for key, (tally, items) in expected.items():
        assert same(stored[key].tally.summary(), tally.summary()), key
        got, want = stored[key].fixes.fixes(), fix_list(items, weights)
        assert [replace(f, dataset_ids=()) for f in got] == [replace(f, dataset_ids=()) for f in want]
        for f, w in zip(got, want, strict=True):
            assert f.dataset_ids == w.dataset_ids[:SAMPLE_IDS]


def test_assessment_writes_the_rollup_equal_to_live_aggregation(store: Store) -> None:
    seed(store, 30)
    [info] = assess_catalogues(store, links_for=lambda _s, _r: {CSV_URL: LinkState(CSV_URL, "ok", 200)})
    assert_matches_live(store, info.run, Weights())
    whole = quality_stats.run_group(store, info.run)  # the assessment's own row
    assert whole is not None
    merged = merge(quality_stats.groups(store, info.run).values())
    assert whole.tally.summary() == merged.tally.summary() and whole.fixes.fixes() == merged.fixes.fixes()
    s = whole.tally.summary()
    assert s.datasets == 30 and abs(s.mqa_mean - info.mqa_mean) < 1e-9  # type: ignore[operator]
    scores = [r.mqa for r in ms.iter_scores(store, info.run)]
    assert sum(s.bins) == 30 and s.bins[score_bin(max(scores))] >= 1
    assert dict(s.ratings) == {b: sum(1 for r in ms.iter_scores(store, info.run) if r.rating == b)
                               for b in ("excellent", "good", "sufficient", "bad")}
    lic = next(f for f in whole.fixes.fixes() if f.action == "add-licence")
    odd_with_files = [i for i in range(30) if i % 2 and i % 5]
    assert lic.datasets == len(odd_with_files) == 12 and len(lic.dataset_ids) == SAMPLE_IDS  # sampled ids


def test_rescoring_rewrites_the_rollup(store: Store) -> None:
    seed(store, 12)
    [info] = assess_catalogues(store)
    before = quality_stats.run_group(store, info.run)
    w = Weights().with_overrides({"keywordAvailability": [0, 0], "knownLicence": [50, 0]})
    rescore_catalogues(store, "mx", w)
    assert_matches_live(store, info.run, w)
    after = quality_stats.run_group(store, info.run)
    assert before is not None and after is not None
    assert after.tally.mqa_sum != before.tally.mqa_sum
    assert after.tally.mqa_sum / after.tally.n == pytest.approx(ms.assessment(store, info.run).mqa_mean)
    scores = quality_stats.publisher_scores(store, info.run)
    for key, g in quality_stats.groups(store, info.run).items():
        s = g.tally.summary()
        assert (scores[key].datasets, scores[key].mqa_rating) == (s.datasets, s.mqa_rating)
        assert scores[key].mqa_mean == pytest.approx(s.mqa_mean) and scores[key].udata_mean == pytest.approx(s.udata_mean)


def test_older_assessments_get_their_rollup_on_first_read(store: Store) -> None:
    seed(store, 9)
    [info] = assess_catalogues(store)
    want = quality_stats.groups(store, info.run)
    whole = quality_stats.run_group(store, info.run)
    with store.engine.begin() as conn:  # what an older govlens left: scores without roll-ups
        conn.execute(t.quality_stats.delete())
        conn.execute(t.assessments.update().values(counts=None, fixes=None))
    assert quality_stats.groups(store, info.run) == {}
    assert quality_stats.ensure(store, info.run)
    got = quality_stats.groups(store, info.run)
    assert {k: g.tally.summary() for k, g in got.items()} == {k: g.tally.summary() for k, g in want.items()}
    assert {k: g.fixes.fixes() for k, g in got.items()} == {k: g.fixes.fixes() for k, g in want.items()}
    again = quality_stats.run_group(store, info.run)
    assert whole is not None and again is not None
    assert again.tally.summary() == whole.tally.summary() and again.fixes.fixes() == whole.fixes.fixes()
    # A run never assessed has no roll-up and is not given one.
    cat = store.catalogue("mx")
    opened = store.open_run(cat, "demo", "ckan")
    store.save_page(opened.run, [variant(1)], {"page": 1}, 0)
    run2 = store.finish_run(opened.run)
    assert not quality_stats.ensure(store, run2.id) and quality_stats.run_group(store, run2.id) is None


def test_a_failed_assessment_keeps_the_previous_rollup(store: Store) -> None:
    seed(store, 6)
    [info] = assess_catalogues(store)
    want = quality_stats.groups(store, info.run)

    def boom() -> object:
        yield assess_dataset(variant(0))
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        ms.save_assessment(store, info.run, boom(), weights=Weights())  # type: ignore[arg-type]
    got = quality_stats.groups(store, info.run)
    assert {k: g.tally.summary() for k, g in got.items()} == {k: g.tally.summary() for k, g in want.items()}


def test_publisher_and_run_means_across_runs(store: Store) -> None:
    seed(store, 6)
    [first] = assess_catalogues(store)
    cat = store.catalogue("mx")
    opened = store.open_run(cat, "demo", "ckan")
    store.save_page(opened.run, [variant(i) for i in range(10)], {"page": 1}, 0)
    store.finish_run(opened.run)
    [second] = assess_catalogues(store)
    ids = [first.run, second.run]
    means = quality_stats.run_means(store, ids)
    assert means[first.run].mqa_mean == pytest.approx(first.mqa_mean)
    assert means[second.run].datasets == 10
    shcp = quality_stats.publisher_means(store, ids, "shcp")
    for run in ids:
        scores = [s.mqa for s in ms.iter_scores(store, run, publisher="shcp")]
        assert shcp[run].datasets == len(scores) and shcp[run].mqa_mean == pytest.approx(sum(scores) / len(scores))
    merged = merge(quality_stats.groups(store, second.run).values())
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(t.dataset_scores.c.mqa))
                             .where(t.dataset_scores.c.run_id == second.run)).scalar_one()
    assert merged.tally.mqa_sum == total
