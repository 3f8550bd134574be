"""Quality roll-ups: per publisher, per catalogue, and (by merging) per government.

What data.europa.eu shows for a catalogue (quality-methods §1.5), for any group:

* the mean MQA score (the mean of the dataset scores) and its band;
* the share of "yes" per metric, over datasets for dataset metrics and over
  distributions for distribution metrics; unmeasured values (a URL not
  checked, SHACL not run) are left out of both counts;
* the mean udata score and the distribution of 5-star openness;
* the distribution of dataset scores in bins of :data:`BIN_WIDTH` points
  (:func:`score_bin`), whose edges include every band edge.

A :class:`Tally` is an accumulator: feed it datasets with :meth:`Tally.add`,
combine tallies with :meth:`Tally.merge` (publishers into a catalogue,
catalogues into a government, chunks computed in parallel), read the frozen
:class:`QualitySummary` with :meth:`Tally.summary`. History over runs is a
series of summaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from govlens.assess.metrics import DATASET_METRICS, DIMENSIONS, DISTRIBUTION_METRICS, Metric
from govlens.assess.score import RATINGS, Rating, rating

Value = bool | int | None

#: Score bins: bin 0 holds scores <= 0, bin k the scores in (10(k-1), 10k]; the last one also
#: holds anything above (custom weights). The band edges 120, 220 and 350 are bin edges.
BIN_WIDTH = 10
N_BINS = 42


def score_bin(score: int) -> int:
    """The bin of a dataset score (see :data:`N_BINS`)."""
    if score <= 0:
        return 0
    return min(N_BINS - 1, (score + BIN_WIDTH - 1) // BIN_WIDTH)


def bin_edges() -> tuple[int, ...]:
    """``N_BINS + 1`` edges for charts: bin k spans ``edges[k]..edges[k+1]`` (bin 0 is -10..0)."""
    return (-BIN_WIDTH, *(k * BIN_WIDTH for k in range(N_BINS)))


@dataclass(frozen=True, slots=True)
class DatasetQuality:
    """What a roll-up needs from one assessed dataset."""

    dataset: str
    publisher: str | None
    mqa: int
    dimensions: tuple[int, int, int, int, int]
    udata: float
    stars: int
    ds_facts: tuple[Value, ...]
    dist_facts: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True, slots=True)
class MetricShare:
    metric: str
    level: str
    dimension: str
    yes: int
    no: int

    @property
    def measured(self) -> int:
        return self.yes + self.no

    @property
    def share(self) -> float | None:
        """yes / (yes + no), or None when nothing was measured."""
        return self.yes / self.measured if self.measured else None


@dataclass(frozen=True, slots=True)
class QualitySummary:
    key: str
    datasets: int
    distributions: int
    mqa_mean: float | None
    mqa_rating: Rating | None
    dimensions_mean: tuple[float, ...] | None
    udata_mean: float | None
    stars: tuple[int, ...]  # datasets with 0..5 stars
    stars_mean: float | None
    ratings: tuple[tuple[Rating, int], ...]  # datasets per rating band
    metrics: tuple[MetricShare, ...] = field(default=())
    bins: tuple[int, ...] = field(default=())  # datasets per score bin (see score_bin)

    def metric(self, name: str, level: str | None = None) -> MetricShare:
        for m in self.metrics:
            if m.metric == name and (level is None or m.level == level):
                return m
        raise KeyError(name)


def _is_yes(m: Metric, v: Value) -> bool:
    if m.status:
        return v is not True and v is not False and 200 <= v <= 299  # type: ignore[operator]
    return v is True


class Tally:
    """A mergeable accumulator of dataset qualities."""

    __slots__ = (
        "bins",
        "di_no",
        "di_yes",
        "dims_sum",
        "ds_no",
        "ds_yes",
        "key",
        "mqa_sum",
        "n",
        "n_dist",
        "ratings",
        "stars",
        "udata_sum",
    )

    def __init__(self, key: str = "") -> None:
        self.key = key
        self.n = 0
        self.n_dist = 0
        self.mqa_sum = 0
        self.dims_sum = [0, 0, 0, 0, 0]
        self.udata_sum = 0.0
        self.stars = [0] * 6
        self.ratings = dict.fromkeys(RATINGS, 0)
        self.ds_yes = [0] * len(DATASET_METRICS)
        self.ds_no = [0] * len(DATASET_METRICS)
        self.di_yes = [0] * len(DISTRIBUTION_METRICS)
        self.di_no = [0] * len(DISTRIBUTION_METRICS)
        self.bins = [0] * N_BINS

    def add(self, q: DatasetQuality) -> None:
        self.n += 1
        self.n_dist += len(q.dist_facts)
        self.mqa_sum += q.mqa
        for i, d in enumerate(q.dimensions):
            self.dims_sum[i] += d
        self.udata_sum += q.udata
        self.stars[max(0, min(5, q.stars))] += 1
        self.ratings[rating(q.mqa)] += 1
        self.bins[score_bin(q.mqa)] += 1
        self._count(DATASET_METRICS, q.ds_facts, self.ds_yes, self.ds_no)
        for facts in q.dist_facts:
            self._count(DISTRIBUTION_METRICS, facts, self.di_yes, self.di_no)

    @staticmethod
    def _count(metrics: Sequence[Metric], facts: Sequence[Value], yes: list[int], no: list[int]) -> None:
        for i, (m, v) in enumerate(zip(metrics, facts, strict=True)):
            if v is None:
                continue
            if _is_yes(m, v):
                yes[i] += 1
            else:
                no[i] += 1

    def merge(self, other: Tally) -> Tally:
        """Add ``other``'s counts into this tally (returns self)."""
        self.n += other.n
        self.n_dist += other.n_dist
        self.mqa_sum += other.mqa_sum
        self.udata_sum += other.udata_sum
        for mine, theirs in ((self.dims_sum, other.dims_sum), (self.stars, other.stars),
                             (self.ds_yes, other.ds_yes), (self.ds_no, other.ds_no),
                             (self.di_yes, other.di_yes), (self.di_no, other.di_no),
                             (self.bins, other.bins)):
            for i, x in enumerate(theirs):
                mine[i] += x
        for r, c in other.ratings.items():
            self.ratings[r] += c
        return self

    def summary(self) -> QualitySummary:
        n = self.n
        mean = self.mqa_sum / n if n else None
        shares = [MetricShare(m.name, m.level, m.dimension_name, y, no)
                  for m, y, no in zip(DATASET_METRICS, self.ds_yes, self.ds_no, strict=True)]
        shares += [MetricShare(m.name, m.level, m.dimension_name, y, no)
                   for m, y, no in zip(DISTRIBUTION_METRICS, self.di_yes, self.di_no, strict=True)]
        return QualitySummary(
            key=self.key,
            datasets=n,
            distributions=self.n_dist,
            mqa_mean=mean,
            mqa_rating=rating(mean) if mean is not None else None,
            dimensions_mean=tuple(d / n for d in self.dims_sum) if n else None,
            udata_mean=self.udata_sum / n if n else None,
            stars=tuple(self.stars),
            stars_mean=sum(i * c for i, c in enumerate(self.stars)) / n if n else None,
            ratings=tuple(self.ratings.items()),
            metrics=tuple(shares),
            bins=tuple(self.bins),
        )

    def state(self) -> dict[str, object]:
        """Every count, as JSON-ready values (metric counts keyed by name, so the layout may grow)."""
        return {
            "n": self.n, "n_dist": self.n_dist, "mqa_sum": self.mqa_sum, "udata_sum": self.udata_sum,
            "dims_sum": list(self.dims_sum), "stars": list(self.stars), "ratings": dict(self.ratings),
            "bins": list(self.bins),
            "dataset": {m.name: [y, no] for m, y, no in zip(DATASET_METRICS, self.ds_yes, self.ds_no,
                                                             strict=True)},
            "distribution": {m.name: [y, no] for m, y, no in zip(DISTRIBUTION_METRICS, self.di_yes,
                                                                  self.di_no, strict=True)},
        }

    @classmethod
    def from_state(cls, key: str, state: Mapping[str, Any]) -> Tally:
        """The tally :meth:`state` described (unknown metrics are ignored, missing ones are zero)."""
        t = cls(key)
        t.n, t.n_dist = int(state["n"]), int(state["n_dist"])
        t.mqa_sum, t.udata_sum = int(state["mqa_sum"]), float(state["udata_sum"])
        t.dims_sum = [int(x) for x in state["dims_sum"]]
        t.stars = [int(x) for x in state["stars"]]
        t.ratings.update({r: int(c) for r, c in state["ratings"].items() if r in t.ratings})
        for i, c in enumerate(state.get("bins", ())[:N_BINS]):
            t.bins[i] = int(c)
        for metrics, yes, no, counts in ((DATASET_METRICS, t.ds_yes, t.ds_no, state["dataset"]),
                                         (DISTRIBUTION_METRICS, t.di_yes, t.di_no, state["distribution"])):
            for i, m in enumerate(metrics):
                y, n = counts.get(m.name, (0, 0))
                yes[i], no[i] = int(y), int(n)
        return t


def by_publisher(items: Iterable[DatasetQuality]) -> dict[str | None, Tally]:
    """One tally per publisher key (None for datasets without a publisher)."""
    out: dict[str | None, Tally] = {}
    for q in items:
        tally = out.get(q.publisher)
        if tally is None:
            tally = out[q.publisher] = Tally(q.publisher or "")
        tally.add(q)
    return out


def overall(tallies: Iterable[Tally], key: str = "") -> Tally:
    """Merge tallies (publishers into their catalogue, catalogues into a government)."""
    total = Tally(key)
    for t in tallies:
        total.merge(t)
    return total


__all__ = ["BIN_WIDTH", "DIMENSIONS", "N_BINS", "DatasetQuality", "MetricShare", "QualitySummary", "Tally",
           "bin_edges", "by_publisher", "overall", "score_bin"]
