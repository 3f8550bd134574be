"""Institutions (publishers): the ranking across catalogues, and each one's scorecard."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govlens.errors import NotFound
from govlens.assess.score import RATINGS
from govlens.report import figures, quality_figures
from govlens.report.i18n import Translator, catalogue_language
from govlens.run.quality_facts import QualityReader
from govlens.run.report import catalogue_facts, institution_facts
from govlens.serve.web import NavItem, language, render, store
from govlens.store import dashboard, health
from govlens.store.quality_stats import RunMean

router = APIRouter()
NAV = (NavItem("institutions", "nav.institutions"),)

SortKey = Literal["name", "datasets", "distributions", "warnings", "mqa", "udata"]
Band = Literal["", "excellent", "good", "sufficient", "bad", "none"]
Row = tuple[str, dashboard.PublisherCount, RunMean | None]


def _sort(rows: list[Row], sort: str, order: str) -> None:
    """Sort in place; institutions not assessed (no score) come last either way."""
    desc = order == "desc"
    if sort == "name":
        rows.sort(key=lambda r: r[1].name.casefold(), reverse=desc)
    elif sort in ("mqa", "udata"):
        def score(r: Row) -> float:
            v = (r[2].mqa_mean if sort == "mqa" else r[2].udata_mean) if r[2] is not None else None
            return float("-inf") if v is None else (v if desc else -v)

        rows.sort(key=lambda r: r[1].name.casefold())
        rows.sort(key=score, reverse=True)  # stable: ties stay in name order
    else:
        rows.sort(key=lambda r: (getattr(r[1], sort), r[1].name), reverse=desc)


@router.get("/institutions", response_class=HTMLResponse, name="institutions")
def institutions(
    request: Request,
    q: str = Query("", max_length=200),
    catalogue: str = Query("", max_length=200),
    sort: SortKey = "datasets",
    order: Literal["asc", "desc"] = "desc",
    band: Band = "",
) -> HTMLResponse:
    st = store(request)
    reader = QualityReader(st)
    cats = [c for c in dashboard.catalogue_summaries(st) if c.run is not None]
    rows: list[Row] = []
    for c in cats:
        if catalogue and c.name != catalogue:
            continue
        assert c.run is not None
        quality = reader.scores(c.run)
        rows += [(c.name, p, quality.get(p.key)) for p in dashboard.publisher_counts(st, c.run, st.catalogue(c.name).id)]
    needle = q.strip().casefold()
    if needle:
        rows = [r for r in rows if needle in r[1].name.casefold() or needle in r[1].key.casefold()]
    if band:
        rows = [r for r in rows if (r[2].mqa_rating if r[2] is not None else None) == (None if band == "none" else band)]
    _sort(rows, sort, order)
    context = {
        "rows": rows, "q": q, "catalogue": catalogue, "sort": sort, "order": order, "band": band,
        "catalogue_names": [c.name for c in cats], "bands": RATINGS,
    }
    return render(request, "institutions.html", context)


@router.get("/catalogues/{name}/publishers/{key:path}", response_class=HTMLResponse, name="publisher")
def publisher(request: Request, name: str, key: str, after: int | None = None) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    lang = language(request, catalogue_language(cat.language, cat.source))
    run = st.latest_run(name)
    reader = QualityReader(st)
    cats = catalogue_facts(st, name, reader)
    found = institution_facts(st, cats, key, reader)
    if not found:
        raise NotFound("no such institution in the latest run", catalogue=name, publisher=key)
    inst = found[0]
    items = dashboard.dataset_items(st, run.id, publisher=key, after=after)
    t = Translator(lang)
    against = next((c.quality for c in cats if c.name == name), None)
    context = {
        "catalogue": cat, "run": run, "publisher": inst, "items": items,
        "charts": figures.institution_charts(inst, t),
        "qcharts": quality_figures.quality_charts(inst.quality, t, against=against,
                                                  trend_title=t("quality.chart.trend_institution")),
        "rows": health.file_rows(st, run.id, publisher=key, status="problems", limit=20),
        "links": health.link_rows(st, run.id, publisher=key, outcome="problems", limit=20),
        "newly_broken": inst.newly_broken,
    }
    return render(request, "publisher.html", context, lang=lang)
