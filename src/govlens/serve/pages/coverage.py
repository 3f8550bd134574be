"""Coverage of priority datasets (Open Data Charter, high-value datasets, G8): which exist,
for one catalogue or one institution. Computed on demand by the coverage service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govlens.coverage.service import coverage
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.report import charts
from govlens.report.i18n import Translator, catalogue_language
from govlens.serve.web import language, render, store
from govlens.store import Store

router = APIRouter()


def coverage_records(st: Store, name: str, publisher: str | None, lang: str) -> list[dict[str, Any]]:
    """One record per priority category: the institution's row, or the catalogue's whole row."""
    st.latest_run(name)  # NotFound for an unknown catalogue or one never harvested
    cov = coverage(st, catalogue=name, publisher=publisher)
    if publisher is not None:
        return [r for r in cov.records(lang, include_government=False) if r["publisher"] == publisher]
    return [r for r in cov.records(lang) if r["catalogue"] is None]


@router.get("/catalogues/{name}/coverage", response_class=HTMLResponse, name="coverage")
def coverage_page(request: Request, name: str, publisher: str | None = Query(None, max_length=500)) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    lang = language(request, catalogue_language(cat.language, cat.source))
    t = Translator(lang)
    rows = coverage_records(st, name, publisher, lang)
    tax = builtin_taxonomy()
    for r in rows:  # what to publish, for the missing ones (the taxonomy's recommendation)
        r["recommend"] = tax[r["category"]].recommend.get(lang) if r["status"] == "missing" else None
    frameworks: dict[str, list[int]] = {}
    for r in rows:
        counts = frameworks.setdefault(r["framework"], [0, 0])
        counts[0 if r["status"] == "present" else 1] += 1
    chart = charts.grouped_bars(
        list(frameworks), [(t("coverage.present"), [float(v[0]) for v in frameworks.values()]),
                           (t("coverage.missing"), [float(v[1]) for v in frameworks.values()])],
        title=t("coverage.chart"), empty=t("chart.empty"), colours=("#009E73", "#D55E00"),
    )
    context = {"catalogue": cat, "publisher": publisher, "rows": rows, "chart": chart,
               "present": sum(v[0] for v in frameworks.values()), "total": len(rows)}
    return render(request, "coverage.html", context, lang=lang)
