"""Which priority datasets a dataset is: categories with a confidence and their evidence.

Evidence, strongest first:

* a declared HVD category (``dcatap:hvdCategory``): certain, weight 1;
* a taxonomy term in the title, keywords, description or distribution titles,
  in the dataset's own language (a *strong* term decides on its own in the
  title; in the keywords it needs any other support; *weak* terms only
  support), unless an *exclude* phrase covers the same words;
* the shape of the data dictionary (``govlens.coverage.fields``): a time
  series or a table of totals, for the categories whose taxonomy entry says so
  (without a dictionary, a title naming a register or a list is a list);
* a theme, group or superTheme linked to the category (per-category weight);
* the publisher's name, where it is telling (a procurement agency).

Each piece has a weight in 0..1 (:data:`WEIGHTS`); the confidence combines
them as independent signals, ``1 - Π(1 - w)``, counting each term once at its
strongest field. A category is assigned when its confidence reaches the
threshold (0.5). Broader categories implied by an assigned one (``implies``
in the taxonomy) are assigned with the same confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from govlens.coverage import embed
from govlens.coverage.fields import shape, title_shape
from govlens.coverage.learned import Model
from govlens.coverage.terms import EXACT, Hit, TermTable, builtin_table, find, theme_key, uri_key
from govlens.coverage.text import LANGS, languages
from govlens.model import CategoryMatch, Dataset, MatchEvidence

THRESHOLD = 0.5

#: ``classify(similar=AUTO)``: the embedding signal when its extra is installed, else none.
AUTO: Literal["auto"] = "auto"
Similar = embed.Signal | None | Literal["auto"]

#: Weight of a term match by strength and field.
WEIGHTS = {
    "strong": {"title": 0.9, "keywords": 0.45, "distributions": 0.5, "description": 0.4},
    "weak": {"title": 0.3, "keywords": 0.2, "distributions": 0.12, "description": 0.12},
}
PUBLISHER_WEIGHT = 0.35
#: The description and the distribution texts support a category but cannot
#: decide it alone: the terms found in each weigh at most this much together.
SUPPORT_FIELDS = ("description", "distributions")
SUPPORT_CAP = 0.45
#: Where a sector's strong term names the dataset's content rather than mentions it.
HEADLINE_FIELDS = ("title", "keywords")
#: A term this heavy is a strong term (weak terms weigh at most 0.3).
STRONG_FLOOR = 0.4
#: Words after which a term names a breakdown of the data, not its subject.
BREAKDOWN = frozenset({"by", "por", "per"})
#: Factor applied to the term and theme evidence of a category when an exclude
#: phrase of it appears in the title without covering any of its terms.
TITLE_EXCLUDE_FACTOR = 0.5
#: Only the beginning of long texts is read: descriptions, and the titles and
#: descriptions of the first distributions.
DESCRIPTION_CHARS = 1500
DISTRIBUTION_CHARS = 200
MAX_DISTRIBUTIONS = 12


@dataclass
class _Acc:
    """Evidence gathered for one category, keeping each value once at its best weight."""

    items: dict[tuple[str, str], MatchEvidence] = field(default_factory=dict)
    factor: float = 1.0

    def add(self, ev: MatchEvidence) -> None:
        # Several themes (or publisher phrases) pointing at a category are one signal.
        key = (ev.kind, "" if ev.kind in ("theme", "publisher") else ev.value)
        old = self.items.get(key)
        if old is None or ev.weight > old.weight:
            self.items[key] = ev

    def _headline(self) -> bool:
        """A strong term in the title or the keywords."""
        return any(
            ev.kind == "term" and ev.field in HEADLINE_FIELDS and ev.weight >= STRONG_FLOOR
            for ev in self.items.values()
        )

    def confidence(self, sector: bool = False, cues: bool = False) -> float:
        """Noisy-OR of the evidence. The terms of the description, and those of
        the distributions, weigh at most :data:`SUPPORT_CAP` each.

        What may decide: a declared URI (certain); a strong term or shape; for a category
        read from many small cues (``weak_scale`` > 1, statistics) any term; for
        a sector, a theme and a publisher that agree. Anything else alone (a
        theme, a publisher, weak words) gives confidence 0. A sector's terms found
        only in the description or the resources need a theme or a publisher of
        the sector, or a strong term in the title or the keywords: a broad sector
        word ("health", "education") in a long text is a mention, not the content.
        """
        miss = 1.0
        support_miss = dict.fromkeys(SUPPORT_FIELDS, 1.0)
        kinds: set[str] = set()
        decisive = False
        for ev in self.items.values():
            kinds.add(ev.kind)
            if ev.kind == "declared":
                return 1.0
            if ev.kind in ("term", "fields"):
                decisive = decisive or cues or ev.weight >= STRONG_FLOOR
            if ev.kind == "term" and ev.field in support_miss:
                support_miss[ev.field] *= 1.0 - ev.weight
            else:
                miss *= 1.0 - ev.weight
        decisive = decisive or (sector and {"theme", "publisher"} <= kinds)
        if sector and not kinds & {"theme", "publisher"} and not self._headline():
            decisive = False  # a sector named only in the description or the resources is a mention
        if not decisive:
            return 0.0
        for field_miss in support_miss.values():
            miss *= 1.0 - min(SUPPORT_CAP, 1.0 - field_miss)
        return (1.0 - miss) * self.factor


def _fields(ds: Dataset) -> list[tuple[str, list[str]]]:
    dist_texts = list(
        dict.fromkeys(
            t
            for d in ds.distributions[:MAX_DISTRIBUTIONS]
            for t in (d.title, (d.description or "")[:DISTRIBUTION_CHARS])
            if t
        )
    )
    return [
        ("title", [ds.title] if ds.title else []),
        ("keywords", list(ds.keywords)),
        ("description", [ds.description[:DESCRIPTION_CHARS]] if ds.description else []),
        ("distributions", dist_texts),
    ]


def _term_hits(
    table: TermTable, values: Sequence[str], langs: Sequence[str] = LANGS, publishers: bool = False
) -> list[Hit]:
    plain, es, en = table.stemmer.streams(values)
    index = table.publishers if publishers else table.text
    hits = find(index[EXACT], plain)
    if "es" in langs:
        hits += find(index["es"], es)
    if "en" in langs:
        hits += find(index["en"], en)
    if publishers:
        return hits
    return [_as_breakdown(h, table) if h.start and plain[h.start - 1] in BREAKDOWN else h for h in hits]


def _as_breakdown(h: Hit, table: TermTable) -> Hit:
    """A strong term right after "by" or "por" names a breakdown of the data ("firearm
    finds by airport"), not its subject: it weighs as a weak term. Not for categories
    read from many small cues (statistics), for which a breakdown is itself a cue."""
    if h.entry.strength != "strong" or table.weak_scale.get(h.entry.category, 1.0) > 1.0:
        return h
    return Hit(h.start, h.end, replace(h.entry, strength="weak"))


def _kept(hits: list[Hit]) -> list[Hit]:
    """Per category, drop hits inside a stronger or longer hit of the same category
    (the Spanish and English readings of one word, "sociedades" inside "registro de sociedades")."""
    out: list[Hit] = []
    order = sorted(hits, key=lambda h: (h.entry.strength != "strong", -(h.end - h.start)))
    for h in order:
        if not any(
            k.entry.category == h.entry.category and k.start <= h.start and h.end <= k.end
            for k in out
        ):
            out.append(h)
    return out


def _apply_terms(
    acc: dict[str, _Acc], field_name: str, hits: list[Hit], weak_scale: Mapping[str, float]
) -> None:
    excluded: dict[str, list[tuple[int, int]]] = {}
    for h in hits:
        if h.entry.strength == "exclude":
            excluded.setdefault(h.entry.category, []).append((h.start, h.end))
    covered: set[tuple[str, int, int]] = set()
    for h in _kept([h for h in hits if h.entry.strength != "exclude"]):
        e = h.entry
        spans = [(s, t) for s, t in excluded.get(e.category, ()) if s < h.end and h.start < t]
        if spans:
            covered.update((e.category, s, t) for s, t in spans)
            continue
        w = WEIGHTS[e.strength][field_name]
        if e.strength == "weak":
            w = min(0.45, w * weak_scale.get(e.category, 1.0))
        acc.setdefault(e.category, _Acc()).add(MatchEvidence("term", field_name, e.phrase, w))
    if field_name == "title":
        for cat, spans in excluded.items():
            if any((cat, s, t) not in covered for s, t in spans):
                acc.setdefault(cat, _Acc()).factor *= TITLE_EXCLUDE_FACTOR


def _apply_shape(acc: dict[str, _Acc], table: TermTable, found: str | None) -> None:
    """The data dictionary's shape: evidence for some categories, against others."""
    if found is None:
        return
    for cat, w in table.shapes.get(found, ()):
        acc.setdefault(cat, _Acc()).add(MatchEvidence("fields", "fields", found, w))
    for cat in table.shapes_against.get(found, ()):
        if cat in acc:
            acc[cat].factor *= TITLE_EXCLUDE_FACTOR


def evidence(ds: Dataset, table: TermTable | None = None) -> dict[str, tuple[float, tuple[MatchEvidence, ...]]]:
    """Every category with any evidence, before the threshold and implications."""
    table = table or builtin_table()
    acc: dict[str, _Acc] = {}
    for uri in ds.hvd_categories:
        cat = table.uris.get(uri_key(uri))
        if cat is not None:
            acc.setdefault(cat, _Acc()).add(MatchEvidence("declared", "hvd_categories", uri, 1.0))
    for theme in ds.themes:
        for cat, w in table.themes.get(theme_key(theme), ()):
            acc.setdefault(cat, _Acc()).add(MatchEvidence("theme", "themes", theme, w))
    fields = _fields(ds)
    langs = languages(v for name, values in fields if name in ("title", "description") for v in values)
    for field_name, values in fields:
        if values:
            _apply_terms(acc, field_name, _term_hits(table, values, langs), table.weak_scale)
    if ds.publisher is not None and ds.publisher.name:
        for h in _term_hits(table, [ds.publisher.name], langs, publishers=True):
            acc.setdefault(h.entry.category, _Acc()).add(
                MatchEvidence("publisher", "publisher", h.entry.phrase, PUBLISHER_WEIGHT)
            )
    if table.shapes or table.shapes_against:
        _apply_shape(acc, table, shape(ds) or title_shape(ds.title))
    out = {}
    for cat, a in acc.items():
        if a.items:
            ev = tuple(sorted(a.items.values(), key=lambda e: -e.weight))
            conf = a.confidence(cat in table.sectors, table.weak_scale.get(cat, 1.0) > 1.0)
            out[cat] = (round(conf, 4), ev)
    return _named_sector_first(out, table)


def _named_sector_first(
    out: dict[str, tuple[float, tuple[MatchEvidence, ...]]], table: TermTable
) -> dict[str, tuple[float, tuple[MatchEvidence, ...]]]:
    """A sector decided only by a theme and a publisher that agree is the publisher's
    usual sector, a default: when the dataset's own words name another sector (a strong
    term, or a category that implies the sector), that one is taken and the default dropped
    (bioethanol sales published by the ministry of agriculture are energy, not agriculture)."""
    own = table.thresholds
    found = [c for c, (conf, _) in out.items() if conf > 0 and conf >= own.get(c, THRESHOLD)]
    default = {
        c
        for c in found
        if c in table.sectors
        and not any(e.kind in ("term", "fields", "declared") and e.weight >= STRONG_FLOOR for e in out[c][1])
    }
    if not default:
        return out
    named = {c for c in found if c in table.sectors and c not in default}
    for c in found:
        if c not in default:
            named.update(b for b in table.implied.get(c, ()) if b in table.sectors)
    # g8.statistics and its kind mirror an HVD category: they are not a subject sector.
    named -= {c for c in table.sectors if table.implied.get(c)}
    if not named - default:
        return out
    return {c: ((0.0, v[1]) if c in default else v) for c, v in out.items()}


def _second_opinion(
    ds: Dataset,
    signal: embed.Signal,
    every: dict[str, tuple[float, tuple[MatchEvidence, ...]]],
    found: dict[str, tuple[float, tuple[MatchEvidence, ...]]],
    shares: Mapping[str, float] | None = None,
) -> dict[str, tuple[float, tuple[MatchEvidence, ...]]]:
    """Ask the nearest labelled examples about the categories at the decision boundary
    (:mod:`govlens.coverage.embed`); the dataset is embedded only when there is one
    (and its ``shares`` are not given). A frequent category (many examples carry it)
    is at the boundary at any confidence short of a declared one."""
    known, b = signal.exemplars.known, signal.boundary
    frequent = signal.exemplars.frequent(b.frequent)
    doubtful = [
        c
        for c, (conf, ev) in found.items()
        if c in known
        and (conf < b.veto_below or (c in frequent and not any(e.kind == "declared" for e in ev)))
    ]
    near = [
        c
        for c, (conf, _) in every.items()
        if c not in found and c in known and conf > 0 and conf >= b.boost_from
    ]
    if not doubtful and not near:
        return found
    shares = signal.shares(ds) if shares is None else shares
    out = {c: v for c, v in found.items() if c not in doubtful or shares.get(c, 0.0) >= b.veto_share}
    for c in near:
        share = shares.get(c, 0.0)
        if share >= b.boost_share:
            conf, ev = every[c]
            link = MatchEvidence("similar", "embedding", f"{share:.2f} of the nearest labelled examples", round(share, 4))
            out[c] = (round(1.0 - (1.0 - conf) * (1.0 - share), 4), (*ev, link))
    return out


def _learned(
    ds: Dataset,
    signal: embed.Signal,
    model: Model,
    every: dict[str, tuple[float, tuple[MatchEvidence, ...]]],
    found: dict[str, tuple[float, tuple[MatchEvidence, ...]]],
    table: TermTable,
) -> dict[str, tuple[float, tuple[MatchEvidence, ...]]]:
    """The learned decision (:mod:`govlens.coverage.learned`) for the categories it models,
    the decision at the boundary for the others; the dataset is always embedded."""
    vector = signal.vector(ds)
    shares = signal.exemplars.shares(vector)
    others = _second_opinion(ds, signal, every, found, shares)
    decided = model.decide(every, list(found), table.implied, shares, signal.exemplars.counts, set(others), vector)
    modelled = set(model.categories)
    return {**{c: v for c, v in others.items() if c not in modelled}, **decided}


def classify(
    ds: Dataset, table: TermTable | None = None, *, threshold: float = THRESHOLD, similar: Similar = AUTO
) -> tuple[CategoryMatch, ...]:
    """The categories ``ds`` belongs to, best first: confidence at least the category's
    own ``threshold`` (taxonomy), else ``threshold``. ``similar`` is the embedding
    signal asked at the decision boundary: :data:`AUTO` (the built-in one when the
    ``embed`` extra is installed), a :class:`~govlens.coverage.embed.Signal`, or None
    for the rules alone."""
    table = table or builtin_table()
    own = table.thresholds
    every = evidence(ds, table)
    found = {c: v for c, v in every.items() if v[0] > 0 and v[0] >= own.get(c, threshold)}
    signal = embed.default_signal() if similar == AUTO else similar
    if isinstance(signal, embed.Signal):
        if signal.learned is None:
            found = _second_opinion(ds, signal, every, found)
        else:
            found = _learned(ds, signal, signal.learned, every, found, table)
    result: dict[str, CategoryMatch] = {
        c: CategoryMatch(c, conf, ev) for c, (conf, ev) in found.items()
    }
    for c, (conf, _) in sorted(found.items(), key=lambda kv: -kv[1][0]):
        for broader in table.implied.get(c, ()):
            have = result.get(broader)
            link = MatchEvidence("implied", c, c, conf)
            if have is None:
                result[broader] = CategoryMatch(broader, conf, (link,))
            elif conf > have.confidence:
                result[broader] = CategoryMatch(broader, conf, (link, *have.evidence))
    return tuple(sorted(result.values(), key=lambda m: (-m.confidence, m.category)))


def telling_publisher(name: str | None, table: TermTable | None = None) -> frozenset[str]:
    """The categories whose telling-publisher phrases (the taxonomy's ``publishers``)
    occur in a publisher's name, read in Spanish and English as the classifier reads it:
    the institutions that would keep those datasets."""
    if not name:
        return frozenset()
    table = table or builtin_table()
    return frozenset(h.entry.category for h in _term_hits(table, [name], publishers=True))


def classify_many(
    datasets: Iterable[Dataset],
    table: TermTable | None = None,
    *,
    threshold: float = THRESHOLD,
    similar: Similar = AUTO,
) -> dict[str, tuple[CategoryMatch, ...]]:
    """Classify many datasets: identifier → matches (datasets with no match included)."""
    table = table or builtin_table()
    return {ds.identifier: classify(ds, table, threshold=threshold, similar=similar) for ds in datasets}
