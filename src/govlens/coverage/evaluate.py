"""Precision and recall of the classifier against hand-made labels (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: str
    support: int  # labelled positives
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None


@dataclass(frozen=True, slots=True)
class Report:
    datasets: int
    categories: tuple[CategoryScore, ...]

    def _micro(self, rows: Iterable[CategoryScore]) -> tuple[float, float]:
        tp = fp = fn = 0
        for r in rows:
            tp, fp, fn = tp + r.tp, fp + r.fp, fn + r.fn
        return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)

    @property
    def present(self) -> tuple[CategoryScore, ...]:
        """Categories with at least one labelled positive."""
        return tuple(c for c in self.categories if c.support)

    def micro(self, present_only: bool = True) -> tuple[float, float]:
        """Micro-averaged (precision, recall), over the categories present or over all."""
        return self._micro(self.present if present_only else self.categories)

    def macro(self) -> tuple[float, float]:
        """Mean precision and recall over the categories present (a category never
        predicted counts as precision 0)."""
        rows = self.present
        if not rows:
            return (1.0, 1.0)
        p = sum(r.precision or 0.0 for r in rows) / len(rows)
        r = sum(r.recall or 0.0 for r in rows) / len(rows)
        return (p, r)


def score(
    gold: Mapping[str, frozenset[str]],
    predicted: Mapping[str, frozenset[str]],
    categories: Iterable[str],
) -> Report:
    """Compare predicted categories with labels, per category, over the labelled datasets."""
    rows = []
    for cat in categories:
        tp = fp = fn = support = 0
        for key, labels in gold.items():
            got = cat in predicted.get(key, frozenset())
            want = cat in labels
            support += want
            tp += got and want
            fp += got and not want
            fn += want and not got
        rows.append(CategoryScore(cat, support, tp, fp, fn))
    return Report(len(gold), tuple(rows))
