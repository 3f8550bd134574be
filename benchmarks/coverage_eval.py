"""Load the hand labels and the labelled records, classify them, score the result.

Shared by ``benchmarks/classify.py`` (prints the figures) and the test that
asserts the classifier meets its goal.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coverage_corpus import Record, records

from govlens.coverage.classify import AUTO, Similar, classify
from govlens.coverage.embed import Signal, default_signal
from govlens.coverage.evaluate import Report, score
from govlens.coverage.taxonomy import Taxonomy, builtin_taxonomy
from govlens.coverage.terms import builtin_table

LABELS = Path(__file__).resolve().parent / "data" / "coverage_labels.csv"
#: The splits used for tuning and training (the seventh tuning used the first five, the
#: learned decision the first six, then all seven: ``holdout6`` joined after its figures were
#: printed once after the eighth round); a split drawn after them stays unseen until its figures are
#: printed once at the end of a round, and no code here reads it before.
SEEN = ("tune", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6")


@dataclass(frozen=True, slots=True)
class Label:
    split: str
    source: str
    identifier: str
    categories: frozenset[str]
    note: str

    @property
    def key(self) -> str:
        return f"{self.source}#{self.identifier}"


def read_labels(path: Path = LABELS, taxonomy: Taxonomy | None = None) -> list[Label]:
    """The labels, closed under the taxonomy's implications."""
    tax = taxonomy or builtin_taxonomy()
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cats = [c for c in row["categories"].split(";") if c]
            out.append(
                Label(row["split"], row["source"], row["identifier"], tax.closure(cats), row["note"])
            )
    return out


@dataclass(frozen=True, slots=True)
class Evaluation:
    split: str
    report: Report
    labels: tuple[Label, ...]
    predicted: dict[str, frozenset[str]]
    records: dict[str, Record]


def labelled(root: Path, splits: Sequence[str]) -> tuple[list[Label], dict[str, Record]]:
    """The labels of ``splits`` and their records, by key."""
    labels = [lb for lb in read_labels() if lb.split in splits]
    wanted = {lb.key for lb in labels}
    found: dict[str, Record] = {}
    for r in records(root):
        key = f"{r.source}#{r.identifier}"
        if key in wanted and key not in found:
            found[key] = r
    missing = wanted - set(found)
    if missing:
        raise SystemExit(f"{len(missing)} labelled records not found, e.g. {sorted(missing)[:3]}")
    return labels, found


def evaluate(
    root: Path, splits: Sequence[str] = ("tune",), threshold: float | None = None, similar: Similar = AUTO
) -> Evaluation:
    """Score the classifier on the labels of ``splits``. ``similar`` as in ``classify``
    (AUTO: the embedding signal when the embed extra is installed). Its examples are
    the seen records, so a seen record is scored against the other examples."""
    labels, found = labelled(root, splits)
    table = builtin_table()
    kw = {} if threshold is None else {"threshold": threshold}
    signal = default_signal() if similar == AUTO else similar
    examples = set(signal.exemplars.keys) if isinstance(signal, Signal) else set()

    def opinion(key: str) -> Signal | None:
        if not isinstance(signal, Signal):
            return None
        return signal.without([key]) if key in examples else signal

    predicted = {
        k: frozenset(m.category for m in classify(r.dataset, table, similar=opinion(k), **kw))
        for k, r in found.items()
    }
    gold = {lb.key: lb.categories for lb in labels}
    report = score(gold, predicted, builtin_taxonomy().ids())
    return Evaluation("+".join(splits), report, tuple(labels), predicted, found)
