"""The whole-government overview: catalogues, datasets, institutions, trend across runs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from govlens.report import charts
from govlens.report.i18n import Translator
from govlens.serve.web import NavItem, language, render, store
from govlens.store import dashboard

router = APIRouter()
NAV = (NavItem("overview", "nav.overview"),)

TOP_PUBLISHERS = 15


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(request: Request) -> HTMLResponse:
    st = store(request)
    lang = language(request)
    t = Translator(lang)
    cats = dashboard.catalogue_summaries(st)
    harvested = [c for c in cats if c.run is not None]
    ranked: list[tuple[str, dashboard.PublisherCount]] = []
    for c in harvested:
        assert c.run is not None
        catalogue = st.catalogue(c.name)
        ranked += [(c.name, p) for p in dashboard.publisher_counts(st, c.run, catalogue.id)]
    ranked.sort(key=lambda cp: (-cp[1].datasets, cp[1].name))
    trends = []
    for c in harvested:
        runs = st.runs(c.name, "complete")
        points = [(dashboard.run_label(r.id, r.finished_at), float(r.datasets)) for r in runs]
        trends.append(
            (c, charts.line_chart(points, title=t("overview.chart.trend", catalogue=c.title or c.name),
                                  ylabel=t("common.datasets"), empty=t("chart.empty")))
        )
    context = {
        "catalogues": cats,
        "totals": {
            "catalogues": len(cats),
            "datasets": sum(c.datasets for c in cats),
            "distributions": sum(c.distributions for c in cats),
            "publishers": sum(c.publishers for c in cats),
            "runs": sum(c.runs for c in cats),
        },
        "chart_catalogues": charts.bar_chart(
            [(c.title or c.name, float(c.datasets)) for c in harvested],
            title=t("overview.chart.datasets_by_catalogue"), empty=t("chart.empty"),
        ),
        "chart_publishers": charts.bar_chart(
            [(p.name, float(p.datasets)) for _, p in ranked[:TOP_PUBLISHERS]],
            title=t("overview.chart.top_publishers", n=TOP_PUBLISHERS), empty=t("chart.empty"),
        ),
        "trends": trends,
        "top": ranked[:TOP_PUBLISHERS],
    }
    return render(request, "overview.html", context, lang=lang)
