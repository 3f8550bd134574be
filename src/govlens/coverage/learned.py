"""A learned decision: one logistic regression per category over the rules' evidence and the embedding.

Part of the optional embedding path (extra ``embed``; :mod:`govlens.coverage.embed`).
For each category it models, the decision reads

* the rules' evidence before any threshold (``classify.evidence``): the
  category's confidence, whether the rules assign it, whether a category they
  assign implies it, and the heaviest piece of each kind (a declared URI, a
  term in the title, the keywords, the description or the distributions, a
  theme, the publisher, the shape of the data dictionary);
* the similarity-weighted share of the dataset's nearest labelled examples
  that carry the category (:meth:`govlens.coverage.embed.Exemplars.shares`);
* the dataset's sentence embedding itself (title, keywords, beginning of the
  description: :func:`govlens.coverage.embed.text_of`), unit length.

The category is assigned when ``1 / (1 + exp(-(w · features + v · embedding + b)))``
reaches the category's threshold; its confidence is that probability and its
evidence the rules' pieces for it with a ``learned`` piece (field ``model``)
carrying the probability. Categories the file does not model keep the
decision of the rules and the nearest examples.

The weights (``data/learned.npz``, numpy only at run time: a dot product and
a logistic) are trained on the hand labels of the seen splits by
``benchmarks/coverage_learned.py``, which also cross-validates them
(docs/coverage.md, "The learned decision").
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from govlens.model import MatchEvidence

LEARNED = "learned.npz"

#: The kinds of rule evidence read, each as its heaviest piece (terms by field).
KINDS = ("declared", "title", "keywords", "description", "distributions", "theme", "publisher", "fields")
#: The features of a category, in the order of the weights: also the share of the nearest
#: examples when the rules assign the category, how many examples carry it (log scale), and
#: whether the decision at the boundary (rules and nearest examples) assigns it.
FEATURES = ("confidence", "assigned", "implied", *KINDS, "share", "assigned_share", "examples", "boundary")

Vector = npt.NDArray[np.float32]
Found = Mapping[str, tuple[float, tuple[MatchEvidence, ...]]]


def _kind(ev: MatchEvidence) -> str | None:
    if ev.kind == "term":
        return ev.field
    if ev.kind in KINDS:
        return ev.kind
    return None


def features(
    categories: Sequence[str],
    every: Found,
    assigned: Sequence[str],
    implied: Mapping[str, frozenset[str]],
    shares: Mapping[str, float],
    examples: Mapping[str, int],
    boundary: Collection[str] = (),
) -> Vector:
    """The features of each of ``categories`` (rows) for one dataset: ``every`` is the rules'
    evidence before thresholds, ``assigned`` the categories the rules assign, ``implied`` the
    taxonomy's implications (category → the broader ones), ``shares`` those of the nearest
    examples, ``examples`` how many examples carry each category and ``boundary`` the
    categories the decision at the boundary assigns."""
    broader = {b for c in assigned for b in implied.get(c, ())}
    out = np.zeros((len(categories), len(FEATURES)), dtype=np.float32)
    col = {name: i for i, name in enumerate(FEATURES)}
    chosen = set(assigned)
    for row, c in enumerate(categories):
        conf, evs = every.get(c, (0.0, ()))
        out[row, col["confidence"]] = conf
        out[row, col["assigned"]] = c in chosen
        out[row, col["implied"]] = c in broader
        for ev in evs:
            kind = _kind(ev)
            if kind is not None:
                out[row, col[kind]] = max(out[row, col[kind]], ev.weight)
        out[row, col["share"]] = shares.get(c, 0.0)
        out[row, col["assigned_share"]] = out[row, col["assigned"]] * out[row, col["share"]]
        out[row, col["examples"]] = np.log1p(examples.get(c, 0))
        out[row, col["boundary"]] = c in boundary
    return out


@dataclass(frozen=True)
class Model:
    """Per category: weights of the features and of the embedding, a bias and a threshold."""

    categories: tuple[str, ...]
    weights: Vector  # (categories, features)
    embedding: Vector  # (categories, dimensions); zero columns when the embedding is not read
    bias: Vector  # (categories,)
    thresholds: Vector  # (categories,)
    encoder: str

    def probabilities(self, feats: Vector, vector: Vector) -> Vector:
        """The probability of each modelled category, given its features (rows) and the embedding."""
        z = np.einsum("cf,cf->c", feats, self.weights) + self.embedding @ vector + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))), dtype=np.float32)

    def decide(
        self,
        every: Found,
        assigned: Sequence[str],
        implied: Mapping[str, frozenset[str]],
        shares: Mapping[str, float],
        examples: Mapping[str, int],
        boundary: Collection[str],
        vector: Vector,
    ) -> dict[str, tuple[float, tuple[MatchEvidence, ...]]]:
        """The modelled categories the model assigns, each with its probability as confidence,
        and as evidence the rules' pieces for it and a ``learned`` piece."""
        probs = self.probabilities(features(self.categories, every, assigned, implied, shares, examples, boundary), vector)
        out = {}
        for c, p, t in zip(self.categories, probs, self.thresholds):
            if p >= t:
                p4 = round(float(p), 4)
                link = MatchEvidence("learned", "model", f"probability {p4:.2f}", p4)
                out[c] = (p4, (*every.get(c, (0.0, ()))[1], link))
        return out


def dump_model(model: Model) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        categories=np.array(list(model.categories), dtype=str),
        features=np.array(list(FEATURES), dtype=str),
        weights=model.weights.astype(np.float32),
        embedding=model.embedding.astype(np.float32),
        bias=model.bias.astype(np.float32),
        thresholds=model.thresholds.astype(np.float32),
        encoder=np.array(model.encoder),
    )
    return buf.getvalue()


def load_model(data: bytes) -> Model:
    """A model from the bytes :func:`dump_model` wrote; refused (ValueError) if its features differ."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        if tuple(str(f) for f in z["features"]) != FEATURES:
            raise ValueError(f"the model reads the features {list(z['features'])}, not {list(FEATURES)}")
        cats = tuple(str(c) for c in z["categories"])
        model = Model(
            cats,
            z["weights"].astype(np.float32),
            z["embedding"].astype(np.float32),
            z["bias"].astype(np.float32),
            z["thresholds"].astype(np.float32),
            str(z["encoder"]),
        )
    n = len(cats)
    if model.weights.shape != (n, len(FEATURES)) or model.bias.shape != (n,) or model.thresholds.shape != (n,):
        raise ValueError("the model's arrays do not match its categories")
    if model.embedding.shape[0] != n:
        raise ValueError("the model's embedding weights do not match its categories")
    return model
