"""Recommendations: rules kept as data (``data/recommendations.yaml``) turn gaps into
recommendations, ranked by expected gain = weight x gap (in points of the composite).

Gaps come from the self-assessed scores (a low dimension or facet), from measured
indicators below their target, from publishers whose mean MQA score is in the bad
band, and from link rot that rose since the previous measurement.

The whole-government list holds the government-wide recommendations and every
institution's, the latter with their gain divided by the number of institutions
(one institution moves a government-wide figure by about that much).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from govlens.errors import ConfigError
from govlens.maturity.benchmarks import load_benchmarks
from govlens.maturity.indicators import MeasurementSet, indicator
from govlens.maturity.questionnaire import Label, Questionnaire
from govlens.maturity.scoring import Scores
from govlens.model import GOVERNMENT


@dataclass(frozen=True, slots=True)
class Recommendation:
    id: str  # rule:key:scope, stable across runs
    rule: str
    scope: str
    key: str
    gain: float
    weight: float
    gap: float
    current: float | None
    target: float
    text: Label
    indicator: str  # what an adopted action's target is set on
    suggested_target: float  # in the indicator's own unit


@functools.lru_cache(maxsize=1)
def load_rules() -> dict[str, Any]:
    text = resources.files("govlens.maturity").joinpath("data/recommendations.yaml").read_text("utf-8")
    doc: dict[str, Any] = yaml.safe_load(text)
    if doc.get("format") != "govlens-recommendations/1":
        raise ConfigError("unsupported recommendations format")
    return doc


def indicator_weight(q: Questionnaire, iid: str) -> float:
    """The share of the composite that ``iid`` fills in through measured items."""
    total = 0.0
    for item in q.items:
        if item.indicator == iid:
            total += q.share(item)
        for opt in item.options:
            if opt.indicator == iid:
                total += q.share(item) / len(item.options)
    return total


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _fmt(template: Mapping[str, str], **values: object) -> Label:
    return Label(en=template["en"].format(**values), es=template["es"].format(**values))


def _dimension_target(rule: Mapping[str, Any], dim: str) -> float:
    target = rule["target"]
    if target == "oecd_average":
        dgi = load_benchmarks()["dgi"]
        return float(dgi[max(dgi)]["oecd_average"][dim])
    return float(target)


def _score_recs(q: Questionnaire, rules: Sequence[Mapping[str, Any]], s: Scores,
                names: Mapping[str, str]) -> list[Recommendation]:
    out: list[Recommendation] = []
    dim_names = {d.id: d.label for d in q.dimensions}
    for rule in rules:
        if rule["kind"] == "dimension":
            for dim, score in s.dimensions.items():
                target = _dimension_target(rule, dim)
                gap = target - score
                if gap >= rule.get("min_gap", 0.0):
                    w = 1.0 / len(q.dimensions)
                    out.append(Recommendation(
                        f"{rule['id']}:{dim}:{s.scope}", rule["id"], s.scope, dim, w * gap, w, gap,
                        score, target, Label(**rule["texts"][dim]), f"score:{dim}", target))
        elif rule["kind"] == "facet":
            for dim, facets in s.dimension_facets.items():
                for facet, score in facets.items():
                    gap = float(rule["target"]) - score
                    if gap < rule.get("min_gap", 0.0):
                        continue
                    w = sum(q.share(i) for i in q.grouped["dimension_facet"].get((dim, facet), ()))
                    tpl = rule["texts"][facet]
                    text = Label(
                        en=tpl["en"].format(dimension=dim_names[dim].en, value=f"{score:.2f}",
                                            target=f"{rule['target']:.2f}"),
                        es=tpl["es"].format(dimension=dim_names[dim].es, value=f"{score:.2f}",
                                            target=f"{rule['target']:.2f}"))
                    out.append(Recommendation(
                        f"{rule['id']}:{dim}.{facet}:{s.scope}", rule["id"], s.scope,
                        f"{dim}.{facet}", w * gap, w, gap, score, float(rule["target"]), text,
                        f"score:{dim}", float(rule["target"])))
    return out


def _measure_recs(q: Questionnaire, rules: Sequence[Mapping[str, Any]], ms: MeasurementSet,
                  scope: str, names: Mapping[str, str]) -> list[Recommendation]:
    out: list[Recommendation] = []
    who = names.get(scope, scope)
    for rule in rules:
        kind = rule["kind"]
        if kind == "indicator":
            for iid, spec in rule["indicators"].items():
                value = ms.value(iid, scope)
                if value is None:
                    continue
                ind = indicator(iid)
                gap = ind.normalised(float(spec["target"]) * ind.maximum) - ind.normalised(value)
                if gap <= 0:
                    continue
                w = indicator_weight(q, iid)
                out.append(Recommendation(
                    f"{rule['id']}:{iid}:{scope}", rule["id"], scope, iid, w * gap, w, gap, value,
                    float(spec["target"]),
                    _fmt(spec, value=_pct(value), target=_pct(float(spec["target"])), scope=who),
                    iid, float(spec["target"]) * ind.maximum))
        elif kind == "mqa_band" and scope != GOVERNMENT:
            value = ms.value("mqa_mean", scope)
            if value is None or value > float(rule["band_max"]):
                continue
            mqa = indicator("mqa_mean")
            target = float(rule["target"])
            gap = (target - value) / mqa.maximum
            w = indicator_weight(q, "metadata_completeness")
            out.append(Recommendation(
                f"{rule['id']}:mqa:{scope}", rule["id"], scope, "mqa_mean", w * gap, w, gap, value,
                target, _fmt(rule, scope=who, value=f"{value:.0f}", target=f"{target:.0f}"),
                "mqa_mean", target))
        elif kind == "link_rot":
            now, before = ms.value("link_broken_share", scope), ms.prior("link_broken_share", scope)
            if now is None or before is None or now - before < float(rule["min_rise"]):
                continue
            rise = now - before
            w = indicator_weight(q, "link_health")
            out.append(Recommendation(
                f"{rule['id']}:links:{scope}", rule["id"], scope, "link_broken_share", w * rise, w,
                rise, now, before,
                _fmt(rule, scope=who, value=_pct(now), previous=_pct(before)),
                "link_broken_share", before))
    return out


def recommend(q: Questionnaire, scores: Mapping[str, Scores], ms: MeasurementSet,
              names: Mapping[str, str] | None = None) -> dict[str, list[Recommendation]]:
    """Ranked recommendations per scope (each institution and ``government``)."""
    rules = load_rules()["rules"]
    names = names or {}
    per: dict[str, list[Recommendation]] = {}
    for scope, s in scores.items():
        recs = _score_recs(q, rules, s, names) + _measure_recs(q, rules, ms, scope, names)
        per[scope] = sorted(recs, key=lambda r: (-r.gain, r.id))
    institutions = [s for s in per if s != GOVERNMENT]
    if GOVERNMENT in per and institutions:
        n = len(institutions)
        shared = [
            Recommendation(r.id, r.rule, r.scope, r.key, r.gain / n, r.weight / n, r.gap, r.current,
                           r.target, r.text, r.indicator, r.suggested_target)
            for s in institutions for r in per[s] if r.rule in ("mqa-bad-band", "link-rot-rising",
                                                                 "indicator-low")
        ]
        per[GOVERNMENT] = sorted(per[GOVERNMENT] + shared, key=lambda r: (-r.gain, r.id))
    return per


def find(recs: Mapping[str, list[Recommendation]], rec_id: str) -> Recommendation:
    for lst in recs.values():
        for r in lst:
            if r.id == rec_id:
                return r
    raise ConfigError("no such recommendation in the current results", recommendation=rec_id)


def as_dict(r: Recommendation, lang: str = "en") -> dict[str, Any]:
    return {
        "id": r.id, "rule": r.rule, "scope": r.scope, "key": r.key,
        "gain": round(r.gain, 5), "weight": round(r.weight, 5), "gap": round(r.gap, 4),
        "current": None if r.current is None else round(r.current, 4), "target": r.target,
        "text": r.text.get(lang), "indicator": r.indicator,
        "suggested_target": round(r.suggested_target, 4),
    }
