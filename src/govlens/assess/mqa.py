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

Because dates count once, a distribution's date is worth nothing when the
dataset already has that date; step 2 compares distributions on what they add
to the dataset (their total less the dataset dates they repeat). Without
dataset-level dates this is piveau's choice exactly; with them it keeps the
score monotonic (giving a distribution a date never lowers the dataset's score).

A dataset without distributions earns dataset metrics only (at most 185).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    """The MQA score of one dataset from its facts (the compiled form of :func:`reference_score`)."""
    return compiled(weights)(ds, dists)


def reference_score(ds: Sequence[Value], dists: Sequence[Sequence[Value]],
                    weights: Weights = DEFAULT_WEIGHTS) -> MqaScore:
    """The MQA score of one dataset from its facts: the algorithm as written, metric by metric."""
    ds_issued = _ds_points(ds, DS_ISSUED, weights)
    ds_modified = _ds_points(ds, DS_MODIFIED, weights)
    best: list[int] | None = None
    best_key = 0
    best_index: int | None = None
    for i, values in enumerate(dists):
        dims = distribution_dimensions(values, weights)
        # What this distribution adds to the dataset: its dates replace the dataset's (counted once).
        key = sum(dims) - (ds_issued if values[DI_ISSUED] is True else 0) \
            - (ds_modified if values[DI_MODIFIED] is True else 0)
        if best is None or key > best_key:  # ties keep the earlier one
            best, best_key, best_index = dims, key, i
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


def _ds_points(ds: Sequence[Value], j: int, weights: Weights) -> int:
    m, (t, f) = DATASET_METRICS[j], weights.dataset[j]
    return points(ds[j], t, f, m.status)


# -- the same algorithm, compiled per weights into straight-line Python --------------------------
#
# The hot path scores millions of datasets: loops over the metric registry and a
# call per measurement cost more than the arithmetic. For each set of weights the
# algorithm above is generated once as a function with the metric positions and
# points inlined. The tests hold it equal to reference_score on generated facts.


def _term(var: str, t: int, f: int, status: bool) -> str:
    if status:
        hit = f"({var}.__class__ is int and 200 <= {var} <= 299)"
        return f"(0 if {var} is None else ({t} if {hit} else {f}))"
    if f == 0:
        return f"({t} if {var} is True else 0)"
    return f"({t} if {var} is True else ({f} if {var} is False else 0))"


def _sum(terms: list[str]) -> str:
    return " + ".join(terms) if terms else "0"


@lru_cache(maxsize=64)
def compiled(weights: Weights) -> Callable[[Sequence[Value], Sequence[Sequence[Value]]], MqaScore]:
    di_vars = [f"d{i}" for i in range(len(DISTRIBUTION_METRICS))]
    ds_vars = [f"s{i}" for i in range(len(DATASET_METRICS))]
    di_dims: list[list[str]] = [[] for _ in range(5)]
    for v, m, (t, f) in zip(di_vars, DISTRIBUTION_METRICS, weights.distribution, strict=True):
        di_dims[m.dimension].append(_term(v, t, f, m.status))
    ds_dims: list[list[str]] = [[] for _ in range(5)]
    for j, (v, m, (t, f)) in enumerate(zip(ds_vars, DATASET_METRICS, weights.dataset, strict=True)):
        term = _term(v, t, f, m.status)
        if j == DS_ISSUED:
            term = f"(0 if b_iss else {term})"
        elif j == DS_MODIFIED:
            term = f"(0 if b_mod else {term})"
        ds_dims[m.dimension].append(term)
    iss_m, mod_m = DATASET_METRICS[DS_ISSUED], DATASET_METRICS[DS_MODIFIED]
    lines = [
        "def _score(ds, dists):",
        f"    {', '.join(ds_vars)}, = ds",
        f"    ds_iss = {_term(ds_vars[DS_ISSUED], *weights.dataset[DS_ISSUED], iss_m.status)}",
        f"    ds_mod = {_term(ds_vars[DS_MODIFIED], *weights.dataset[DS_MODIFIED], mod_m.status)}",
        "    bi = None; bt = 0; b0 = b1 = b2 = b3 = b4 = 0; b_iss = b_mod = False",
        "    i = 0",
        "    for f in dists:",
        f"        {', '.join(di_vars)}, = f",
        *[f"        x{k} = {_sum(di_dims[k])}" for k in range(5)],
        f"        iss = {di_vars[DI_ISSUED]} is True; mod = {di_vars[DI_MODIFIED]} is True",
        "        t = x0 + x1 + x2 + x3 + x4 - (ds_iss if iss else 0) - (ds_mod if mod else 0)",
        "        if bi is None or t > bt:",
        "            bi = i; bt = t; b0 = x0; b1 = x1; b2 = x2; b3 = x3; b4 = x4; b_iss = iss; b_mod = mod",
        "        i += 1",
        *[f"    b{k} += {_sum(ds_dims[k])}" for k in range(5)],
        "    return MqaScore(b0 + b1 + b2 + b3 + b4, b0, b1, b2, b3, b4, bi)",
    ]
    namespace: dict[str, object] = {"MqaScore": MqaScore}
    exec(compile("\n".join(lines), f"<mqa score {id(weights):x}>", "exec"), namespace)  # noqa: S102
    return namespace["_score"]  # type: ignore[return-value]
