"""Reading assessed runs back: score listings, publisher roll-ups, fix lists, DQV export.

These compose the store (stored scores and measurements) with the pure
aggregate and advise layers; the CLI, the web app and the reports call them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from rdflib import URIRef

from govlens.advise.fixes import DatasetFacts, Fix, fix_list
from govlens.aggregate.quality import DatasetQuality, QualitySummary
from govlens.aggregate.rollup import Group, merge
from govlens.assess import dcat, dqv
from govlens.coverage.cache import CLASSIFICATIONS
from govlens.coverage.classify import telling_publisher
from govlens.coverage.fixes import CoverageFix, group_fixes
from govlens.coverage.service import run_coverage
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.errors import NotFound
from govlens.model import WHOLE_GOVERNMENT, CoverageCell
from govlens.store import RunRow, Store, quality_stats
from govlens.store import measurements as ms

SCORE_FIELDS = ("catalogue", "dataset", "publisher", "mqa_score", "mqa_rating", "findability", "accessibility",
                "interoperability", "reusability", "contextuality", "dcat_ap_compliant", "udata_score", "stars")


def assessed_runs(store: Store, catalogue: str | None = None) -> list[RunRow]:
    """The latest complete run of each catalogue, which must have been assessed."""
    runs = store.latest_runs(catalogue)
    for run in runs:
        if not ms.has_assessment(store, run.id):
            raise NotFound("the latest run has not been assessed yet; run `govlens assess` first",
                           catalogue=run.catalogue, run=run.id)
    return runs


def score_record(catalogue: str, s: ms.ScoreRow) -> dict[str, Any]:
    """A dataset's scores with exactly the fields of :data:`SCORE_FIELDS` (CLI, API, downloads)."""
    return {
        "catalogue": catalogue, "dataset": s.dataset,
        "publisher": s.publisher_name or s.publisher_key, "mqa_score": s.mqa,
        "mqa_rating": s.rating, "findability": s.findability, "accessibility": s.accessibility,
        "interoperability": s.interoperability, "reusability": s.reusability,
        "contextuality": s.contextuality, "dcat_ap_compliant": s.dcat_ap_compliant,
        "udata_score": round(s.udata, 4), "stars": s.stars,
    }


def score_records(store: Store, catalogue: str | None = None, publisher: str | None = None
                  ) -> Iterator[dict[str, Any]]:
    """One record per dataset, with exactly the fields of :data:`SCORE_FIELDS`."""
    for run in assessed_runs(store, catalogue):
        for s in ms.iter_scores(store, run.id, publisher=publisher):
            yield score_record(run.catalogue, s)


def _r(x: float | None, digits: int = 2) -> float | None:
    return round(x, digits) if x is not None else None


def summary_record(catalogue: str | None, publisher: str | None, publisher_key: str | None,
                   s: QualitySummary) -> dict[str, Any]:
    """A group's quality as ``govlens publishers`` prints it (a publisher, a catalogue, the government)."""
    dims = s.dimensions_mean or (None,) * 5
    comp = s.metric("dcatApCompliance", "dataset")
    return {
        "catalogue": catalogue, "publisher": publisher, "publisher_key": publisher_key,
        "datasets": s.datasets, "distributions": s.distributions,
        "mqa_mean": _r(s.mqa_mean), "mqa_rating": s.mqa_rating, "udata_mean": _r(s.udata_mean, 4),
        "findability_mean": _r(dims[0]), "accessibility_mean": _r(dims[1]),
        "interoperability_mean": _r(dims[2]), "reusability_mean": _r(dims[3]),
        "contextuality_mean": _r(dims[4]), "dcat_ap_compliant_share": _r(comp.share, 4),
        "stars_mean": _r(s.stars_mean), "stars": {str(i): c for i, c in enumerate(s.stars)},
        "ratings": dict(s.ratings),
        "metrics": {f"{m.level}.{m.metric}": _r(m.share, 4) for m in s.metrics},
    }


def _qualities(store: Store, run: RunRow, publisher: str | None = None) -> Iterator[tuple[DatasetQuality, str]]:
    for s in ms.iter_scores(store, run.id, publisher=publisher):
        ds, dists, _stars = s.decoded_facts()
        q = DatasetQuality(s.dataset, s.publisher_key, s.mqa,
                           (s.findability, s.accessibility, s.interoperability, s.reusability, s.contextuality),
                           s.udata, s.stars, ds, dists)
        yield q, s.publisher_name or s.publisher_key or ""


@dataclass(frozen=True, slots=True)
class PublisherQuality:
    catalogue: str
    run: int
    publisher_key: str | None
    publisher: str | None
    summary: QualitySummary


def _stored(store: Store, run: RunRow) -> dict[str, Group]:
    """The run's per-publisher roll-ups, written when it was assessed (or now, for an older assessment)."""
    quality_stats.ensure(store, run.id)
    return quality_stats.groups(store, run.id, with_fixes=False)


def publisher_summaries(store: Store, catalogue: str | None = None) -> list[PublisherQuality]:
    """Per publisher of each catalogue: mean MQA, band, metric shares, udata mean, stars."""
    out = []
    for run in assessed_runs(store, catalogue):
        names = store.publishers(store.catalogue(run.catalogue).id)
        groups = _stored(store, run)
        for key in sorted(groups, key=lambda k: (k == "", k)):
            name = names[key]["name"] if key in names else key
            out.append(PublisherQuality(run.catalogue, run.id, key or None, name or None,
                                        groups[key].tally.summary()))
    return out


def catalogue_summary(store: Store, catalogue: str) -> QualitySummary:
    (run,) = assessed_runs(store, catalogue)
    return merge(_stored(store, run).values(), catalogue).tally.summary()


def government_summary(store: Store) -> QualitySummary:
    """Every catalogue's latest assessed run, merged into one roll-up."""
    return merge((merge(_stored(store, run).values()) for run in assessed_runs(store)), "government").tally.summary()


@dataclass(frozen=True, slots=True)
class FixList:
    catalogue: str
    run: int
    publisher_key: str | None  # None: the whole catalogue
    publisher: str | None
    fixes: tuple[Fix, ...]
    #: Priority datasets to publish or open (``govlens.coverage.fixes.group_fixes``), best first.
    coverage: tuple[CoverageFix, ...] = ()
    group_datasets: int = 0


def fix_lists(store: Store, catalogue: str | None = None, publisher: str | None = None,
              *, whole_catalogue: bool = True, coverage: bool = True) -> list[FixList]:
    """Ranked fixes per publisher (or for the one named) and, unless a publisher is named, per catalogue.

    Each list carries its metadata fixes (``fixes``, ranked by MQA points gained) and,
    unless ``coverage`` is false, its coverage fixes: the priority datasets missing or
    not open (``coverage``). A publisher is asked only for the categories it is the
    telling institution for, or already publishes; the whole catalogue for every one
    (none when the run has no dataset: an empty run says nothing about what is missing).
    """
    out = []
    for run in assessed_runs(store, catalogue):
        missing = _kept_fixes(store, run, publisher) if coverage else {}
        weights = ms.assessment(store, run.id).weights
        groups: dict[str | None, list[DatasetFacts]] = {}
        names: dict[str | None, str] = {}
        everything: list[DatasetFacts] = []
        for q, name in _qualities(store, run, publisher):
            item = DatasetFacts(q.dataset, q.ds_facts, q.dist_facts)
            groups.setdefault(q.publisher, []).append(item)
            names[q.publisher] = name
            everything.append(item)
        if publisher is None and whole_catalogue:
            out.append(FixList(run.catalogue, run.id, None, None, tuple(fix_list(everything, weights)),
                               missing.get(WHOLE_GOVERNMENT, ()) if everything else (), len(everything)))
        for key in sorted(groups, key=lambda k: (k is None, k or "")):
            out.append(FixList(run.catalogue, run.id, key, names.get(key) or key,
                               tuple(fix_list(groups[key], weights)),
                               missing.get(key, ()) if key is not None else (), len(groups[key])))
    return out


def group_coverage_fixes(store: Store, run: RunRow, publisher: str | None, group_datasets: int
                         ) -> tuple[CoverageFix, ...]:
    """The coverage fixes of one group of a run, as :func:`fix_lists` gives them: the institution
    ``publisher``, or the whole catalogue (``None``); none for a group without datasets, nor
    for the datasets without a publisher (key ``""``)."""
    if not group_datasets or publisher == "":
        return ()
    return _kept_fixes(store, run, publisher).get(WHOLE_GOVERNMENT if publisher is None else publisher, ())


def metadata_fix_record(rank: int, f: Fix, texts: Mapping[str, str]) -> dict[str, Any]:
    """A metadata fix as ``govlens fixes`` prints it, without its group's fields; ``texts`` holds
    its text fields (``text_en`` and ``text_es``, or the API's ``text``)."""
    return {
        "rank": rank, "action": f.action, "level": f.level, "datasets": f.datasets,
        "distributions": f.distributions, "points_each": round(f.points_each, 2),
        "points_max": f.points_max, "mean_gain": round(f.mean_gain, 2),
        "total_gain": f.total_gain, "group_datasets": f.group_datasets, **texts,
        "dataset_ids": list(f.dataset_ids), "kind": "metadata", "category": None,
    }


def coverage_fix_record(rank: int, c: CoverageFix, group_datasets: int, texts: Mapping[str, str]
                        ) -> dict[str, Any]:
    """A coverage fix (a priority dataset to publish or to open) with the fields of a metadata fix:
    no points (null), ``level`` "category", its category and the datasets found for it."""
    return {
        "rank": rank, "action": c.kind, "level": "category", "datasets": len(c.datasets),
        "distributions": 0, "points_each": None, "points_max": None, "mean_gain": None,
        "total_gain": None, "group_datasets": group_datasets, **texts,
        "dataset_ids": list(c.datasets), "kind": "coverage", "category": c.category,
    }


_Fixes = dict[str, tuple[CoverageFix, ...]]


def _kept_fixes(store: Store, run: RunRow, publisher: str | None) -> _Fixes:
    """The coverage fixes of a run (:func:`_coverage_fixes`), kept with the run's classification
    (``govlens.coverage.cache``): they depend on it and on the names of the catalogue's
    publishers (which categories each is asked for), which are in the key; not on the link
    checks nor the MQA scores, which they do not read."""
    names = tuple(sorted((k, v.get("name")) for k, v in store.publishers(run.catalogue_id).items()))
    return CLASSIFICATIONS.derived(store, run, ("fixes", publisher, names),
                                   lambda: _coverage_fixes(store, run, publisher))


def _coverage_fixes(store: Store, run: RunRow, publisher: str | None) -> _Fixes:
    """Coverage fixes of a run: per publisher key, and for the catalogue (key ``"*"``). Their
    matrix needs neither link states nor MQA scores: none is read."""
    cov, _found = run_coverage(store, run, publisher=publisher, links={}, mqa={})
    tax = builtin_taxonomy()
    cells: dict[str, list[CoverageCell]] = {}
    for c in cov.cells:
        cells.setdefault(c.publisher, []).append(c)
    out = {key: tuple(group_fixes(rows, tax, relevant=telling_publisher(cov.publishers.get(key))))
           for key, rows in cells.items()}
    if publisher is None:
        out[WHOLE_GOVERNMENT] = tuple(group_fixes(cov.overall, tax))
    return out


def export_dqv(store: Store, out: IO[str], catalogue: str | None = None, *, chunk: int = 200) -> int:
    """Write the measurements of the latest assessed runs as DQV Turtle; returns datasets written."""
    n = 0
    for run in assessed_runs(store, catalogue):
        generated = ms.assessment(store, run.id).assessed_at
        iris: dict[str, tuple[Any, dict[int, Any]]] = {}
        for sd in store.iter_datasets(run.id):
            d = sd.dataset
            node = dcat.dataset_node(d)
            subjects = {i: dcat.iri(dist.id) or URIRef(f"{node}/distribution/{quote(dist.id, safe='')}")
                        for i, dist in enumerate(d.distributions, 1)}
            iris[d.identifier] = (node, subjects)
        scores = {s.dataset: s.mqa for s in ms.iter_scores(store, run.id)}
        graph = dqv.new_graph()
        pending = 0
        current: str | None = None
        rows: list[Any] = []

        def flush_dataset() -> None:
            nonlocal n, pending
            if current is None:
                return
            node, subjects = iris.get(current) or (
                URIRef("urn:govlens:dataset:" + quote(current, safe="")), {})
            dqv.add_dataset(graph, node, subjects, rows, scores.get(current), generated)
            n += 1
            pending += 1

        for r in ms.iter_measurements(store, run.id):
            if r.dataset != current:
                flush_dataset()
                rows = []
                current = r.dataset
                if pending >= chunk:
                    out.write(graph.serialize(format="turtle"))
                    graph = dqv.new_graph()
                    pending = 0
            rows.append(r)
        flush_dataset()
        if pending:
            out.write(graph.serialize(format="turtle"))
    return n
