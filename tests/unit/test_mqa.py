"""MQA scoring: every metric true and false, best distribution, penalties, issued/modified once, bands."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.assess import mqa
from govlens.assess.metrics import (
    DATASET_METRICS,
    DI_INDEX,
    DISTRIBUTION_METRICS,
    MAX_SCORE,
    Metric,
    Weights,
)
from govlens.assess.mqa import Value
from govlens.assess.score import rating
from mqa_facts import ALL_DI, ALL_DS, NONE_DI, NONE_DS, Facts, facts_di, facts_ds, with_di, with_ds


def test_everything_true_scores_405_with_dimension_maxima() -> None:
    s = mqa.score(ALL_DS, [ALL_DI])
    assert s.total == MAX_SCORE == 405
    assert s.dimensions == (100, 100, 110, 75, 20)
    assert s.rating == "excellent" and s.best == 0


def test_nothing_no_distribution_scores_0() -> None:
    s = mqa.score(NONE_DS, [])
    assert (s.total, s.best) == (0, None)


def test_dataset_without_distributions_earns_at_most_185() -> None:
    s = mqa.score(ALL_DS, [])
    assert s.total == 185
    assert s.dimensions == (100, 0, 30, 45, 10)


@pytest.mark.parametrize("metric", DATASET_METRICS, ids=lambda m: m.name)
def test_each_dataset_metric_true_and_false(metric: Metric) -> None:
    m = metric
    true_v = 200 if m.status else True
    base = mqa.score(NONE_DS, [NONE_DI])
    hit = mqa.score(with_ds(**{m.name: true_v}), [NONE_DI])
    miss = mqa.score(with_ds(**{m.name: False}), [NONE_DI])
    assert hit.total - base.total == m.true_points
    assert miss.total == base.total
    assert hit.dimensions[m.dimension] - base.dimensions[m.dimension] == m.true_points


@pytest.mark.parametrize("metric", DISTRIBUTION_METRICS, ids=lambda m: m.name)
def test_each_distribution_metric_true_and_false(metric: Metric) -> None:
    m = metric
    true_v = 200 if m.status else True
    false_v = 404 if m.status else False
    hit = mqa.score(NONE_DS, [with_di(**{m.name: true_v})])
    miss = mqa.score(NONE_DS, [with_di(**{m.name: false_v})])
    assert hit.total - miss.total == m.true_points - m.false_points
    assert hit.dimensions[m.dimension] - miss.dimensions[m.dimension] == m.true_points - m.false_points


def test_status_codes_only_2xx_earn_points_and_unchecked_is_zero() -> None:
    for code, pts in ((200, 50), (204, 50), (299, 50), (301, 0), (404, 0), (500, 0), (1100, 0), (None, 0)):
        s = mqa.score(NONE_DS, [with_di(accessUrlStatusCode=code, formatAvailability=True,
                                        mediaTypeAvailability=True)])
        assert s.accessibility == pts, code


def test_penalties_minus_5_for_missing_format_and_media_type() -> None:
    # Hand computation: format -5, media type -5; nothing else.
    s = mqa.score(NONE_DS, [NONE_DI])
    assert s.interoperability == -10 and s.total == -10 and s.rating == "bad"
    s2 = mqa.score(NONE_DS, [with_di(formatAvailability=True)])
    assert s2.interoperability == 20 - 5


def test_only_the_best_distribution_counts_and_it_can_change() -> None:
    licensed = with_di(licenceAvailability=True, knownLicence=True)  # 30 R, -10 I: 20
    csv = with_di(formatAvailability=True, mediaTypeAvailability=True, formatMediaTypeVocabularyAlignment=True,
                  formatMediaTypeNonProprietary=True, formatMediaTypeMachineInterpretable=True)  # 80
    s = mqa.score(NONE_DS, [licensed, csv])
    assert (s.best, s.total, s.reusability, s.interoperability) == (1, 80, 0, 80)
    # Give the first distribution a download URL and format: now it is the best one.
    better = with_di(licensed, downloadUrlAvailability=True, formatAvailability=True,
                     mediaTypeAvailability=True, formatMediaTypeVocabularyAlignment=True,
                     formatMediaTypeNonProprietary=True, formatMediaTypeMachineInterpretable=True)
    s = mqa.score(NONE_DS, [better, csv])
    assert (s.best, s.total) == (0, 80 + 30 + 20)


def test_ties_keep_the_earlier_distribution() -> None:
    a = with_di(rightsAvailability=True)
    b = with_di(byteSizeAvailability=True)
    assert mqa.score(NONE_DS, [a, b]).best == 0
    assert mqa.score(NONE_DS, [b, a]).best == 0


@pytest.mark.parametrize("name", ["dateIssuedAvailability", "dateModifiedAvailability"])
@pytest.mark.parametrize(("on_dataset", "on_distribution", "points"),
                         [(True, True, 5), (True, False, 5), (False, True, 5), (False, False, 0)])
def test_issued_and_modified_count_once(name: str, on_dataset: bool, on_distribution: bool, points: int) -> None:
    fmt = {"formatAvailability": True, "mediaTypeAvailability": True}
    s = mqa.score(with_ds(**{name: on_dataset}), [with_di(**fmt, **{name: on_distribution})])
    assert s.contextuality == points


def test_issued_on_a_non_scored_distribution_does_not_count_but_the_dataset_one_does() -> None:
    best = with_di(formatAvailability=True, mediaTypeAvailability=True, rightsAvailability=True)
    other = with_di(dateIssuedAvailability=True)
    assert mqa.score(NONE_DS, [best, other]).contextuality == 5  # rights only
    assert mqa.score(with_ds(dateIssuedAvailability=True), [best, other]).contextuality == 10


@pytest.mark.parametrize(("score", "band"), [
    (-10, "bad"), (0, "bad"), (120, "bad"), (121, "sufficient"), (220, "sufficient"), (221, "good"),
    (350, "good"), (351, "excellent"), (405, "excellent"),
    (120.5, "sufficient"), (220.01, "good"), (350.5, "excellent"),
])
def test_bands_at_their_edges(score: float, band: str) -> None:
    assert rating(score) == band


def test_weights_override_and_max() -> None:
    w = Weights().with_overrides({"knownLicence": {"true": 40, "false": 0}, "dataset.dateIssuedAvailability": [7, 0]})
    # issued counts once: the best is the dataset's 7 points with a distribution lacking the date
    assert w.max_score() == 405 + 30 + 2
    s = mqa.score(NONE_DS, [with_di(licenceAvailability=True, knownLicence=True)], w)
    assert s.reusability == 60


@given(facts_ds, st.lists(facts_di, max_size=5))
def test_scores_stay_within_bounds(ds: Facts, dists: list[Facts]) -> None:
    s = mqa.score(ds, dists)
    assert -10 <= s.total <= 405
    assert s.total == sum(s.dimensions)
    for d, top in zip(s.dimensions, (100, 100, 110, 75, 20), strict=True):
        assert (-10 if top == 110 else 0) <= d <= top
    assert (s.best is None) == (not dists)


def _improve(v: Value, status: bool) -> Value:
    return 200 if status else True


@given(facts_ds, st.lists(facts_di, min_size=1, max_size=4), st.data())
def test_adding_a_property_never_lowers_the_score(ds: Facts, dists: list[Facts],
                                                  data: st.DataObject) -> None:
    before = mqa.score(ds, dists).total
    if data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(DATASET_METRICS) - 1))
        new_ds = list(ds)
        new_ds[i] = _improve(ds[i], DATASET_METRICS[i].status)
        after = mqa.score(tuple(new_ds), dists).total
    else:
        k = data.draw(st.integers(0, len(dists) - 1))
        i = data.draw(st.integers(0, len(DISTRIBUTION_METRICS) - 1))
        d = list(dists[k])
        d[i] = _improve(d[i], DISTRIBUTION_METRICS[i].status)
        after = mqa.score(ds, [*dists[:k], tuple(d), *dists[k + 1:]]).total
    assert after >= before


@given(facts_ds, st.lists(facts_di, max_size=3), facts_di)
def test_adding_a_distribution_lowers_only_through_the_penalties(
        ds: Facts, dists: list[Facts], extra: Facts) -> None:
    before = mqa.score(ds, dists).total
    after = mqa.score(ds, [*dists, extra]).total
    if dists:
        assert after >= before  # the best distribution can only get better
    else:
        # The first distribution's own score may be negative (−5 per missing format/media type).
        assert after >= before - 10
        if after < before:
            assert extra[DI_INDEX["formatAvailability"]] is False or extra[DI_INDEX["mediaTypeAvailability"]] is False


weights_st = st.builds(
    lambda ds, di: Weights(tuple(ds), tuple(di)),
    st.lists(st.tuples(st.integers(0, 50), st.integers(-10, 0)), min_size=len(DATASET_METRICS),
             max_size=len(DATASET_METRICS)),
    st.lists(st.tuples(st.integers(0, 50), st.integers(-10, 0)), min_size=len(DISTRIBUTION_METRICS),
             max_size=len(DISTRIBUTION_METRICS)),
)


@given(facts_ds, st.lists(facts_di, max_size=5), st.one_of(st.just(Weights()), weights_st))
def test_compiled_scorer_equals_the_algorithm_as_written(ds: Facts, dists: list[Facts],
                                                         w: Weights) -> None:
    assert mqa.score(ds, dists, w) == mqa.reference_score(ds, dists, w)


def test_a_distribution_date_repeating_the_datasets_does_not_win_the_choice() -> None:
    # Hand computation. Dataset: issued (5). A: 30 (format 20 + media type 10).
    # B: format 20, media type 10, issued 5 -> 35 on its own, but its date repeats the dataset's: adds 30.
    a = with_di(formatAvailability=True, mediaTypeAvailability=True)
    b = with_di(a, dateIssuedAvailability=True)
    s = mqa.score(with_ds(dateIssuedAvailability=True), [a, b])
    assert (s.best, s.total, s.contextuality) == (0, 35, 5)
    # Giving A's rival a date can never lower the score (it was 35 without it as well).
    assert mqa.score(with_ds(dateIssuedAvailability=True), [a, a]).total == 35
    # Without a dataset-level date, B is better on its own (piveau's choice).
    assert mqa.score(NONE_DS, [a, b]).best == 1


@settings(max_examples=1500, deadline=None)
@given(facts_ds, st.lists(facts_di, min_size=1, max_size=3), st.data())
def test_adding_a_property_never_lowers_the_score_thoroughly(
        ds: Facts, dists: list[Facts], data: st.DataObject) -> None:
    test_adding_a_property_never_lowers_the_score.hypothesis.inner_test(ds, dists, data)  # type: ignore[attr-defined]
