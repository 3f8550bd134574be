"""Roll-ups stored per publisher: exact merges, JSON round trips, score bins and dimension maxima."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.advise.fixes import DatasetFacts, FixTally, fix_list
from govlens.aggregate.quality import N_BINS, DatasetQuality, Tally, bin_edges, score_bin
from govlens.aggregate.rollup import Rollup, merge
from govlens.assess import mqa
from govlens.assess.metrics import MAX_BY_DIMENSION, Weights
from govlens.assess.score import rating
from mqa_facts import facts_di, facts_ds

rows = st.lists(st.tuples(st.sampled_from(["a", "b", None]), facts_ds, st.lists(facts_di, max_size=3)),
                min_size=1, max_size=25)


def qualities(data: list[tuple[object, ...]]) -> list[DatasetQuality]:
    out = []
    for i, (pub, ds, dists) in enumerate(data):
        s = mqa.score(ds, dists)  # type: ignore[arg-type]
        out.append(DatasetQuality(f"d{i:03d}", pub, s.total, s.dimensions, (i % 10) / 9, i % 6,  # type: ignore[arg-type]
                                  ds, tuple(dists)))  # type: ignore[arg-type]
    return out


@settings(max_examples=60, deadline=None)
@given(rows)
def test_merged_publisher_rollups_equal_the_whole_group(data: list[tuple[object, ...]]) -> None:
    items = qualities(data)
    roll = Rollup()
    for q in items:
        roll.add(q)
    # Through JSON, as the store keeps them.
    stored = [(Tally.from_state(k, json.loads(json.dumps(g.tally.state()))),
               FixTally.from_state(json.loads(json.dumps(g.fixes.state())))) for k, g in roll.groups.items()]
    for (tally, fixes), g in zip(stored, roll.groups.values(), strict=True):
        assert tally.summary() == g.tally.summary() and fixes.fixes() == g.fixes.fixes()
    whole = merge(roll.groups.values())
    direct = Tally()
    for q in items:
        direct.add(q)
    got_s, want_s = whole.tally.summary(), direct.summary()
    assert abs(got_s.udata_mean - want_s.udata_mean) < 1e-9  # type: ignore[operator]
    assert replace(got_s, udata_mean=None) == replace(want_s, udata_mean=None)  # float sums: order differs
    want = fix_list([DatasetFacts(q.dataset, q.ds_facts, q.dist_facts) for q in items])
    got = whole.fixes.fixes()
    assert [(f.action, f.datasets, f.distributions, f.total_gain, f.points_max, f.group_datasets) for f in got] == [
        (f.action, f.datasets, f.distributions, f.total_gain, f.points_max, f.group_datasets) for f in want]
    for f in got:
        assert len(f.dataset_ids) <= 10 and set(f.dataset_ids) <= set(next(w for w in want
                                                                          if w.action == f.action).dataset_ids)


def test_score_bins_never_straddle_a_band() -> None:
    edges = bin_edges()
    assert len(edges) == N_BINS + 1 and edges[0] == -10 and edges[-1] == 410
    assert [score_bin(s) for s in (-10, 0, 1, 10, 11, 120, 121, 405, 900)] == [0, 0, 1, 1, 2, 12, 13, 41, 41]
    for s in range(-10, 406):
        k = score_bin(s)
        lo, hi = edges[k], edges[k + 1]
        assert lo < s <= hi or (k == 0 and s <= 0)
        assert rating(max(hi, 0)) == rating(s)  # every score of a bin is in the same band


def test_dimension_maxima_follow_the_weights() -> None:
    assert Weights().dimension_maxima() == MAX_BY_DIMENSION
    assert sum(Weights().dimension_maxima()) == Weights().max_score() == 405
    w = Weights().with_overrides({"keywordAvailability": [0, 0], "dataset.dateIssuedAvailability": [8, 0]})
    assert w.dimension_maxima() == (70, 100, 110, 75, 23)
    assert sum(w.dimension_maxima()) == w.max_score()
