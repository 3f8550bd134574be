"""The taxonomy compiled into look-up tables, once, for fast classification.

Phrases become tuples of stems indexed by their first stem, per language, so
finding every phrase in a text costs one dictionary look-up per word (plus a
tuple comparison when the first stem is a known one). Themes and declared
HVD URIs are exact look-ups after normalisation.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from govlens.coverage.taxonomy import Taxonomy, builtin_taxonomy
from govlens.coverage.text import LANGS, Stemmer, default_stemmer, fold

Strength = Literal["strong", "weak", "exclude"]

#: Index of the phrases written ``=like this``: matched on folded words, not stems.
EXACT = "exact"

#: Weight of a theme match when the category does not set ``theme_weight``.
DEFAULT_THEME_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class Entry:
    stems: tuple[str, ...]
    category: str
    strength: Strength
    phrase: str


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: Entry


Index = Mapping[str, tuple[Entry, ...]]


@dataclass(frozen=True)
class TermTable:
    """Everything the classifier looks up, built by :func:`compile_table`."""

    taxonomy: Taxonomy
    stemmer: Stemmer
    text: Mapping[str, Index]  # "es" / "en" / "exact" -> first stem or word -> entries (terms)
    publishers: Mapping[str, Index]  # the same for publisher phrases
    themes: Mapping[str, tuple[tuple[str, float], ...]]  # theme key -> (category, weight)
    uris: Mapping[str, str]  # normalised HVD URI -> category
    implied: Mapping[str, frozenset[str]]  # category -> every category it implies
    weak_scale: Mapping[str, float]  # category -> factor on its weak-term weights
    sectors: frozenset[str]  # categories a theme and a publisher may decide without a term
    #: data-dictionary shape -> (category, weight) evidence, and shape -> categories it argues against
    shapes: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    shapes_against: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)  # category -> its own threshold


_NON_WORD = re.compile(r"[^a-z0-9]+")


def theme_key(theme: str) -> str:
    """Normalise a theme, group or superTheme: the last segment of a URI, folded, words only.

    ``http://publications.europa.eu/resource/authority/data-theme/ECON`` → ``econ``;
    ``Economía y finanzas`` → ``economia y finanzas``; ``economia-y-finanzas`` → the same.
    """
    t = theme.strip()
    if "://" in t:
        t = re.split(r"[/#]", t.rstrip("/#"))[-1]
    return _NON_WORD.sub(" ", fold(t)).strip()


def uri_key(uri: str) -> str:
    u = uri.strip().rstrip("/")
    return u.replace("https://", "http://", 1).lower()


def _index(entries: Sequence[Entry]) -> dict[str, tuple[Entry, ...]]:
    by_first: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_first[e.stems[0]].append(e)
    # Longer phrases first, so a caller that keeps the first hit keeps the most specific.
    return {k: tuple(sorted(v, key=lambda e: -len(e.stems))) for k, v in by_first.items()}


def compile_table(taxonomy: Taxonomy, stemmer: Stemmer | None = None) -> TermTable:
    stemmer = stemmer or default_stemmer()
    text: dict[str, list[Entry]] = {lang: [] for lang in (*LANGS, EXACT)}
    pubs: dict[str, list[Entry]] = {lang: [] for lang in (*LANGS, EXACT)}
    themes: dict[str, dict[str, float]] = defaultdict(dict)
    uris: dict[str, str] = {}
    for cat in taxonomy.categories:
        for strength in ("strong", "weak", "exclude"):
            for lang, phrases in getattr(cat.terms, strength).items():
                for p in phrases:
                    stems = stemmer.phrase(p, lang)
                    if stems:
                        where = EXACT if p.startswith("=") else lang
                        text[where].append(Entry(stems, cat.id, strength, p.lstrip("=")))
        for lang, phrases in cat.publishers.items():
            for p in phrases:
                stems = stemmer.phrase(p, lang)
                if stems:
                    where = EXACT if p.startswith("=") else lang
                    pubs[where].append(Entry(stems, cat.id, "strong", p.lstrip("=")))
        weight = cat.theme_weight if cat.theme_weight is not None else DEFAULT_THEME_WEIGHT
        for t in cat.themes:
            key = theme_key(t)
            if key:
                themes[key][cat.id] = max(weight, themes[key].get(cat.id, 0.0))
        for u in cat.uris:
            uris[uri_key(u)] = cat.id
    implied = {c.id: taxonomy.closure([c.id]) - {c.id} for c in taxonomy.categories}
    return TermTable(
        taxonomy=taxonomy,
        stemmer=stemmer,
        text={lang: _index(v) for lang, v in text.items()},
        publishers={lang: _index(v) for lang, v in pubs.items()},
        themes={k: tuple(sorted(v.items())) for k, v in themes.items()},
        uris=uris,
        implied=implied,
        weak_scale={c.id: c.weak_scale for c in taxonomy.categories if c.weak_scale != 1.0},
        sectors=frozenset(
            c.id for c in taxonomy.categories if taxonomy.framework(c.framework).sectors
        ),
        shapes={
            shape: tuple((c.id, c.dictionary[shape]) for c in taxonomy.categories if shape in c.dictionary)
            for shape in {s for c in taxonomy.categories for s in c.dictionary}
        },
        thresholds={c.id: c.threshold for c in taxonomy.categories if c.threshold is not None},
        shapes_against={
            shape: tuple(c.id for c in taxonomy.categories if shape in c.dictionary_against)
            for shape in {s for c in taxonomy.categories for s in c.dictionary_against}
        },
    )


@functools.cache
def builtin_table() -> TermTable:
    """The compiled built-in taxonomy (compiled once per process)."""
    return compile_table(builtin_taxonomy())


def find(index: Index, stems: Sequence[str]) -> list[Hit]:
    """Every phrase of ``index`` that occurs in ``stems`` (overlaps allowed)."""
    hits: list[Hit] = []
    n = len(stems)
    for i, s in enumerate(stems):
        entries = index.get(s)
        if not entries:
            continue
        for e in entries:
            k = len(e.stems)
            if k == 1 or (i + k <= n and tuple(stems[i : i + k]) == e.stems):
                hits.append(Hit(i, i + k, e))
    return hits
