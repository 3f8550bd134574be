"""Metadata quality for the dashboard and the reports, read from the per-run roll-ups
(``store.quality_stats``): the government, each catalogue, each institution.

Only the latest complete run of a catalogue counts, as for ``govlens scores``; before it
is assessed its quality is None ("not assessed yet"). Trends take every complete run,
with a gap where a run was not assessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govlens.aggregate.quality import QualitySummary
from govlens.aggregate.rollup import Group, merge
from govlens.assess import udata
from govlens.assess.assessment import UDATA_PREFIX
from govlens.assess.explain import MetricLine, explain
from govlens.model import Dataset
from govlens.report.data import QualityFacts, QualityPoint
from govlens.store import COMPLETE, Store, dashboard, quality_stats
from govlens.store import measurements as ms

#: Fixes shown for a group (the API gives them all).
TOP_FIXES = 10


class QualityReader:
    """Reads each run's roll-up once, for one page or one report."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._groups: dict[int, dict[str, Group] | None] = {}
        self._maxima: dict[int, tuple[int, ...]] = {}

    def publishers(self, run_id: int) -> dict[str, Group] | None:
        """Each publisher's roll-up in an assessed run (key ``""``: no publisher); None when not assessed."""
        if run_id not in self._groups:
            assessed = quality_stats.ensure(self.store, run_id)
            self._groups[run_id] = quality_stats.groups(self.store, run_id) if assessed else None
        return self._groups[run_id]

    def maxima(self, run_id: int) -> tuple[int, ...]:
        if run_id not in self._maxima:
            self._maxima[run_id] = ms.assessment(self.store, run_id).weights.dimension_maxima()
        return self._maxima[run_id]

    def _facts(self, group: Group, maxima: tuple[int, ...], trend: tuple[QualityPoint, ...] = ()
               ) -> QualityFacts:
        return QualityFacts(group.tally.summary(), tuple(group.fixes.fixes()[:TOP_FIXES]), trend, maxima)

    def catalogue(self, name: str, run_id: int | None) -> QualityFacts | None:
        """A catalogue's quality in its latest complete run, with its trend across runs."""
        pubs = self.publishers(run_id) if run_id is not None else None
        if pubs is None or run_id is None:
            return None
        return self._facts(merge(pubs.values(), name), self.maxima(run_id), self.catalogue_trend(name))

    def catalogue_trend(self, name: str) -> tuple[QualityPoint, ...]:
        runs = self.store.runs(name, COMPLETE)
        means = quality_stats.run_means(self.store, [r.id for r in runs])
        return tuple(QualityPoint(r.id, dashboard.run_label(r.id, r.finished_at),
                                  means[r.id].mqa_mean if r.id in means else None) for r in runs)

    def government(self, run_ids: Iterable[int | None]) -> QualityFacts | None:
        """Every assessed catalogue's latest run, merged; None when none is assessed."""
        found = [(r, pubs) for r in run_ids if r is not None and (pubs := self.publishers(r)) is not None]
        if not found:
            return None
        groups = [merge(pubs.values()) for _, pubs in found]
        maxima = tuple(max(col) for col in zip(*(self.maxima(r) for r, _ in found), strict=True))
        return self._facts(merge(groups, "government"), maxima)

    def summaries(self, run_id: int | None) -> dict[str, QualitySummary]:
        """Each institution's summary in an assessed run (empty when not assessed)."""
        if run_id is None:
            return {}
        pubs = self._groups.get(run_id)
        if pubs is None:
            if not quality_stats.ensure(self.store, run_id):
                return {}
            pubs = quality_stats.groups(self.store, run_id, with_fixes=False)
        return {k: g.tally.summary() for k, g in pubs.items()}

    def institution(self, catalogue: str, run_id: int | None, key: str) -> QualityFacts | None:
        """One institution's quality, fixes and trend; None when the run was not assessed."""
        pubs = self.publishers(run_id) if run_id is not None else None
        if pubs is None or run_id is None or key not in pubs:
            return None
        runs = self.store.runs(catalogue, COMPLETE)
        means = quality_stats.publisher_means(self.store, [r.id for r in runs], key)
        trend = tuple(QualityPoint(r.id, dashboard.run_label(r.id, r.finished_at),
                                   means[r.id].mqa_mean if r.id in means else None) for r in runs)
        return self._facts(pubs[key], self.maxima(run_id), trend)


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    value: bool | None


@dataclass(frozen=True, slots=True)
class DatasetQualityView:
    """One dataset's assessment as its page shows it: scores, every MQA metric explained, udata."""

    score: ms.ScoreRow
    max_score: int
    lines: tuple[MetricLine, ...]
    criteria: tuple[Criterion, ...]


def dataset_quality(store: Store, run_id: int, ds: Dataset) -> DatasetQualityView | None:
    """The dataset's assessment in ``run_id``, or None when that run did not assess it."""
    if not ms.has_assessment(store, run_id):
        return None
    score = ms.dataset_score(store, run_id, ds.identifier)
    if score is None:
        return None
    weights = ms.assessment(store, run_id).weights
    rows = ms.dataset_measurements(store, run_id, ds.identifier)
    udata_values = {r.metric[len(UDATA_PREFIX):]: r.value for r in rows
                    if r.seq == 0 and r.metric.startswith(UDATA_PREFIX)}
    criteria = tuple(Criterion(c, udata_values.get(c) if isinstance(udata_values.get(c), bool) else None)
                     for c in udata.CRITERIA)
    return DatasetQualityView(score, weights.max_score(), tuple(explain(ds, rows, weights)), criteria)
