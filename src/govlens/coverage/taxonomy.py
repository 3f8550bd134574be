"""The taxonomy of datasets a government should publish, loaded from package data.

Three frameworks ship with govlens (``data/*.yaml``): the Open Data Charter's
30 anti-corruption priority datasets (``odc``), the six EU High-Value Dataset
categories (``hvd``) and the 14 high-value categories of the G8 Open Data
Charter used by the OECD OURdata Index (``g8``). A user may load their own
files with the same shape (:func:`load_taxonomy`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from govlens.errors import ConfigError

LANGS = ("es", "en")
BUILTIN = ("odc.yaml", "hvd.yaml", "g8.yaml")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Spanish and English."""

    es: str
    en: str

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True, slots=True)
class Terms:
    """Phrases per language: ``strong`` decide, ``weak`` support, ``exclude`` veto."""

    strong: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    weak: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    label: Text
    source_title: str
    source_url: str
    groups: tuple[tuple[str, Text], ...]
    #: Categories are sectors: a theme and a publisher that agree may decide
    #: without a term (``sectors: true`` in the file).
    sectors: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    """One dataset (ODC) or category (HVD, G8) a government should publish."""

    id: str
    framework: str
    group: str
    label: Text
    description: Text
    recommend: Text
    terms: Terms
    themes: tuple[str, ...] = ()
    theme_weight: float | None = None
    weak_scale: float = 1.0
    publishers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    implies: tuple[str, ...] = ()
    uris: Mapping[str, Text] = field(default_factory=dict)
    kind: str | None = None
    key: Text | None = None
    #: Evidence from the shape of the data dictionary (``govlens.coverage.fields``):
    #: shape → weight, and the shapes that halve the category's confidence.
    dictionary: Mapping[str, float] = field(default_factory=dict)
    dictionary_against: tuple[str, ...] = ()
    #: The confidence at which the category is assigned, when not the classifier's default.
    threshold: float | None = None


@dataclass(frozen=True)
class Taxonomy:
    """Frameworks and their categories. Not slotted, so its lookups can be cached."""

    frameworks: tuple[Framework, ...]
    categories: tuple[Category, ...]

    @functools.cached_property
    def by_id(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories}

    def __getitem__(self, category_id: str) -> Category:
        try:
            return self.by_id[category_id]
        except KeyError:
            raise ConfigError("no such coverage category", category=category_id) from None

    def ids(self, framework: str | None = None) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories if framework in (None, c.framework))

    def framework(self, framework_id: str) -> Framework:
        for f in self.frameworks:
            if f.id == framework_id:
                return f
        raise ConfigError("no such coverage framework", framework=framework_id)

    def closure(self, category_ids: Iterable[str]) -> frozenset[str]:
        """The categories plus every category they imply, transitively."""
        seen: set[str] = set()
        todo = list(category_ids)
        while todo:
            cid = todo.pop()
            if cid in seen:
                continue
            seen.add(cid)
            todo.extend(self[cid].implies)
        return frozenset(seen)


def load_taxonomy(paths: Sequence[str | Path] | None = None) -> Taxonomy:
    """Load the built-in taxonomy, or the YAML files given (same shape as ``data/*.yaml``)."""
    if paths is None:
        return builtin_taxonomy()
    docs = []
    for p in paths:
        try:
            docs.append((str(p), yaml.safe_load(Path(p).read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ConfigError("cannot read taxonomy file", path=str(p), cause=str(exc)) from exc
    return _build(docs)


@functools.cache
def builtin_taxonomy() -> Taxonomy:
    base = resources.files("govlens.coverage") / "data"
    docs = [(name, yaml.safe_load((base / name).read_text(encoding="utf-8"))) for name in BUILTIN]
    return _build(docs)


def _build(docs: Sequence[tuple[str, Any]]) -> Taxonomy:
    frameworks: list[Framework] = []
    categories: list[Category] = []
    for origin, doc in docs:
        if not isinstance(doc, dict) or "framework" not in doc or "categories" not in doc:
            raise ConfigError("taxonomy file needs 'framework' and 'categories'", path=origin)
        fw = _framework(origin, doc["framework"])
        frameworks.append(fw)
        groups = {g for g, _ in fw.groups}
        for raw in doc["categories"] or []:
            cat = _category(origin, fw.id, raw)
            if cat.group not in groups:
                raise ConfigError("category names an unknown group", path=origin, category=cat.id)
            categories.append(cat)
    tax = Taxonomy(tuple(frameworks), tuple(categories))
    _check(tax)
    return tax


def _check(tax: Taxonomy) -> None:
    ids = [c.id for c in tax.categories]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError("duplicate category ids", ids=",".join(dupes))
    known = set(ids)
    uris: dict[str, str] = {}
    for c in tax.categories:
        unknown = [i for i in c.implies if i not in known]
        if unknown:
            raise ConfigError("category implies unknown categories", category=c.id, ids=",".join(unknown))
        for u in c.uris:
            if u in uris:
                raise ConfigError("URI declared by two categories", uri=u, categories=f"{uris[u]},{c.id}")
            uris[u] = c.id


def _text(origin: str, raw: Any, what: str) -> Text:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) and raw[k] for k in LANGS):
        raise ConfigError(f"{what} needs non-empty 'es' and 'en' texts", path=origin)
    return Text(es=raw["es"].strip(), en=raw["en"].strip())


def _phrases(origin: str, raw: Any, what: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or any(k not in LANGS for k in raw):
        raise ConfigError(f"{what} must map 'es'/'en' to lists of phrases", path=origin)
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in raw.items():
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ConfigError(f"{what}.{lang} must be a list of phrases", path=origin)
        out[lang] = tuple(x.strip() for x in items if x.strip())
    return out


def _framework(origin: str, raw: Any) -> Framework:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ConfigError("framework needs an 'id'", path=origin)
    src = raw.get("source") or {}
    groups = tuple(
        (str(g["id"]), _text(origin, g.get("label"), f"group {g.get('id')} label"))
        for g in raw.get("groups") or []
    )
    if not groups:
        raise ConfigError("framework needs at least one group", path=origin)
    return Framework(
        id=raw["id"],
        label=_text(origin, raw.get("label"), "framework label"),
        source_title=str(src.get("title") or ""),
        source_url=str(src.get("url") or ""),
        groups=groups,
        sectors=bool(raw.get("sectors", False)),
    )


def _scale(where: str, value: Any) -> float:
    if not isinstance(value, (int, float)) or not 0 < value <= 5:
        raise ConfigError("weak_scale must be a number in (0, 5]", path=where)
    return float(value)


def _category(origin: str, framework: str, raw: Any) -> Category:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ConfigError("category needs an 'id'", path=origin)
    cid = raw["id"]
    where = f"{origin}:{cid}"
    if not cid.startswith(framework + "."):
        raise ConfigError("category id must start with its framework id", path=where)
    terms = raw.get("terms") or {}
    weight = raw.get("theme_weight")
    if weight is not None and not (isinstance(weight, (int, float)) and 0 <= weight <= 1):
        raise ConfigError("theme_weight must be a number in 0..1", path=where)
    threshold = raw.get("threshold")
    if threshold is not None and not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
        raise ConfigError("threshold must be a number in (0, 1]", path=where)
    return Category(
        id=cid,
        framework=framework,
        group=str(raw.get("group") or ""),
        label=_text(where, raw.get("label"), "label"),
        description=_text(where, raw.get("description"), "description"),
        recommend=_text(where, raw.get("recommend"), "recommend"),
        terms=Terms(
            strong=_phrases(where, terms.get("strong"), "terms.strong"),
            weak=_phrases(where, terms.get("weak"), "terms.weak"),
            exclude=_phrases(where, terms.get("exclude"), "terms.exclude"),
        ),
        themes=tuple(str(t) for t in raw.get("themes") or ()),
        theme_weight=float(weight) if weight is not None else None,
        weak_scale=_scale(where, raw.get("weak_scale", 1.0)),
        publishers=_phrases(where, raw.get("publishers"), "publishers"),
        implies=tuple(str(i) for i in raw.get("implies") or ()),
        uris={str(u): _text(where, t, f"uri {u}") for u, t in (raw.get("uris") or {}).items()},
        kind=raw.get("kind"),
        key=_text(where, raw["key"], "key") if raw.get("key") else None,
        dictionary=_dictionary(where, raw.get("dictionary")),
        dictionary_against=_shapes(where, raw.get("dictionary_against")),
        threshold=float(threshold) if threshold is not None else None,
    )


SHAPES = ("time-series", "aggregate", "entity-list")


def _shapes(where: str, raw: Any) -> tuple[str, ...]:
    items = tuple(str(x) for x in raw or ())
    unknown = [x for x in items if x not in SHAPES]
    if unknown:
        raise ConfigError("unknown data-dictionary shape", path=where, shapes=",".join(unknown))
    return items


def _dictionary(where: str, raw: Any) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(w, (int, float)) and 0 < w <= 1 for w in raw.values()
    ):
        raise ConfigError("dictionary must map shapes to weights in (0, 1]", path=where)
    _shapes(where, raw)
    return {str(k): float(v) for k, v in raw.items()}
