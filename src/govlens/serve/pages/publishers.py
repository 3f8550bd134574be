"""Institutions (publishers): the ranking across catalogues, and each one's scorecard."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govlens.errors import NotFound
from govlens.report import figures
from govlens.report.i18n import Translator, catalogue_language
from govlens.run.report import catalogue_facts, institution_facts
from govlens.serve.web import NavItem, language, render, store
from govlens.store import dashboard, health

router = APIRouter()
NAV = (NavItem("institutions", "nav.institutions"),)

SortKey = Literal["name", "datasets", "distributions", "warnings"]


@router.get("/institutions", response_class=HTMLResponse, name="institutions")
def institutions(
    request: Request,
    q: str = Query("", max_length=200),
    catalogue: str = Query("", max_length=200),
    sort: SortKey = "datasets",
    order: Literal["asc", "desc"] = "desc",
) -> HTMLResponse:
    st = store(request)
    cats = [c for c in dashboard.catalogue_summaries(st) if c.run is not None]
    rows: list[tuple[str, dashboard.PublisherCount]] = []
    for c in cats:
        if catalogue and c.name != catalogue:
            continue
        assert c.run is not None
        rows += [(c.name, p) for p in dashboard.publisher_counts(st, c.run, st.catalogue(c.name).id)]
    needle = q.strip().casefold()
    if needle:
        rows = [(c, p) for c, p in rows if needle in p.name.casefold() or needle in p.key.casefold()]
    if sort == "name":
        rows.sort(key=lambda cp: cp[1].name.casefold(), reverse=order == "desc")
    else:
        rows.sort(key=lambda cp: (getattr(cp[1], sort), cp[1].name), reverse=order == "desc")
    context = {
        "rows": rows, "q": q, "catalogue": catalogue, "sort": sort, "order": order,
        "catalogue_names": [c.name for c in cats],
    }
    return render(request, "institutions.html", context)


@router.get("/catalogues/{name}/publishers/{key:path}", response_class=HTMLResponse, name="publisher")
def publisher(request: Request, name: str, key: str, after: int | None = None) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    lang = language(request, catalogue_language(cat.language, cat.source))
    run = st.latest_run(name)
    found = institution_facts(st, catalogue_facts(st, name), key)
    if not found:
        raise NotFound("no such institution in the latest run", catalogue=name, publisher=key)
    inst = found[0]
    items = dashboard.dataset_items(st, run.id, publisher=key, after=after)
    t = Translator(lang)
    context = {
        "catalogue": cat, "run": run, "publisher": inst, "items": items,
        "charts": figures.institution_charts(inst, t),
        "rows": health.file_rows(st, run.id, publisher=key, status="problems", limit=20),
        "links": health.link_rows(st, run.id, publisher=key, outcome="problems", limit=20),
    }
    return render(request, "publisher.html", context, lang=lang)
