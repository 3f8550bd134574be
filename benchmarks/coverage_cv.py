"""Leave-one-split-out cross-validation of the coverage classifier's decision numbers.

    python benchmarks/coverage_cv.py                # the rules' thresholds, then the embedding's numbers
    python benchmarks/coverage_cv.py --rules-only   # the thresholds only (no embed extra needed)

In-sample figures of numbers chosen on the very labels they are scored on say
little about a new catalogue. Here, for each seen split (``coverage_eval.SEEN``),
the numbers are chosen on the other splits (best sum of micro precision and
recall over the categories present; ties keep today's thresholds and the sixth
tuning's embedding numbers) and that split is
scored with them; the scored splits together are the cross-validated figure.

* **Thresholds of the rules:** an offset added to the threshold of every category
  of a group (statistics, the G8 sectors, the other ODC and HVD categories), chosen
  group by group (two passes), rules alone.
* **Numbers of the embedding signal** (``govlens.coverage.embed.Boundary``): the
  veto below a confidence, the share it needs, the examples that make a category
  frequent, and the share a boost needs, over a fixed grid. Each record is scored
  against the other examples (leave one out), as ``benchmarks/classify.py`` does.

A split drawn after the seen ones is never read here.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import shared_data_dir
from coverage_eval import SEEN, Label, labelled

from govlens.coverage.classify import THRESHOLD, classify
from govlens.coverage.embed import Boundary, Matrix, Signal, default_signal
from govlens.coverage.evaluate import score
from govlens.coverage.terms import TermTable, builtin_table
from govlens.model import Dataset

Predicted = dict[str, frozenset[str]]
GROUPS = ("statistics", "sectors", "odc", "hvd")
OFFSETS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
#: The numbers of the sixth tuning: ties between sets of numbers keep these.
SIXTH = Boundary(veto_below=0.7, veto_share=0.2, frequent=10**6, boost_from=0.35, boost_share=0.6)
#: The grid: veto below, veto share, frequent from (examples), boost share.
GRID = ((0.7, 0.8, 0.9), (0.2, 0.25), (40, 60, 100, 200, 10**6), (0.5, 0.6, 0.7))


def group(category: str, table: TermTable) -> str:
    if table.weak_scale.get(category, 1.0) > 1.0 or category == "g8.statistics":
        return "statistics"
    if category in table.sectors:
        return "sectors"
    return category.split(".")[0]


def figures(labels: Sequence[Label], predicted: Mapping[str, frozenset[str]], ids: Sequence[str]) -> tuple[float, float]:
    return score({lb.key: lb.categories for lb in labels}, predicted, ids).micro()


def goodness(labels: Sequence[Label], predicted: Mapping[str, frozenset[str]], ids: Sequence[str]) -> float:
    p, r = figures(labels, predicted, ids)
    return p + r


def cross_validate(
    labels: Sequence[Label],
    choose: Callable[[Sequence[Label]], object],
    predict: Callable[[object], Predicted],
    ids: Sequence[str],
) -> None:
    """Choose on all splits but one, score that one; print each split, the pooled figures and the choices."""
    pooled: Predicted = {}
    for split in SEEN:
        train = [lb for lb in labels if lb.split != split]
        test = [lb for lb in labels if lb.split == split]
        chosen = choose(train)
        pred = predict(chosen)
        pooled.update({lb.key: pred[lb.key] for lb in test})
        p, r = figures(test, pred, ids)
        print(f"  {split:9} scored with numbers chosen on the other {len(SEEN) - 1}: {p:.3f} / {r:.3f}   {chosen}")
    p, r = figures(labels, pooled, ids)
    print(f"  cross-validated, the {len(SEEN)} splits together: precision {p:.3f}  recall {r:.3f}")
    chosen = choose(labels)
    p, r = figures(labels, predict(chosen), ids)
    print(f"  chosen on all {len(SEEN)}: {chosen}; in-sample {p:.3f} / {r:.3f}")


def thresholds(labels: Sequence[Label], found: Mapping[str, Dataset], ids: Sequence[str]) -> None:
    table = builtin_table()
    cache: dict[tuple[float, ...], Predicted] = {}

    def predict(offsets: object) -> Predicted:
        assert isinstance(offsets, tuple)
        if offsets not in cache:
            by = dict(zip(GROUPS, offsets))
            own = {c: table.thresholds.get(c, THRESHOLD) + by[group(c, table)] for c in ids}
            shifted = replace(table, thresholds=own)
            cache[offsets] = {k: frozenset(m.category for m in classify(ds, shifted, similar=None)) for k, ds in found.items()}
        return cache[offsets]

    def choose(train: Sequence[Label]) -> object:
        best = (0.0,) * len(GROUPS)
        for _ in range(2):
            for i in range(len(GROUPS)):
                trials = [best[:i] + (o,) + best[i + 1 :] for o in OFFSETS]
                best = max(trials, key=lambda t: (goodness(train, predict(t), ids), t == best))
        return best

    today = predict((0.0,) * len(GROUPS))
    print(f"rules alone, offsets of the thresholds of {', '.join(GROUPS)}; today's (no offset) {_fmt(labels, today, ids)}")
    cross_validate(labels, choose, predict, ids)


class _LeaveOneOut(Signal):
    """The signal with each labelled record scored against the other examples, its shares kept."""

    def __init__(self, base: Signal, keys: Mapping[int, str], kept: dict[str, Mapping[str, float]], boundary: Boundary):
        super().__init__(base.encode, base.exemplars, boundary)
        self._base, self._keys, self._kept = base, keys, kept

    def vector(self, ds: Dataset) -> Matrix:
        return self._base.vector(ds)

    def shares(self, ds: Dataset) -> Mapping[str, float]:
        key = self._keys[id(ds)]
        if key not in self._kept:
            self._kept[key] = self.exemplars.without([key]).shares(self.vector(ds))
        return self._kept[key]


def boundary(labels: Sequence[Label], found: Mapping[str, Dataset], ids: Sequence[str], signal: Signal) -> None:
    table = builtin_table()
    keys = {id(ds): k for k, ds in found.items()}
    kept: dict[str, Mapping[str, float]] = {}
    points = [
        Boundary(veto_below=vb, veto_share=vs, frequent=int(fr), boost_share=bs)
        for vb, vs, fr, bs in itertools.product(*GRID)
    ]
    today = Boundary()
    points += [b for b in (today, SIXTH) if b not in points]
    preds = {
        b: {k: frozenset(m.category for m in classify(ds, table, similar=_LeaveOneOut(signal, keys, kept, b))) for k, ds in found.items()}
        for b in points
    }

    def choose(train: Sequence[Label]) -> object:
        return max(points, key=lambda b: (goodness(train, preds[b], ids), b == SIXTH))

    def predict(b: object) -> Predicted:
        assert isinstance(b, Boundary)
        return preds[b]

    print(f"\nrules + embedding ({signal.exemplars.model}), {len(points)} sets of numbers")
    print(f"  today's {today}: {_fmt(labels, preds[today], ids)}")
    print(f"  the sixth tuning's {SIXTH}: {_fmt(labels, preds[SIXTH], ids)}")
    cross_validate(labels, choose, predict, ids)


def _fmt(labels: Iterable[Label], predicted: Predicted, ids: Sequence[str]) -> str:
    p, r = figures(list(labels), predicted, ids)
    return f"{p:.3f} / {r:.3f} in-sample"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules-only", action="store_true", help="the thresholds only")
    args = ap.parse_args()
    root = shared_data_dir()
    if root is None:
        print("the shared data folder is absent; set GOVLENS_SHARED_DATA", file=sys.stderr)
        return 2
    labels, records = labelled(root, SEEN)
    found = {k: r.dataset for k, r in records.items()}
    ids = builtin_table().taxonomy.ids()
    print(f"{len(labels)} labelled records of {', '.join(SEEN)}; micro over the categories present")
    thresholds(labels, found, ids)
    if not args.rules_only:
        signal = default_signal()
        if signal is None:
            print("embedding signal: the embed extra is not installed")
            return 0
        boundary(labels, found, ids, signal)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
