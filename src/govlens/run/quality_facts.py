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
    """Reads the roll-ups a page or a report needs, each once: a catalogue's is one row (its
    assessment's), an institution's one row, a ranking a few numbers per institution."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._runs: dict[int, tuple[Group, tuple[int, ...]] | None] = {}
        self._assessed: dict[int, bool] = {}

    def assessed(self, run_id: int) -> bool:
        """Whether the run was assessed (its roll-ups written, for an older assessment, first)."""
        if run_id not in self._assessed:
            self._assessed[run_id] = quality_stats.ensure(self.store, run_id)
        return self._assessed[run_id]

    def _run(self, run_id: int) -> tuple[Group, tuple[int, ...]] | None:
        if run_id not in self._runs:
            found = quality_stats.run_rollup(self.store, run_id)
            self._runs[run_id] = None if found is None else (found[0], found[1].dimension_maxima())
            self._assessed[run_id] = found is not None
        return self._runs[run_id]

    def run(self, run_id: int | None) -> Group | None:
        """The whole run's roll-up, with its fixes; None when the run was not assessed."""
        found = self._run(run_id) if run_id is not None else None
        return found[0] if found else None

    def maxima(self, run_id: int) -> tuple[int, ...]:
        """The best score per dimension under the weights the run was scored with."""
        found = self._run(run_id)
        if found is None:
            return ms.assessment(self.store, run_id).weights.dimension_maxima()  # NotFound
        return found[1]

    def _facts(self, group: Group, maxima: tuple[int, ...], trend: tuple[QualityPoint, ...] = ()
               ) -> QualityFacts:
        return QualityFacts(group.tally.summary(), tuple(group.fixes.fixes()[:TOP_FIXES]), trend, maxima)

    def catalogue(self, name: str, run_id: int | None) -> QualityFacts | None:
        """A catalogue's quality in its latest complete run, with its fixes and its trend across runs."""
        group = self.run(run_id)
        if group is None or run_id is None:
            return None
        return self._facts(group, self.maxima(run_id), self.catalogue_trend(name))

    def catalogue_trend(self, name: str) -> tuple[QualityPoint, ...]:
        runs = self.store.runs(name, COMPLETE)
        means = quality_stats.run_means(self.store, [r.id for r in runs])
        return tuple(QualityPoint(r.id, dashboard.run_label(r.id, r.finished_at),
                                  means[r.id].mqa_mean if r.id in means else None) for r in runs)

    def government(self, run_ids: Iterable[int | None]) -> QualityFacts | None:
        """Every assessed catalogue's latest run, merged; None when none is assessed."""
        found = [(r, g) for r in run_ids if r is not None and (g := self.run(r)) is not None]
        if not found:
            return None
        maxima = tuple(max(col) for col in zip(*(self.maxima(r) for r, _ in found), strict=True))
        return self._facts(merge((g for _, g in found), "government"), maxima)

    def scores(self, run_id: int | None) -> dict[str, quality_stats.RunMean]:
        """Each institution's datasets, MQA mean and udata mean (empty when not assessed)."""
        if run_id is None or not self.assessed(run_id):
            return {}
        return quality_stats.publisher_scores(self.store, run_id, check=False)

    def summaries(self, run_id: int | None) -> dict[str, QualitySummary]:
        """Each institution's full summary in an assessed run (empty when not assessed)."""
        if run_id is None or not self.assessed(run_id):
            return {}
        return {k: g.tally.summary() for k, g in quality_stats.groups(self.store, run_id, with_fixes=False).items()}

    def institution(self, catalogue: str, run_id: int | None, key: str) -> QualityFacts | None:
        """One institution's quality, fixes and trend; None when the run was not assessed."""
        if run_id is None or not self.assessed(run_id):
            return None
        found = quality_stats.groups(self.store, run_id, [key])
        if key not in found:
            return None
        runs = self.store.runs(catalogue, COMPLETE)
        ids = [r.id for r in runs if self.assessed(r.id)]
        means = quality_stats.publisher_means(self.store, ids, key, check=False)
        trend = tuple(QualityPoint(r.id, dashboard.run_label(r.id, r.finished_at),
                                   means[r.id].mqa_mean if r.id in means else None) for r in runs)
        return self._facts(found[key], self.maxima(run_id), trend)


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
    criteria = tuple(Criterion(c, v if isinstance(v := udata_values.get(c), bool) else None)
                     for c in udata.CRITERIA)
    return DatasetQualityView(score, weights.max_score(), tuple(explain(ds, rows, weights)), criteria)
