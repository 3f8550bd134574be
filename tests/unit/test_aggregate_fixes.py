"""Roll-ups (means, shares, stars) and ranked fix lists computed counterfactually."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govlens.advise.fixes import ACTIONS_BY_KEY, DatasetFacts, fix_list, gain
from govlens.advise.messages import LANGUAGES, TEMPLATES
from govlens.aggregate.quality import DatasetQuality, Tally, by_publisher, overall
from govlens.assess import mqa
from mqa_facts import NONE_DI, NONE_DS, Facts, facts_di, facts_ds, with_di, with_ds


def quality(ident: str, pub: str | None, ds: Facts, dists: list[Facts],
            stars: int = 0, udata: float = 0.0) -> DatasetQuality:
    s = mqa.score(ds, dists)
    return DatasetQuality(ident, pub, s.total, s.dimensions, udata, stars, ds, tuple(dists))


def test_shares_count_datasets_for_dataset_metrics_and_distributions_for_distribution_metrics() -> None:
    lic = with_di(licenceAvailability=True, accessUrlStatusCode=200)
    items = [
        quality("a", "p", with_ds(keywordAvailability=True), [lic, NONE_DI, NONE_DI], stars=3, udata=0.5),
        quality("b", "p", NONE_DS, [with_di(accessUrlStatusCode=404)], stars=1, udata=1.0),
    ]
    s = overall(by_publisher(items).values()).summary()
    assert (s.datasets, s.distributions) == (2, 4)
    kw = s.metric("keywordAvailability")
    assert (kw.yes, kw.no, kw.share) == (1, 1, 0.5)
    li = s.metric("licenceAvailability")
    assert (li.yes, li.no, li.share) == (1, 3, 0.25)
    acc = s.metric("accessUrlStatusCode")  # unchecked URLs are left out of both counts
    assert (acc.yes, acc.no, acc.measured) == (1, 1, 2)
    assert s.metric("dcatApCompliance").share is None
    assert s.stars == (0, 1, 0, 1, 0, 0) and s.stars_mean == 2.0 and s.udata_mean == 0.75
    assert s.mqa_mean == (items[0].mqa + items[1].mqa) / 2


@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), facts_ds, st.lists(facts_di, max_size=3)),
                min_size=1, max_size=20))
def test_catalogue_mean_is_the_mean_of_dataset_scores(rows: list[tuple[object, ...]]) -> None:
    items = [quality(str(i), pub, ds, dists) for i, (pub, ds, dists) in enumerate(rows)]  # type: ignore[arg-type]
    merged = overall(by_publisher(items).values()).summary()
    direct = Tally()
    for q in items:
        direct.add(q)
    assert abs(merged.mqa_mean - sum(q.mqa for q in items) / len(items)) < 1e-9  # type: ignore[operator]
    assert merged == direct.summary()


def test_fix_gain_respects_the_best_distribution() -> None:
    # The scored distribution is the CSV one; a licence on the PDF one alone would not be scored.
    csv = with_di(formatAvailability=True, mediaTypeAvailability=True, formatMediaTypeVocabularyAlignment=True,
                  formatMediaTypeNonProprietary=True, formatMediaTypeMachineInterpretable=True)
    pdf = with_di(formatAvailability=True)
    item = DatasetFacts("d", NONE_DS, (csv, pdf))
    g, changed = gain(ACTIONS_BY_KEY["add-licence"], item)
    assert (g, changed) == (30, 2)  # naive addition would say 2 × 30
    only_pdf = DatasetFacts("e", NONE_DS, (with_di(csv, licenceAvailability=True, knownLicence=True), pdf))
    assert gain(ACTIONS_BY_KEY["add-licence"], only_pdf) == (0, 1)


def test_fix_list_ranks_by_mean_gain_and_names_datasets() -> None:
    fmt = with_di(formatAvailability=True, mediaTypeAvailability=True)
    items = [DatasetFacts(f"d{i}", with_ds(keywordAvailability=i < 2), (fmt, fmt)) for i in range(4)]
    fixes = fix_list(items)
    by = {f.action: f for f in fixes}
    assert [f.mean_gain for f in fixes] == sorted((f.mean_gain for f in fixes), reverse=True)
    lic = by["add-licence"]
    assert (lic.datasets, lic.distributions, lic.points_each, lic.mean_gain) == (4, 8, 30, 30)
    assert lic.text("en") == "add a licence to 8 distributions of 4 datasets: +30 points each, mean +30.0"
    assert lic.text("es").startswith("añadir una licencia a 8 distribuciones de 4 conjuntos de datos: +30 puntos")
    kw = by["add-keywords"]
    assert (kw.datasets, kw.dataset_ids, kw.mean_gain) == (2, ("d2", "d3"), 15)
    assert "add-format" not in by  # nothing to gain


def test_every_action_has_both_languages() -> None:
    for key in ACTIONS_BY_KEY:
        assert set(TEMPLATES[key]) == set(LANGUAGES)
