"""The charts of the observatory's pages and reports, built from report data in one language."""

from __future__ import annotations

from markupsafe import Markup

from govlens.report import charts
from govlens.report.data import CatalogueFacts, Health, InstitutionFacts, Report, RunPoint
from govlens.report.i18n import Translator

TOP_INSTITUTIONS = 15


def trend_chart(points: tuple[RunPoint, ...], title: str, t: Translator) -> Markup:
    return charts.line_chart(
        [(p.label, float(p.datasets)) for p in points],
        title=title, ylabel=t("common.datasets"), empty=t("chart.empty"),
    )


def link_chart(h: Health, t: Translator) -> Markup:
    return charts.stacked_share(
        [(t("links.outcome.ok"), h.ok), (t("links.outcome.broken"), h.broken),
         (t("links.outcome.failing"), h.failing), (t("links.outcome.unknown"), h.unknown)],
        title=t("links.chart"), empty=t("links.none"), colours=("#009E73", "#D55E00", "#E69F00", "#999999"),
    )


def file_chart(h: Health, t: Translator) -> Markup:
    return charts.stacked_share(
        [(t("files.valid"), h.ok), (t("files.invalid"), h.broken), (t("files.unreadable"), h.unknown)],
        title=t("files.chart"), empty=t("files.none"), colours=("#009E73", "#D55E00", "#999999"),
    )


def government_charts(report: Report, t: Translator) -> dict[str, object]:
    """Datasets per catalogue, the largest institutions, and each catalogue's trend."""
    harvested = [c for c in report.catalogues if c.run is not None]
    top = sorted(report.institutions, key=lambda i: (-i.datasets, i.name))[:TOP_INSTITUTIONS]
    trends: list[tuple[CatalogueFacts, Markup]] = [
        (c, trend_chart(c.trend, t("overview.chart.trend", catalogue=c.label), t)) for c in harvested
    ]
    return {
        "catalogues": charts.bar_chart(
            [(c.label, float(c.datasets)) for c in harvested],
            title=t("overview.chart.datasets_by_catalogue"), empty=t("chart.empty"),
        ),
        "institutions": charts.bar_chart(
            [(i.name, float(i.datasets)) for i in top],
            title=t("overview.chart.top_publishers", n=TOP_INSTITUTIONS), empty=t("chart.empty"),
        ),
        "trends": trends,
        "links": link_chart(report.links, t),
        "files": file_chart(report.files, t),
    }


def institution_charts(inst: InstitutionFacts, t: Translator) -> dict[str, object]:
    return {"trend": trend_chart(inst.trend, t("publisher.chart.trend"), t),
            "links": link_chart(inst.links, t), "files": file_chart(inst.files, t)}
