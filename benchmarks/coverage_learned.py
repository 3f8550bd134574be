"""The learned decision of the coverage classifier: cross-validate it, and train it.

    python benchmarks/coverage_learned.py           # leave-one-split-out CV: today's decision and the learned one
    python benchmarks/coverage_learned.py --write   # ... then train on every seen split: data/learned.npz
    python benchmarks/coverage_learned.py --model pooled --objective sum   # another way of fitting it

Needs the embed extra, scikit-learn (dev extra) and the shared data. Only the seen
splits (``coverage_eval.SEEN``) are read; a split drawn after them never is.

For each seen split, everything is fitted on the other splits and that split is
scored (micro precision and recall over the categories present, pooled over the
splits). The nearest examples of a record never come from its own split nor from the
split being scored: the shares of a training record are read against the examples
of the other training splits, those of a scored record against every training split
(at run time, a new dataset is read against all the examples, none of them from its
own catalogue sample). Side by side, on the same records and the same examples:

* **rules**: the rules alone;
* **rules + nearest examples**: today's decision at the boundary (``embed.Boundary``);
* **learned** (``govlens.coverage.learned``), for the categories with at least
  ``--min-positives`` positives in the training splits (the others keep today's
  decision; implied categories follow, as in ``classify``). ``--model stacked`` (the
  default): one logistic regression shared by those categories over their features
  (the rules' evidence, the share of the nearest examples, whether today's decision
  assigns them; a bias per group: statistics, ODC, HVD, G8), then per category a
  logistic regression over that shared logit and the embedding (its columns
  multiplied by ``--embed-scale``), L2 strengths ``--c`` and ``--c-embed``.
  ``--model pooled``: the shared regression alone; ``--model per-category``: one
  regression per category over its features and the embedding (``--balanced`` for
  class weights). The probability threshold is one for all categories, chosen inside
  the training splits on their own leave-one-split-out probabilities: by default the
  best recall at a precision of at least ``--precision`` (``--objective goal``), or the
  best sum of precision and recall (``--objective sum``), over the modelled categories.

Prints, per split and pooled, precision / recall of the three decisions side by side.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _shared import shared_data_dir
from coverage_eval import SEEN, Label, labelled
from sklearn.linear_model import LogisticRegression

from govlens.coverage import embed, learned
from govlens.coverage.classify import THRESHOLD, _second_opinion, classify, evidence
from govlens.coverage.evaluate import score
from govlens.coverage.terms import TermTable, builtin_table
from govlens.model import Dataset

OUT = Path(__file__).resolve().parents[1] / "src" / "govlens" / "coverage" / "data" / learned.LEARNED
Predicted = dict[str, frozenset[str]]
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(14))  # 0.2 .. 0.85


@dataclass
class Corpus:
    """The seen records with what every decision reads, computed once."""

    labels: list[Label]
    datasets: list[Dataset]
    every: Sequence[learned.Found]
    assigned: list[list[str]]
    vectors: np.ndarray  # (records, dimensions), unit length
    onehot: np.ndarray  # (records, categories)
    ids: tuple[str, ...]
    table: TermTable
    signals: dict[tuple[str, str | None], embed.Signal] = field(default_factory=dict)

    def boundary(self, i: int, own: str, excluded: str | None) -> frozenset[str]:
        """The categories the decision at the boundary assigns to record ``i`` (before
        implications), its examples from outside its own split and ``excluded``."""
        if (own, excluded) not in self.signals:
            split = np.array([lb.split for lb in self.labels])
            self.signals[own, excluded] = _Cached(self, (split != own) & (split != excluded))
        found = {k: v for k, v in self.every[i].items() if k in self.assigned[i]}
        return frozenset(_second_opinion(self.datasets[i], self.signals[own, excluded], dict(self.every[i]), found))

    def shares(self, i: int, allowed: np.ndarray) -> dict[str, float]:
        """Record ``i``'s shares against the examples ``allowed`` (never itself)."""
        mask = allowed.copy()
        mask[i] = False
        ex = embed.Exemplars(("",) * int(mask.sum()), self.ids, self.vectors[mask], self.onehot[mask], "")
        return ex.shares(self.vectors[i])


def corpus(root: Path) -> Corpus:
    labels, records = labelled(root, SEEN)
    labels = [lb for lb in labels if lb.split in SEEN]
    table = builtin_table()
    ids = table.taxonomy.ids()
    own = table.thresholds
    datasets = [records[lb.key].dataset for lb in labels]
    every = [evidence(ds, table) for ds in datasets]
    assigned = [[c for c, (conf, _) in ev.items() if conf > 0 and conf >= own.get(c, THRESHOLD)] for ev in every]
    found = embed.usem3_encoder()
    if found is None:
        raise SystemExit("needs the embed extra")
    vectors = found[0]([embed.text_of(ds) for ds in datasets]).astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    onehot = np.array([[c in lb.categories for c in ids] for lb in labels], dtype=bool)
    return Corpus(labels, datasets, every, assigned, vectors, onehot, ids, table)


class _Cached(embed.Signal):
    """The built-in signal's decision numbers with the corpus's vectors (nothing encoded again)."""

    def __init__(self, c: Corpus, allowed: np.ndarray) -> None:
        ex = embed.Exemplars(("",) * int(allowed.sum()), c.ids, c.vectors[allowed], c.onehot[allowed], "")
        super().__init__(lambda texts: np.zeros((len(texts), c.vectors.shape[1]), np.float32), ex)
        self._row = {id(ds): i for i, ds in enumerate(c.datasets)}
        self._c = c

    def vector(self, ds: Dataset) -> embed.Matrix:
        return np.asarray(self._c.vectors[self._row[id(ds)]])


def today(c: Corpus, test: str) -> Predicted:
    """Rules + nearest examples for the records of ``test``, examples from the other splits."""
    split = np.array([lb.split for lb in c.labels])
    signal = _Cached(c, split != test)
    return {
        lb.key: frozenset(m.category for m in classify(ds, c.table, similar=signal))
        for lb, ds in zip(c.labels, c.datasets)
        if lb.split == test
    }


def rules(c: Corpus) -> Predicted:
    return {lb.key: frozenset(m.category for m in classify(ds, c.table, similar=None)) for lb, ds in zip(c.labels, c.datasets)}


@dataclass(frozen=True)
class Settings:
    """How the decision is fitted (the defaults are the shipped model's)."""

    model: str = "stacked"  # "per-category", "pooled" or "stacked"
    c: float = 1.0  # inverse L2 strength of the per-category or shared regression
    c_embed: float = 1.0  # ... and of the per-category regression over the embedding (stacked)
    embed_scale: float = 3.0  # the embedding's columns are multiplied by this (0: not read)
    min_positives: int = 5
    balanced: bool = False  # class weights inversely proportional to the classes' sizes
    objective: str = "goal"  # "goal": the best recall at a precision of at least ``precision``; "sum": P + R
    precision: float = 0.9
    fixed: float | None = None  # a fixed threshold instead (a look at the curve, not a choice)


def _rows(c: Corpus, idx: Sequence[int], excluded: str | None) -> tuple[list[np.ndarray], np.ndarray]:
    """Features (one matrix per record, all categories) of records ``idx``, each read against the
    examples outside its own split and outside ``excluded``."""
    split = np.array([lb.split for lb in c.labels])
    out = []
    for i in idx:
        allowed = (split != split[i]) & (split != excluded)
        mask = allowed.copy()
        mask[i] = False
        counts = dict(zip(c.ids, (int(n) for n in c.onehot[mask].sum(axis=0))))
        out.append(
            learned.features(
                c.ids, c.every[i], c.assigned[i], c.table.implied, c.shares(i, allowed), counts,
                c.boundary(i, str(split[i]), excluded),
            )
        )
    return out, c.vectors[list(idx)]


def fit(c: Corpus, feats: list[np.ndarray], vecs: np.ndarray, y: np.ndarray, s: Settings) -> learned.Model:
    """One logistic regression per category with enough positives; thresholds 0.5 (set by the caller)."""
    cats, weights, emb, bias = [], [], [], []
    dims = vecs.shape[1]
    stack = np.stack(feats)  # (records, categories, features)
    for j, cat in enumerate(c.ids):
        pos = int(y[:, j].sum())
        if pos < s.min_positives or pos == len(y):
            continue
        x = stack[:, j, :]
        mu, sd = x.mean(axis=0), x.std(axis=0)
        sd[sd == 0] = 1.0
        design = np.hstack([(x - mu) / sd, vecs * s.embed_scale]) if s.embed_scale else (x - mu) / sd
        lr = LogisticRegression(C=s.c, class_weight="balanced", max_iter=5000)
        lr.fit(design, y[:, j])
        w = lr.coef_[0]
        wf = w[: x.shape[1]] / sd
        cats.append(cat)
        weights.append(wf)
        emb.append(w[x.shape[1] :] * s.embed_scale if s.embed_scale else np.zeros(dims))
        bias.append(lr.intercept_[0] - float(wf @ mu))
    n = len(cats)
    return learned.Model(
        tuple(cats),
        np.array(weights, np.float32).reshape(n, len(learned.FEATURES)),
        np.array(emb, np.float32).reshape(n, dims),
        np.array(bias, np.float32),
        np.full(n, 0.5, np.float32),
        "",
    )


def fit_pooled(c: Corpus, feats: list[np.ndarray], vecs: np.ndarray, y: np.ndarray, s: Settings) -> learned.Model:
    """One logistic regression shared by the categories with enough positives (a bias per
    group of categories), over the rules' evidence and the nearest examples."""
    cols = [j for j in range(len(c.ids)) if s.min_positives <= int(y[:, j].sum()) < len(y)]
    stack = np.stack(feats)[:, cols, :]  # (records, categories, features)
    groups = sorted({group(c.ids[j]) for j in cols})
    gi = np.array([groups.index(group(c.ids[j])) for j in cols])
    x = stack.reshape(-1, stack.shape[2])
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    dummies = np.zeros((len(cols), len(groups)))
    dummies[np.arange(len(cols)), gi] = 1.0
    g = np.tile(dummies, (stack.shape[0], 1))
    design = np.hstack([(x - mu) / sd, g])
    lr = LogisticRegression(C=s.c, max_iter=5000, class_weight="balanced" if s.balanced else None)
    lr.fit(design, y[:, cols].reshape(-1))
    w = lr.coef_[0]
    nf = x.shape[1]
    wf = w[:nf] / sd
    bias = lr.intercept_[0] - float(wf @ mu) + w[nf:][gi]
    n = len(cols)
    return learned.Model(
        tuple(c.ids[j] for j in cols),
        np.tile(wf, (n, 1)).astype(np.float32),
        np.zeros((n, vecs.shape[1]), np.float32),
        bias.astype(np.float32),
        np.full(n, 0.5, np.float32),
        "",
    )


def fit_stacked(c: Corpus, feats: list[np.ndarray], vecs: np.ndarray, y: np.ndarray, s: Settings) -> learned.Model:
    """The shared regression, then per category a regression over its logit and the embedding
    (scaled by ``embed_scale``): the category's own reading of the text."""
    base = fit_pooled(c, feats, vecs, y, s)
    stack = np.stack(feats)
    weights, emb, bias = [], [], []
    for k, cat in enumerate(base.categories):
        j = c.ids.index(cat)
        logit = stack[:, j, :] @ base.weights[k] + base.bias[k]
        design = np.hstack([logit[:, None], vecs * s.embed_scale])
        lr = LogisticRegression(C=s.c_embed, max_iter=5000)
        lr.fit(design, y[:, j])
        a = lr.coef_[0][0]
        weights.append(base.weights[k] * a)
        emb.append(lr.coef_[0][1:] * s.embed_scale)
        bias.append(base.bias[k] * a + lr.intercept_[0])
    return learned.Model(
        base.categories,
        np.array(weights, np.float32),
        np.array(emb, np.float32),
        np.array(bias, np.float32),
        base.thresholds,
        "",
    )


def group(category: str) -> str:
    if category.endswith("statistics"):
        return "statistics"
    return category.split(".")[0]


def _probs(model: learned.Model, c: Corpus, feats: list[np.ndarray], vecs: np.ndarray) -> np.ndarray:
    rows = [c.ids.index(k) for k in model.categories]
    return np.array([model.probabilities(f[rows], v) for f, v in zip(feats, vecs)])


Fitter = Callable[[Corpus, list[np.ndarray], np.ndarray, np.ndarray, Settings], learned.Model]


def _fitter(s: Settings) -> Fitter:
    return {"per-category": fit, "pooled": fit_pooled, "stacked": fit_stacked}[s.model]


def choose_threshold(c: Corpus, train: Sequence[str], excluded: str | None, s: Settings) -> float:
    """The global threshold with the best sum of micro precision and recall over the modelled
    categories, on the training splits' own leave-one-split-out probabilities."""
    split = np.array([lb.split for lb in c.labels])
    idx = [i for i in range(len(split)) if split[i] in train]
    feats, vecs = _rows(c, idx, excluded)
    where = np.array([split[i] for i in idx])
    y = c.onehot[idx]
    pooled: list[tuple[np.ndarray, np.ndarray]] = []  # (probabilities, truth) over all categories
    for u in train:
        tr, va = np.flatnonzero(where != u), np.flatnonzero(where == u)
        m = _fitter(s)(c, [feats[i] for i in tr], vecs[tr], y[tr], s)
        cols = [c.ids.index(k) for k in m.categories]
        p = np.zeros((len(va), len(c.ids)))
        p[:, cols] = _probs(m, c, [feats[i] for i in va], vecs[va])
        mask = np.zeros((len(va), len(c.ids)), bool)
        mask[:, cols] = True
        pooled.append((np.where(mask, p, -1.0), y[va]))
    probs = np.vstack([p for p, _ in pooled])
    truth = np.vstack([t for _, t in pooled])
    modelled = probs >= 0
    if s.fixed is not None:
        return s.fixed
    best, best_t = (-1.0, -1.0), 0.5
    for t in THRESHOLDS:
        pred = (probs >= t) & modelled
        tp = float((pred & truth).sum())
        prec = tp / max(pred.sum(), 1)
        rec = tp / max((truth & modelled).sum(), 1)
        key = (prec + rec, 0.0) if s.objective == "sum" else (float(prec >= s.precision), rec if prec >= s.precision else prec)
        if key > best:
            best, best_t = key, t
    return best_t


def train(c: Corpus, train_splits: Sequence[str], excluded: str | None, s: Settings) -> learned.Model:
    split = np.array([lb.split for lb in c.labels])
    idx = [i for i in range(len(split)) if split[i] in train_splits]
    feats, vecs = _rows(c, idx, excluded)
    m = _fitter(s)(c, feats, vecs, c.onehot[idx], s)
    t = choose_threshold(c, train_splits, excluded, s)
    return learned.Model(m.categories, m.weights, m.embedding, m.bias, np.full(len(m.categories), t, np.float32), m.encoder)


def predict_learned(c: Corpus, test: str, model: learned.Model) -> Predicted:
    split = np.array([lb.split for lb in c.labels])
    signal = _Cached(c, split != test)
    signal.learned = model
    return {
        lb.key: frozenset(m.category for m in classify(ds, c.table, similar=signal))
        for lb, ds in zip(c.labels, c.datasets)
        if lb.split == test
    }


def _pr(c: Corpus, pred: Mapping[str, frozenset[str]], split: str | None = None) -> tuple[float, float]:
    labels = [lb for lb in c.labels if split is None or lb.split == split]
    return score({lb.key: lb.categories for lb in labels}, {lb.key: pred[lb.key] for lb in labels}, c.ids).micro()


def cross_validate(c: Corpus, s: Settings) -> None:
    base_rules = rules(c)
    base_today: Predicted = {}
    new: Predicted = {}
    print(f"{'split':9} {'records':>7}  {'rules P / R':>13}  {'+ nearest P / R':>15}  {'learned P / R':>13}  threshold, categories modelled")
    for test in SEEN:
        train_splits = [x for x in SEEN if x != test]
        base_today.update(today(c, test))
        model = train(c, train_splits, test, s)
        new.update(predict_learned(c, test, model))
        n = sum(1 for lb in c.labels if lb.split == test)
        cells = [_pr(c, d, test) for d in (base_rules, base_today, new)]
        text = "  ".join(f"{p:.3f} / {r:.3f}" for p, r in cells)
        print(f"{test:9} {n:7}  {text}      {float(model.thresholds[0]):.2f}, {len(model.categories)}")
    cells = [_pr(c, d) for d in (base_rules, base_today, new)]
    text = "  ".join(f"{p:.3f} / {r:.3f}" for p, r in cells)
    print(f"{'pooled':9} {len(c.labels):7}  {text}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    d = Settings()
    ap.add_argument("--model", choices=("per-category", "pooled", "stacked"), default=d.model)
    ap.add_argument("--c", type=float, default=d.c, help="inverse L2 strength of the regression over the features")
    ap.add_argument("--c-embed", type=float, default=d.c_embed, help="... and over the embedding (stacked)")
    ap.add_argument("--embed-scale", type=float, default=d.embed_scale, help="0: the embedding is not read")
    ap.add_argument("--min-positives", type=int, default=d.min_positives)
    ap.add_argument("--balanced", action="store_true", help="class-weighted regressions")
    ap.add_argument("--objective", choices=("goal", "sum"), default=d.objective)
    ap.add_argument("--precision", type=float, default=d.precision, help="the precision the goal objective needs")
    ap.add_argument("--fixed", type=float, default=None, help="a fixed threshold (a look at the curve only)")
    ap.add_argument("--write", action="store_true", help="train on every seen split and write data/learned.npz")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = ap.parse_args()
    root = shared_data_dir()
    if root is None:
        print("the shared data folder is absent; set GOVLENS_SHARED_DATA", file=sys.stderr)
        return 2
    s = Settings(
        args.model, args.c, args.c_embed, args.embed_scale, args.min_positives, args.balanced,
        args.objective, args.precision, args.fixed,
    )
    c = corpus(root)
    print(f"{len(c.labels)} labelled records of {', '.join(SEEN)}; micro over the categories present; {s}")
    if not args.no_cv:
        cross_validate(c, s)
    if args.write:
        found = embed.usem3_encoder()
        assert found is not None
        m = train(c, SEEN, None, s)
        m = learned.Model(m.categories, m.weights, m.embedding, m.bias, m.thresholds, found[1])
        OUT.write_bytes(learned.dump_model(m))
        print(f"trained on the {len(SEEN)} splits: {len(m.categories)} categories, threshold {float(m.thresholds[0]):.2f}: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
