"""Coverage of stored catalogues: reads the latest complete runs from the store.

The rules' classification of a complete run is worked out once per process and
kept (``govlens.coverage.cache``); the quality of the datasets found is worked
out on every call from what can change after the run: link health from the link
checker's results for the run (``govlens.store.links``), MQA scores from the
run's stored assessment (``govlens.store.measurements``) when the run has been
assessed, freshness at the time of the call. The
embedding signal (``govlens.coverage.embed``) is off unless asked for, as with
``govlens coverage --similar``: the dashboard, reports and fix lists use the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from govlens.coverage.cache import CLASSIFICATIONS
from govlens.coverage.classify import Similar
from govlens.coverage.matrix import Found, build, classified, measure, record
from govlens.coverage.quality import link_outcomes as given_outcomes
from govlens.coverage.taxonomy import Taxonomy, builtin_taxonomy
from govlens.model import WHOLE_GOVERNMENT, CoverageCell, LinkState
from govlens.store import RunRow, Store
from govlens.store import measurements as stored_scores
from govlens.store.links import link_outcomes as stored_outcomes

#: Where a catalogue's MQA scores came from: the run's stored assessment, the
#: ``mqa`` argument, or nowhere (the run is not assessed: MQA fields stay empty).
MqaSource = Literal["assessment", "input", "none"]


@dataclass(frozen=True, slots=True)
class CatalogueCoverage:
    catalogue: str
    run: int
    datasets: int
    publishers: Mapping[str, str]  # key -> name
    cells: tuple[CoverageCell, ...]  # per-publisher rows of this catalogue
    mqa_source: MqaSource = "none"
    #: The catalogue's own rows (publisher ``"*"``): its datasets taken together
    #: (with ``publisher``, that publisher's alone).
    overall: tuple[CoverageCell, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """The matrix of one or more catalogues: per catalogue and publisher, and the
    whole government (``government``: the ``"*"`` rows over every catalogue)."""

    catalogues: tuple[CatalogueCoverage, ...]
    government: tuple[CoverageCell, ...]
    taxonomy: Taxonomy

    def records(self, lang: str = "en", *, include_government: bool = True) -> Iterable[dict[str, Any]]:
        """One record per category and publisher (CLI/API shape); the government's
        rows have ``publisher`` ``"*"`` and ``catalogue`` null."""
        if include_government:
            for c in self.government:
                yield {"catalogue": None, **record(c, self.taxonomy, lang), "publisher_name": None}
        for cat in self.catalogues:
            for c in cat.cells:
                yield {
                    "catalogue": cat.catalogue,
                    **record(c, self.taxonomy, lang),
                    "publisher_name": cat.publishers.get(c.publisher),
                }


def coverage(
    store: Store,
    *,
    catalogue: str | None = None,
    publisher: str | None = None,
    framework: str | None = None,
    now: datetime | None = None,
    links: Mapping[str, LinkState] | None = None,
    mqa: Mapping[str, float] | None = None,
    taxonomy: Taxonomy | None = None,
    similar: Similar = None,
) -> Coverage:
    """The coverage matrix of the latest complete run of each catalogue (or the one named).

    Link states are read from the store (the outcome of the latest check of each
    URL of the run, ``govlens.store.links.link_outcomes``) unless ``links`` (URL →
    link state) is given. ``mqa`` (dataset identifier → MQA score) is an optional
    input from the metadata assessment. With ``publisher``, only that
    publisher's datasets are read and the government rows cover them alone.
    ``similar`` is the embedding signal (``classify``'s argument); rules only by
    default, since the signal is about a hundred times slower.
    """
    tax = taxonomy or builtin_taxonomy()
    cats: Sequence[str] = tax.ids(framework)
    when = now or datetime.now(UTC)
    per_catalogue = []
    everything: list[Found] = []
    for run in store.latest_runs(catalogue):
        cat, found = run_coverage(store, run, publisher=publisher, categories=cats, taxonomy=tax,
                                  now=when, links=links, mqa=mqa, similar=similar)
        per_catalogue.append(cat)
        everything.extend(found)
    government = build(
        (Found(f.identifier, None, f.matches, f.quality) for f in everything), tax, categories=cats
    )
    return Coverage(tuple(per_catalogue), government, tax)


def run_coverage(
    store: Store,
    run: RunRow,
    *,
    publisher: str | None = None,
    categories: Sequence[str] | None = None,
    taxonomy: Taxonomy | None = None,
    now: datetime | None = None,
    links: Mapping[str, LinkState] | None = None,
    mqa: Mapping[str, float] | None = None,
    similar: Similar = None,
) -> tuple[CatalogueCoverage, list[Found]]:
    """The matrix of one stored run (as :func:`coverage` reads each catalogue), and the
    datasets found in it."""
    tax = taxonomy or builtin_taxonomy()
    cats = tuple(categories) if categories is not None else tax.ids()
    names = {k: v.get("name") or k for k, v in store.publishers(run.catalogue_id).items()}
    if similar is None:  # the rules alone: a complete run's classification is kept
        items = CLASSIFICATIONS.classified(store, run, publisher)
    else:
        datasets = (sd.dataset for sd in store.iter_datasets(run.id, publisher=publisher))
        items = list(classified(datasets, similar=similar))
    outcomes = given_outcomes(links) if links is not None else stored_outcomes(store, run.id)
    scores, source = _mqa(store, run.id, publisher, mqa)
    found = list(measure(items, now=now or datetime.now(UTC), outcomes=outcomes, mqa=scores))
    keys = [publisher] if publisher else list(names)
    built = build(found, tax, publishers=keys, categories=cats)
    cells = tuple(c for c in built if c.publisher != WHOLE_GOVERNMENT)
    overall = tuple(c for c in built if c.publisher == WHOLE_GOVERNMENT)
    return CatalogueCoverage(run.catalogue, run.id, run.datasets, names, cells, source, overall), found


def _mqa(
    store: Store, run_id: int, publisher: str | None, given: Mapping[str, float] | None
) -> tuple[Mapping[str, float] | None, MqaSource]:
    """The MQA scores of a run's datasets: given, else stored by the assessment, else none."""
    if given is not None:
        return given, "input"
    if not stored_scores.has_assessment(store, run_id):
        return None, "none"
    return {s.dataset: float(s.mqa) for s in stored_scores.iter_scores(store, run_id, publisher=publisher)}, "assessment"
