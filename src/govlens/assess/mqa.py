"""The MQA dataset score: piveau's best-distribution algorithm (quality-methods §1.3).

Input are the *facts* of a dataset, the values of its measurements:

* ``ds``: one value per :data:`~govlens.assess.metrics.DATASET_METRICS` entry;
* ``dists``: per distribution, in declared order, one value per
  :data:`~govlens.assess.metrics.DISTRIBUTION_METRICS` entry.

A value is ``True``/``False`` for a boolean metric, an HTTP status code for the
two status metrics, and ``None`` when the metric was not measured (a URL not
checked yet, SHACL not run, no file inspection): an unmeasured metric scores 0.

The algorithm:

1. score every distribution on the distribution metrics, per dimension; a status
   metric earns its points for a 2xx code (the link checker reports the best
   answer over the distribution's URLs, which is piveau's max over measurements);
2. keep the distribution with the highest total; ties keep the earlier one;
3. add the dataset metrics to the kept distribution's dimensions, except that
   issued and modified count once: when the kept distribution has the date, the
   dataset's is not added again (when it lacks it, the dataset's counts).

A dataset without distributions earns dataset metrics only (at most 185).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govlens.assess.metrics import (
    DATASET_METRICS,
    DEFAULT_WEIGHTS,
    DI_ISSUED,
    DI_MODIFIED,
    DISTRIBUTION_METRICS,
    DS_ISSUED,
    DS_MODIFIED,
    Weights,
)
from govlens.assess.score import Rating, rating

Value = bool | int | None


@dataclass(frozen=True, slots=True)
class MqaScore:
    """A dataset's MQA score, per dimension, and which distribution was scored."""

    total: int
    findability: int
    accessibility: int
    interoperability: int
    reusability: int
    contextuality: int
    #: Index of the scored (best) distribution, or None without distributions.
    best: int | None

    @property
    def rating(self) -> Rating:
        return rating(self.total)

    @property
    def dimensions(self) -> tuple[int, int, int, int, int]:
        return (self.findability, self.accessibility, self.interoperability, self.reusability,
                self.contextuality)


def points(value: Value, true_pts: int, false_pts: int, status: bool) -> int:
    """Points of one measurement value (0 when not measured)."""
    if value is None:
        return 0
    if status:
        return true_pts if (value is not True and value is not False and 200 <= value <= 299) else false_pts
    return true_pts if value else false_pts


def distribution_dimensions(values: Sequence[Value], weights: Weights = DEFAULT_WEIGHTS) -> list[int]:
    """Points of one distribution's measurements, per dimension."""
    dims = [0, 0, 0, 0, 0]
    for m, (t, f), v in zip(DISTRIBUTION_METRICS, weights.distribution, values, strict=True):
        if v is not None:
            dims[m.dimension] += points(v, t, f, m.status)
    return dims


def score(ds: Sequence[Value], dists: Sequence[Sequence[Value]], weights: Weights = DEFAULT_WEIGHTS) -> MqaScore:
    """The MQA score of one dataset from its facts."""
    best: list[int] | None = None
    best_total = 0
    best_index: int | None = None
    for i, values in enumerate(dists):
        dims = distribution_dimensions(values, weights)
        total = sum(dims)
        if best is None or total > best_total:  # ties keep the earlier one
            best, best_total, best_index = dims, total, i
    out = best if best is not None else [0, 0, 0, 0, 0]
    kept = dists[best_index] if best_index is not None else None
    for j, (m, (t, f), v) in enumerate(zip(DATASET_METRICS, weights.dataset, ds, strict=True)):
        if v is None:
            continue
        if kept is not None and ((j == DS_ISSUED and kept[DI_ISSUED] is True)
                                 or (j == DS_MODIFIED and kept[DI_MODIFIED] is True)):
            continue  # counted once: the scored distribution has it
        out[m.dimension] += points(v, t, f, m.status)
    return MqaScore(sum(out), out[0], out[1], out[2], out[3], out[4], best_index)
