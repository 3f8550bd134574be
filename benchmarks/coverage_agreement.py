"""Agreement of two independent readings of the labelling guide (inter-annotator agreement).

    python benchmarks/coverage_agreement.py sample           # the records to read again
    python benchmarks/coverage_agreement.py compare [--list] # the second reading against the first

``sample`` draws, reproducibly, 150 of the labelled records of the seven splits labelled
then (``DRAWN_FROM``; a split labelled later is not drawn from), stratified by split in
proportion to its size, and prints ``source<TAB>identifier`` lines (never the
labels). The second reading, made blind by docs/coverage-labelling.md, is
``benchmarks/data/coverage_labels_second.csv`` (the columns of ``coverage_labels.csv``;
``split`` is the first reading's split). ``compare`` scores the second reading with the
first as reference, both closed under the taxonomy's ``implies`` exactly as the
evaluation closes the labels (``coverage_eval.read_labels``), so its figures read like
the classifier's. See docs/coverage.md.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import shared_data_dir
from coverage_corpus import records
from coverage_eval import LABELS, Label, read_labels

from govlens.coverage.evaluate import Report, score
from govlens.coverage.taxonomy import Taxonomy, builtin_taxonomy

SECOND = Path(__file__).resolve().parent / "data" / "coverage_labels_second.csv"
SEED = "govlens-coverage-agreement"
SIZE = 150
#: The splits labelled when the second reading was drawn; a split labelled later is not drawn
#: from, so the sample stays the one that was read.
DRAWN_FROM = ("tune", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6")
FRAMEWORKS = ("odc", "hvd", "g8")
#: Kappa is printed for the categories with at least this many positives in either reading.
KAPPA_MIN = 5


def quotas(sizes: Mapping[str, int], total: int) -> dict[str, int]:
    """``total`` shared among the splits in proportion to their sizes (largest remainder)."""
    whole = sum(sizes.values())
    exact = {s: total * n / whole for s, n in sizes.items()}
    out = {s: int(x) for s, x in exact.items()}
    rest = total - sum(out.values())
    for s in sorted(exact, key=lambda s: (out[s] - exact[s], s))[:rest]:
        out[s] += 1
    return out


def draw(path: Path = LABELS, size: int = SIZE) -> list[tuple[str, str]]:
    """(source, identifier) of ``size`` labelled records, stratified by split."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            (r["split"], r["source"], r["identifier"])
            for r in csv.DictReader(fh)
            if r["split"] in DRAWN_FROM
        ]
    by_split: dict[str, list[tuple[str, str]]] = {}
    for split, source, ident in rows:
        by_split.setdefault(split, []).append((source, ident))
    rng = random.Random(SEED)
    chosen: list[tuple[str, str]] = []
    for split, n in sorted(quotas({s: len(v) for s, v in by_split.items()}, size).items()):
        chosen.extend(rng.sample(sorted(by_split[split]), n))
    return chosen


@dataclass(frozen=True, slots=True)
class Agreement:
    """Counts of one category over the records both readings labelled."""

    category: str
    both: int
    first_only: int
    second_only: int
    neither: int

    @property
    def positives(self) -> int:
        """The larger of the two readings' positive counts."""
        return max(self.both + self.first_only, self.both + self.second_only)

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa of the two readings (None when chance agreement is certain)."""
        n = self.both + self.first_only + self.second_only + self.neither
        if not n:
            return None
        observed = (self.both + self.neither) / n
        p1 = (self.both + self.first_only) / n
        p2 = (self.both + self.second_only) / n
        chance = p1 * p2 + (1 - p1) * (1 - p2)
        return None if chance == 1 else (observed - chance) / (1 - chance)


def agreement(
    first: Mapping[str, frozenset[str]], second: Mapping[str, frozenset[str]], categories: Sequence[str]
) -> list[Agreement]:
    """Per-category agreement over the records of ``first`` (a record missing in ``second``
    counts as labelled with nothing)."""
    out = []
    for cat in categories:
        both = first_only = second_only = neither = 0
        for key, cats in first.items():
            a, b = cat in cats, cat in second.get(key, frozenset())
            both += a and b
            first_only += a and not b
            second_only += b and not a
            neither += not a and not b
        out.append(Agreement(cat, both, first_only, second_only, neither))
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    first: dict[str, Label]
    second: dict[str, Label]
    report: Report
    by_framework: dict[str, Report]
    categories: list[Agreement]

    @property
    def identical(self) -> float:
        """Share of records whose two category sets (closed) are the same."""
        same = sum(self.first[k].categories == self.second[k].categories for k in self.first)
        return same / len(self.first) if self.first else 1.0

    def disagreeing(self) -> list[str]:
        return [k for k in self.first if self.first[k].categories != self.second[k].categories]


def compare(second_path: Path = SECOND, first_path: Path = LABELS, taxonomy: Taxonomy | None = None) -> Comparison:
    """The second reading scored with the first as reference, both closed under ``implies``."""
    tax = taxonomy or builtin_taxonomy()
    second = {lb.key: lb for lb in read_labels(second_path, tax)}
    first = {lb.key: lb for lb in read_labels(first_path, tax) if lb.key in second}
    missing = sorted(set(second) - set(first))
    if missing:
        raise SystemExit(f"{len(missing)} records of the second reading have no first reading, e.g. {missing[:3]}")
    gold = {k: lb.categories for k, lb in first.items()}
    other = {k: lb.categories for k, lb in second.items()}
    return Comparison(
        first,
        second,
        score(gold, other, tax.ids()),
        {fw: score(gold, other, tax.ids(fw)) for fw in FRAMEWORKS},
        agreement(gold, other, tax.ids()),
    )


def render(c: Comparison, listing: bool = False) -> list[str]:
    """The lines ``compare`` prints."""
    p, r = c.report.micro()
    lines = [
        f"records: {len(c.first)}",
        f"second vs first (micro over categories present): precision {p:.3f} recall {r:.3f}",
    ]
    for fw, rep in c.by_framework.items():
        fp, fr = rep.micro()
        lines.append(f"  {fw}: precision {fp:.3f} recall {fr:.3f}")
    lines.append(f"identical category sets: {c.identical:.3f} ({len(c.first) - len(c.disagreeing())}/{len(c.first)})")
    lines.append("category                              both  first-only  second-only  kappa")
    for a in sorted(c.categories, key=lambda a: (-(a.first_only + a.second_only), a.category)):
        if not (a.both or a.first_only or a.second_only):
            continue
        k = a.kappa
        shown = f"{k:.3f}" if k is not None and a.positives >= KAPPA_MIN else "-"
        lines.append(f"{a.category:<36}{a.both:>6}{a.first_only:>12}{a.second_only:>13}  {shown:>5}")
    if listing:
        for key in c.disagreeing():
            f, s = c.first[key], c.second[key]
            lines.append(f"{f.split}  {key}")
            lines.append(f"    first:  {';'.join(sorted(f.categories)) or '-'}")
            lines.append(f"    second: {';'.join(sorted(s.categories)) or '-'}")
            lines.append(f"    first only: {';'.join(sorted(f.categories - s.categories)) or '-'}"
                         f"  second only: {';'.join(sorted(s.categories - f.categories)) or '-'}")
    return lines


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "sample":
        root = shared_data_dir()
        if root is None:
            raise SystemExit("the shared data folder is absent; set GOVLENS_SHARED_DATA")
        chosen = draw()
        known = {(r.source, r.identifier) for r in records(root)}
        lost = [k for k in chosen if k not in known]
        if lost:
            raise SystemExit(f"{len(lost)} drawn records not found, e.g. {lost[:3]}")
        for source, ident in chosen:
            print(f"{source}\t{ident}")
        return 0
    if cmd == "compare":
        for line in render(compare(), listing="--list" in argv[2:]):
            print(line)
        return 0
    print("usage: coverage_agreement.py sample | compare [--list]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
