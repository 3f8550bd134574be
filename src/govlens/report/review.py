"""The digital-government review: a report in the shape of an OECD country review, built
from the self-assessment, govlens's measurements and the published benchmarks.

Sections: overview; benchmark position; maturity by dimension and by principle;
open-data quality by institution; link and file health; recommendations; the status
of the action plan. :func:`review_html` is pure: the data comes gathered
(``govlens.run.review``) as the frozen :class:`Review`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from govlens.maturity.indicators import INDICATORS
from govlens.maturity.questionnaire import load_questionnaire
from govlens.maturity.recommend import Recommendation
from govlens.model import GOVERNMENT, Action, ActionCheck
from govlens.report import charts, html
from govlens.report import maturity_figures as mf
from govlens.report.data import CatalogueFacts
from govlens.report.i18n import Translator

QUALITY_INDICATORS = ("mqa_mean", "metadata_completeness", "open_licence_share", "machine_readable_share",
                      "hvd_availability", "publishing_institutions_share")
HEALTH_INDICATORS = ("link_health", "link_broken_share")
TOP_RECOMMENDATIONS = 10
PER_INSTITUTION = 3


@dataclass(frozen=True, slots=True)
class Review:
    generated_at: str
    country: str
    view: Mapping[str, Any]  # the benchmark view, with the self-assessment
    scores: Mapping[str, Mapping[str, Any]]  # scope -> scores dict
    names: Mapping[str, str]  # institution id -> name
    measured: Mapping[str, Mapping[str, float]]  # scope -> indicator -> value
    previous: Mapping[str, Mapping[str, float]]  # scope -> indicator -> previous value
    recommendations: Mapping[str, Sequence[Recommendation]]
    actions: Sequence[tuple[Action, ActionCheck | None]]
    catalogues: Sequence[CatalogueFacts] = field(default=())
    datasets: Mapping[str, int] = field(default_factory=dict)  # institution -> datasets


def _indicator_columns(ids: Sequence[str], review: Review, lang: str) -> list[tuple[str, str, str]]:
    """(id, label, unit) of the indicators that have at least one value."""
    have = {i for vals in review.measured.values() for i in vals}
    return [(i, INDICATORS[i].label.get(lang), INDICATORS[i].unit) for i in ids if i in have]


def review_context(review: Review, lang: str) -> dict[str, Any]:
    t = Translator(lang)
    q = load_questionnaire()
    dims = [(d.id, d.label.get(lang)) for d in q.dimensions]
    gov = review.scores[GOVERNMENT]
    oecd = review.view["oecd_average"]["dgi"].get("2023") or {}
    institutions = [s for s in review.scores if s != GOVERNMENT]
    health = [(s, review.measured.get(s, {}), review.previous.get(s, {}))
              for s in [GOVERNMENT, *institutions]]
    counts: dict[str, int] = {}
    for _, last in review.actions:
        key = last.status if last else "unchecked"
        counts[key] = counts.get(key, 0) + 1
    quality_chart: Markup | None = None
    mqa = [(review.names.get(s, s), review.measured[s]["mqa_mean"]) for s in institutions
           if "mqa_mean" in review.measured.get(s, {})]
    if mqa:
        quality_chart = charts.bar_chart(sorted(mqa, key=lambda x: -x[1]), max_value=405.0,
                                         title=t("review.chart.mqa"), empty=t("chart.empty"))
    own = [r for scope in institutions + [GOVERNMENT]
           for r in review.recommendations.get(scope, ()) if r.scope == scope]
    health_keys = {"link_health", "link_broken_share"}
    return {
        "quality_findings": [r for r in own if r.rule == "mqa-bad-band"
                             or (r.rule == "indicator-low" and r.key not in health_keys)],
        "health_findings": [r for r in own if r.rule == "link-rot-rising"
                            or (r.rule == "indicator-low" and r.key in health_keys)],
        "report": review, "review": review, "q": q, "dims": dims, "gov": gov, "oecd": oecd,
        "institutions": institutions, "health": health, "counts": counts,
        "quality_columns": _indicator_columns(QUALITY_INDICATORS, review, lang),
        "health_columns": _indicator_columns(HEALTH_INDICATORS, review, lang),
        "top": list(review.recommendations.get(GOVERNMENT, ()))[:TOP_RECOMMENDATIONS],
        "per_institution": {s: list(review.recommendations.get(s, ()))[:PER_INSTITUTION] for s in institutions},
        "charts": {
            "dimensions": mf.dimension_chart(review.view, dims, t),
            "editions": mf.editions_chart(review.view, t),
            "self": mf.scores_chart(gov, dims, oecd, t, t("maturity.chart.government")),
            "principles": mf.principles_chart(
                gov, [(str(p.id), f"{p.id}. {p.label.get(lang)}") for p in q.principles], t,
                t("maturity.chart.principles")),
            "quality": quality_chart,
        },
    }


def review_html(review: Review, lang: str) -> str:
    """The review as one self-contained HTML document."""
    return html.render_document("report_review.html", review_context(review, lang), lang)
