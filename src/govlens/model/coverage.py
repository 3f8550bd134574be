"""Coverage of high-value and anti-corruption datasets: what the classifier and the matrix say.

A dataset gets zero or more :class:`CategoryMatch` values, each with its
confidence and the :class:`MatchEvidence` behind it. The coverage matrix holds one
:class:`CoverageCell` per category and publisher (and one per category for the
whole government), with the quality of the datasets found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MatchKind = Literal["declared", "theme", "term", "publisher", "fields", "implied", "similar", "learned"]
CoverageStatus = Literal["present", "missing"]

#: ``CoverageCell.publisher`` of the whole-government row.
WHOLE_GOVERNMENT = "*"


@dataclass(frozen=True, slots=True)
class MatchEvidence:
    """One reason for a category.

    ``kind`` says what matched: a declared HVD category URI (``declared``), a
    theme or group (``theme``), a term of the taxonomy (``term``), the
    publisher's name (``publisher``), the shape of the data dictionary
    (``fields``: ``time-series``, ``aggregate``), a narrower category that
    implies this one (``implied``), the nearest labelled examples by sentence
    embedding (``similar``, field ``embedding``), or the learned decision
    (``learned``, field ``model``, value and weight its probability). ``field`` names the dataset field that
    carried it (``hvd_categories``, ``themes``, ``title``, ``keywords``,
    ``description``, ``distributions``, ``publisher``, ``fields``) or the
    implying category's id; ``value`` is the term, theme, URI, shape or
    category matched, and ``weight`` its contribution (0..1).
    """

    kind: MatchKind
    field: str
    value: str
    weight: float


@dataclass(frozen=True, slots=True)
class CategoryMatch:
    """A category a dataset belongs to, with a confidence in 0..1 and its evidence."""

    category: str
    confidence: float
    evidence: tuple[MatchEvidence, ...] = ()


@dataclass(frozen=True, slots=True)
class DatasetQuality:
    """Quality facts of one dataset, as far as they are known (``None``: unknown).

    ``links_ok``/``links_checked`` count the dataset's distribution URLs that
    have a link state; ``fresh`` compares ``modified`` with the declared
    frequency; ``mqa_score`` (0..405) and ``mqa_band`` come from the metadata
    quality assessment when it has run.
    """

    identifier: str
    machine_readable: bool
    open_licence: bool | None
    fresh: bool | None
    links_checked: int = 0
    links_ok: int = 0
    mqa_score: float | None = None
    mqa_band: str | None = None

    @property
    def open_data(self) -> bool:
        """Machine-readable and under an open licence: what counts as *open* availability."""
        return self.machine_readable and bool(self.open_licence)


@dataclass(frozen=True, slots=True)
class CoverageQuality:
    """Quality of the datasets found for one category and publisher.

    Counts are over ``datasets``; ``mqa_mean`` is the mean MQA score of the
    datasets that have one. ``best`` is the identifier of the dataset with the
    best quality (open data first, then links, freshness and MQA score).
    """

    datasets: int = 0
    machine_readable: int = 0
    open_licence: int = 0
    open_data: int = 0
    fresh: int = 0
    freshness_known: int = 0
    links_checked: int = 0
    links_ok: int = 0
    mqa_scored: int = 0
    mqa_mean: float | None = None
    mqa_band: str | None = None
    best: str | None = None


@dataclass(frozen=True, slots=True)
class CoverageCell:
    """Whether one priority dataset exists for one publisher (or the whole government).

    ``publisher`` is a publisher key, or :data:`WHOLE_GOVERNMENT` for the row
    that covers every publisher. ``confidence`` is the highest confidence of
    the datasets found (0 when missing).
    """

    category: str
    publisher: str
    status: CoverageStatus
    datasets: tuple[str, ...] = ()
    confidence: float = 0.0
    quality: CoverageQuality = CoverageQuality()
