"""The whole-government overview: catalogues, datasets, institutions, metadata quality, trend across runs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from govlens.report import figures, quality_figures
from govlens.report.i18n import Translator
from govlens.run.report import gather
from govlens.serve.web import NavItem, language, render, store

router = APIRouter()
NAV = (NavItem("overview", "nav.overview"),)


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(request: Request) -> HTMLResponse:
    lang = language(request)
    report = gather(store(request))
    top = report.institutions[: figures.TOP_INSTITUTIONS]
    t = Translator(lang)
    context = {"report": report, "top": top, "charts": figures.government_charts(report, t),
               "qcharts": quality_figures.government_quality_charts(report.quality, report.catalogues, t)}
    return render(request, "overview.html", context, lang=lang)
