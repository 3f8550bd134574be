"""Scoring: items give points from 0 to 1; a dimension's score is the weighted mean of its
items; the composite is the mean of the six dimensions. The same item points also give
facet scores, and a second view by the twelve principles of the 2014 Recommendation.

Who answers what:

* an institution scores on its own answers and measurements for the items every
  institution answers (level ``all``), and inherits the central office's answers for
  the items only the centre answers (level ``centre``);
* the whole government scores on the centre's answers and the government-wide
  measurements; an item the centre left open (level ``all``) takes the mean of the
  institutions that answered it.

An item with no answer and no measurement scores 0, as in the OECD's method, and
is reported as unanswered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from govlens.maturity.indicators import MeasurementSet, indicator
from govlens.maturity.questionnaire import Item, Questionnaire
from govlens.model import CENTRE, GOVERNMENT, Answer, AnswerValue, Measurement

#: Where an item's points came from.
SOURCES = ("self", "measured", "centre", "institutions", "missing")


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: str
    points: float | None  # None: nobody answered and nothing was measured
    source: str
    answer: Answer | None = None
    measured: tuple[Measurement, ...] = ()


@dataclass(frozen=True, slots=True)
class Scores:
    scope: str
    composite: float
    dimensions: Mapping[str, float]
    facets: Mapping[str, float]
    dimension_facets: Mapping[str, Mapping[str, float]]
    principles: Mapping[int, float]
    pillars: Mapping[str, float]
    answered: float  # share of the composite that has an answer or a measurement
    measured: float  # share of the composite filled in by measurement
    items: Mapping[str, ItemResult]


def answer_points(item: Item, value: AnswerValue) -> float:
    """The points (0..1) of a valid self-assessed value."""
    if item.kind == "choice":
        for opt in item.options:
            if opt.key == value:
                return float(opt.points or 0.0)
        return 0.0
    if item.kind == "percent":
        return min(max(float(value) / 100.0, 0.0), 1.0)  # type: ignore[arg-type]
    if item.kind == "percent_inverse":
        return 1.0 - min(max(float(value) / 100.0, 0.0), 1.0)  # type: ignore[arg-type]
    ticked = set(value) if isinstance(value, tuple) else set()
    return sum(1 for o in item.options if o.key in ticked) / len(item.options)


def item_result(item: Item, answer: Answer | None, ms: MeasurementSet, scope: str) -> ItemResult:
    """One scope's points on one item, measured parts taking precedence over self-assessment."""
    if not item.indicators:
        return item_result_self(item, answer)
    if item.indicator:  # a percentage filled by one measurement
        m = ms.get(item.indicator, scope)
        if m is None:
            return item_result_self(item, answer)
        share = indicator(m.indicator).normalised(m.value)
        pts = share if item.kind == "percent" else 1.0 - share
        return ItemResult(item.id, pts, "measured", answer, (m,))
    # A checklist whose options are measured one by one; the others come from the answer.
    ticked = set(answer.value) if answer and isinstance(answer.value, tuple) else set()
    parts: list[float] = []
    found: list[Measurement] = []
    for opt in item.options:
        m = ms.get(opt.indicator, scope) if opt.indicator else None
        if m is not None:
            found.append(m)
            parts.append(indicator(m.indicator).normalised(m.value))
        else:
            parts.append(1.0 if opt.key in ticked else 0.0)
    if not found:
        return item_result_self(item, answer)
    return ItemResult(item.id, sum(parts) / len(parts), "measured", answer, tuple(found))


def item_result_self(item: Item, answer: Answer | None) -> ItemResult:
    if answer is None:
        return ItemResult(item.id, None, "missing")
    return ItemResult(item.id, answer_points(item, answer.value), "self", answer)


def aggregate(q: Questionnaire, scope: str, results: Mapping[str, ItemResult]) -> Scores:
    """Dimension, facet, principle and composite scores from item results."""
    pts: dict[str, float] = {}
    answered = measured = 0.0
    for iid, r in results.items():
        if r.points is not None:
            pts[iid] = r.points
            share = q.shares.get(iid, 0.0)
            answered += share
            if r.source == "measured":
                measured += share

    def wmean(items: Iterable[Item]) -> float:
        total = num = 0.0
        for i in items:
            total += i.weight
            num += i.weight * pts.get(i.id, 0.0)
        return num / total if total else 0.0

    g = q.grouped
    by_dim, by_facet, by_dim_facet, by_principle = (
        g["dimension"], g["facet"], g["dimension_facet"], g["principle"])
    dims = {d.id: wmean(by_dim[d.id]) for d in q.dimensions}
    return Scores(
        scope=scope,
        composite=sum(dims.values()) / len(dims),
        dimensions=dims,
        facets={f.id: wmean(by_facet[f.id]) for f in q.facets},
        dimension_facets={
            d.id: {f.id: wmean(by_dim_facet.get((d.id, f.id), ())) for f in q.facets}
            for d in q.dimensions
        },
        principles={p.id: wmean(by_principle.get(p.id, ())) for p in q.principles},
        pillars={
            pl.id: wmean(i for p in q.principles if p.pillar == pl.id for i in by_principle.get(p.id, ()))
            for pl in q.pillars
        },
        answered=answered,
        measured=measured,
        items=dict(results),
    )


def score_all(
    q: Questionnaire,
    answers: Iterable[Answer],
    ms: MeasurementSet,
    institutions: Sequence[str],
) -> dict[str, Scores]:
    """Scores of every institution and of the whole government (key ``government``)."""
    by_scope: dict[str, dict[str, Answer]] = defaultdict(dict)
    for a in answers:
        by_scope[a.scope][a.item] = a
    centre = by_scope.get(CENTRE, {})
    centre_results = {i.id: item_result(i, centre.get(i.id), ms, GOVERNMENT) for i in q.items}
    inherited = {
        iid: ItemResult(r.item, r.points, "centre" if r.points is not None else "missing", r.answer)
        for iid, r in centre_results.items()
    }
    per_inst: dict[str, dict[str, ItemResult]] = {}
    for inst in institutions:
        own = by_scope.get(inst, {})
        per_inst[inst] = {
            i.id: inherited[i.id] if i.level == "centre" else item_result(i, own.get(i.id), ms, inst)
            for i in q.items
        }
    gov: dict[str, ItemResult] = {}
    for item in q.items:
        r = centre_results[item.id]
        if r.points is None and item.level == "all":
            pts = [res[item.id].points for res in per_inst.values()]
            given = [p for p in pts if p is not None]
            if given:
                r = ItemResult(item.id, sum(given) / len(given), "institutions")
        gov[item.id] = r
    out = {inst: aggregate(q, inst, res) for inst, res in per_inst.items()}
    out[GOVERNMENT] = aggregate(q, GOVERNMENT, gov)
    return out


def scores_dict(s: Scores, ndigits: int = 4) -> dict[str, object]:
    """A JSON-ready view of a scope's scores (items left out)."""

    def r(x: float) -> float:
        return round(x, ndigits)

    return {
        "scope": s.scope,
        "composite": r(s.composite),
        "dimensions": {k: r(v) for k, v in s.dimensions.items()},
        "facets": {k: r(v) for k, v in s.facets.items()},
        "dimension_facets": {d: {f: r(v) for f, v in fs.items()} for d, fs in s.dimension_facets.items()},
        "principles": {str(k): r(v) for k, v in s.principles.items()},
        "pillars": {k: r(v) for k, v in s.pillars.items()},
        "answered": r(s.answered),
        "measured": r(s.measured),
        "label": "self-assessed (govlens), not an OECD result",
    }
