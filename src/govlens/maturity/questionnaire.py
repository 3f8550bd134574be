"""The questionnaire: dimensions, facets, principles, answer scales and items, read from
package data (``data/questionnaire.yaml``) into frozen values and checked on load."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from govlens.errors import ConfigError

SCALE_KINDS = ("choice", "checklist", "percent", "percent_inverse")
LEVELS = ("centre", "all")


@dataclass(frozen=True, slots=True)
class Label:
    """A name in English and Spanish."""

    en: str
    es: str

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option. ``points`` is set for single-choice options; a checklist option
    is worth ``1 / len(options)`` when ticked. ``indicator`` names the govlens measurement
    that fills the option in, when there is one."""

    key: str
    label: Label
    points: float | None = None
    indicator: str | None = None


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    kind: str
    dgi_type: str
    options: tuple[Option, ...] = ()
    label: Label | None = None


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    dgi: str
    dimension: str
    facet: str
    weight: float  # percentage of the DGI composite, as published
    facet_weight: float
    dgi_type: str
    scale: Scale
    level: str  # centre | all
    principles: tuple[int, ...]
    text: Label
    options: tuple[Option, ...]
    indicator: str | None = None  # for percentage items filled in by a measurement

    @property
    def kind(self) -> str:
        return self.scale.kind

    @property
    def indicators(self) -> tuple[str, ...]:
        """Every indicator that can fill this item in."""
        own = (self.indicator,) if self.indicator else ()
        return own + tuple(o.indicator for o in self.options if o.indicator)

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True, slots=True)
class Principle:
    id: int
    pillar: str
    label: Label


@dataclass(frozen=True, slots=True)
class Named:
    id: str
    label: Label


@dataclass(frozen=True, slots=True)
class Questionnaire:
    version: str
    title: Label
    dimensions: tuple[Named, ...]
    facets: tuple[Named, ...]
    principles: tuple[Principle, ...]
    pillars: tuple[Named, ...]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    by_id: dict[str, Item] = field(default_factory=dict, compare=False, hash=False, repr=False)
    shares: dict[str, float] = field(default_factory=dict, compare=False, hash=False, repr=False)
    grouped: dict[str, dict[Any, list[Item]]] = field(default_factory=dict, compare=False, hash=False,
                                                       repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {i.id: i for i in self.items})
        dim_weight: dict[str, float] = {}
        for i in self.items:
            dim_weight[i.dimension] = dim_weight.get(i.dimension, 0.0) + i.weight
        n = len(self.dimensions) or 1
        object.__setattr__(self, "shares", {
            i.id: i.weight / dim_weight[i.dimension] / n for i in self.items if dim_weight[i.dimension]})
        object.__setattr__(self, "grouped", {
            k: self.groups(k) for k in ("dimension", "facet", "dimension_facet", "principle")})

    def item(self, item_id: str) -> Item:
        try:
            return self.by_id[item_id]
        except KeyError:
            raise ConfigError("no such questionnaire item", item=item_id) from None

    def dimension_weight(self, dimension: str) -> float:
        return sum(i.weight for i in self.items if i.dimension == dimension)

    def share(self, item: Item) -> float:
        """The item's share of the composite: its weight within its dimension, times 1/6."""
        return self.shares[item.id]

    def groups(self, key: str) -> dict[Any, list[Item]]:
        """Items grouped by ``dimension``, ``facet``, ``dimension_facet`` or ``principle``."""
        out: dict[Any, list[Item]] = {}
        for i in self.items:
            keys: tuple[Any, ...]
            if key == "principle":
                keys = i.principles
            elif key == "dimension_facet":
                keys = ((i.dimension, i.facet),)
            else:
                keys = (getattr(i, key),)
            for k in keys:
                out.setdefault(k, []).append(i)
        return out


def _label(raw: dict[str, Any], where: str) -> Label:
    en, es = raw.get("en"), raw.get("es")
    if not isinstance(en, str) or not isinstance(es, str) or not en or not es:
        raise ConfigError("a label needs English and Spanish text", where=where)
    return Label(en=en, es=es)


def _option(raw: dict[str, Any], where: str) -> Option:
    points = raw.get("points")
    return Option(
        key=str(raw["key"]),
        label=_label(raw, where),
        points=None if points is None else float(points),
        indicator=raw.get("indicator"),
    )


def _scale(sid: str, raw: dict[str, Any]) -> Scale:
    kind = raw["kind"]
    if kind not in SCALE_KINDS:
        raise ConfigError("unknown scale kind", scale=sid, kind=kind)
    opts = tuple(_option(o, f"scale {sid}") for o in raw.get("options", ()))
    label = _label(raw, f"scale {sid}") if "en" in raw else None
    return Scale(id=sid, kind=kind, dgi_type=raw["dgi_type"], options=opts, label=label)


def _item(raw: dict[str, Any], scales: dict[str, Scale]) -> Item:
    iid = raw["id"]
    scale = scales.get(raw["scale"])
    if scale is None:
        raise ConfigError("unknown scale", item=iid, scale=raw["scale"])
    own = tuple(_option(o, f"item {iid}") for o in raw.get("options", ()))
    options = own or scale.options
    measure = raw.get("measure") or {}
    return Item(
        id=iid,
        dgi=str(raw["dgi"]),
        dimension=raw["dimension"],
        facet=raw["facet"],
        weight=float(raw["weight"]),
        facet_weight=float(raw["facet_weight"]),
        dgi_type=raw["dgi_type"],
        scale=scale,
        level=raw["level"],
        principles=tuple(int(p) for p in raw["principles"]),
        text=_label(raw, f"item {iid}"),
        options=options,
        indicator=measure.get("indicator"),
    )


def parse_questionnaire(doc: dict[str, Any]) -> Questionnaire:
    """Build and check a questionnaire from its YAML document."""
    scales = {sid: _scale(sid, raw) for sid, raw in doc["scales"].items()}
    q = Questionnaire(
        version=str(doc["version"]),
        title=_label(doc["title"], "title"),
        dimensions=tuple(Named(d["id"], _label(d, d["id"])) for d in doc["dimensions"]),
        facets=tuple(Named(f["id"], _label(f, f["id"])) for f in doc["facets"]),
        principles=tuple(
            Principle(int(p["id"]), p["pillar"], _label(p, f"principle {p['id']}"))
            for p in doc["principles"]
        ),
        pillars=tuple(Named(p["id"], _label(p, p["id"])) for p in doc["pillars"]),
        scales=tuple(scales.values()),
        items=tuple(_item(raw, scales) for raw in doc["items"]),
    )
    check(q)
    return q


def check(q: Questionnaire) -> None:
    """Raise ConfigError on any inconsistency: ids, references, options and points."""
    dims = {d.id for d in q.dimensions}
    facets = {f.id for f in q.facets}
    principles = {p.id for p in q.principles}
    if len(q.by_id) != len(q.items):
        raise ConfigError("duplicate item ids in the questionnaire")
    for item in q.items:
        where = {"item": item.id}
        if item.dimension not in dims or item.facet not in facets:
            raise ConfigError("unknown dimension or facet", **where)
        if item.level not in LEVELS:
            raise ConfigError("unknown level", level=item.level, **where)
        if not item.principles or not set(item.principles) <= principles:
            raise ConfigError("an item needs valid principles", **where)
        if item.weight <= 0:
            raise ConfigError("an item needs a positive weight", **where)
        keys = [o.key for o in item.options]
        if len(set(keys)) != len(keys):
            raise ConfigError("duplicate option keys", **where)
        if item.kind == "checklist" and len(keys) < 2:
            raise ConfigError("a checklist needs at least two options", **where)
        if item.kind == "choice":
            pts = [o.points for o in item.options]
            if any(p is None or not 0 <= p <= 1 for p in pts) or max(p or 0.0 for p in pts) != 1:
                raise ConfigError("choice points must lie in 0..1 and reach 1", **where)
        if item.indicator and item.kind not in ("percent", "percent_inverse"):
            raise ConfigError("only percentage items take a single indicator", **where)


@functools.lru_cache(maxsize=1)
def load_questionnaire() -> Questionnaire:
    """The questionnaire shipped with govlens."""
    text = resources.files("govlens.maturity").joinpath("data/questionnaire.yaml").read_text("utf-8")
    return parse_questionnaire(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
