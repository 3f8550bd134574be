"""The charts of metadata quality (EU MQA, udata, 5-star openness), in one language, for the
dashboard's pages and the file reports alike."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from govlens.aggregate.quality import DIMENSIONS, QualitySummary, bin_edges
from govlens.assess.score import RATINGS, rating
from govlens.report import charts
from govlens.report.data import CatalogueFacts, QualityFacts, QualityPoint
from govlens.report.i18n import Translator

#: Band colours (Okabe–Ito): excellent, good, sufficient, bad.
BAND_COLOURS = {"excellent": "#009E73", "good": "#56B4E9", "sufficient": "#E69F00", "bad": "#D55E00"}
MAX_SCORE = 405
MAXIMUM_COLOUR = "#bfc5cc"


def _one(v: float) -> str:
    return f"{v:,.1f}"


def band_chart(s: QualitySummary, t: Translator) -> Markup:
    counts = dict(s.ratings)
    return charts.stacked_share(
        [(t(f"quality.rating.{r}"), counts.get(r, 0)) for r in RATINGS],
        title=t("quality.chart.bands"), empty=t("chart.empty"),
        colours=[BAND_COLOURS[r] for r in RATINGS],
    )


def score_histogram(s: QualitySummary, t: Translator) -> Markup:
    """Datasets per score bin, each bar in its band's colour (bins never straddle a band)."""
    edges = bin_edges()
    return charts.histogram(
        list(s.bins), edges, title=t("quality.chart.histogram"), xlabel=t("quality.chart.score_axis"),
        ylabel=t("common.datasets"), empty=t("chart.empty"),
        colours=[BAND_COLOURS[rating(max(hi, 0))] for hi in edges[1:]],
    )


def dimension_chart(q: QualityFacts, t: Translator, against: QualityFacts | None = None) -> Markup:
    """Mean points per dimension against the maximum (and a comparison group, e.g. the catalogue)."""
    s = q.summary
    cats = [t(f"quality.dimension.{d}") for d in DIMENSIONS]
    mine = list(s.dimensions_mean) if s.dimensions_mean else [None] * len(DIMENSIONS)
    series: list[tuple[str, Sequence[float | None]]]
    if against is None:
        series = [(t("quality.series.mean"), mine)]
        title = t("quality.chart.dimensions")
    else:
        other = against.summary.dimensions_mean
        series = [(t("quality.series.institution"), mine),
                  (t("quality.series.catalogue"), list(other) if other else [None] * len(DIMENSIONS))]
        title = t("quality.chart.dimensions_vs")
    colours = ["#0072B2", "#E69F00"][: len(series)] + [MAXIMUM_COLOUR]
    series.append((t("quality.series.maximum"), [float(m) for m in q.maxima]))
    return charts.grouped_bars(cats, series, title=title, empty=t("chart.empty"), fmt=_one, colours=colours)


def stars_chart(s: QualitySummary, t: Translator) -> Markup:
    return charts.bar_chart(
        [(t("quality.chart.stars_label", n=i), float(c)) for i, c in enumerate(s.stars)],
        title=t("quality.chart.stars"), empty=t("chart.empty"), colour="#CC79A7",
    ) if s.datasets else charts.empty_chart(t("quality.chart.stars"), t("chart.empty"))


def trend_chart(points: Sequence[QualityPoint], title: str, t: Translator) -> Markup:
    return charts.line_chart([(p.label, p.mqa_mean) for p in points], title=title,
                             ylabel=t("quality.mqa_mean"), y_max=MAX_SCORE, fmt=_one, empty=t("chart.empty"))


def catalogue_chart(cats: Sequence[CatalogueFacts], t: Translator) -> Markup:
    rows = [(c.label, c.quality.summary.mqa_mean) for c in cats
            if c.quality is not None and c.quality.summary.mqa_mean is not None]
    return charts.bar_chart([(label, float(v)) for label, v in rows if v is not None],
                            title=t("quality.chart.by_catalogue"), max_value=MAX_SCORE, fmt=_one,
                            empty=t("chart.empty"))


def quality_charts(q: QualityFacts | None, t: Translator, *, against: QualityFacts | None = None,
                   trend_title: str | None = None) -> dict[str, Markup]:
    """Every chart of one group's quality; empty when it was not assessed."""
    if q is None:
        return {}
    out = {"bands": band_chart(q.summary, t), "histogram": score_histogram(q.summary, t),
           "dimensions": dimension_chart(q, t, against), "stars": stars_chart(q.summary, t)}
    if trend_title is not None:
        out["trend"] = trend_chart(q.trend, trend_title, t)
    return out


def government_quality_charts(q: QualityFacts | None, cats: Sequence[CatalogueFacts], t: Translator
                              ) -> dict[str, object]:
    """The overview's quality charts: the whole government's, and each catalogue's mean and trend."""
    out: dict[str, object] = dict(quality_charts(q, t))
    assessed = [c for c in cats if c.quality is not None]
    out["catalogues"] = catalogue_chart(assessed, t)
    out["trends"] = [(c, trend_chart(c.quality.trend, t("quality.chart.trend", catalogue=c.label), t))
                     for c in assessed if c.quality is not None]
    return out
