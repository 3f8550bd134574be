"""Search across the latest runs: institutions by name, datasets by identifier and title."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govlens.serve.web import render, store
from govlens.store import dashboard

router = APIRouter()

LIMIT = 50


@router.get("/search", response_class=HTMLResponse, name="search")
def search(request: Request, q: str = Query("", max_length=200)) -> HTMLResponse:
    st = store(request)
    needle = q.strip()
    institutions: list[tuple[str, dashboard.PublisherCount]] = []
    datasets: list[tuple[str, dashboard.DatasetItem]] = []
    if needle:
        for c in dashboard.catalogue_summaries(st):
            if c.run is None:
                continue
            cat = st.catalogue(c.name)
            folded = needle.casefold()
            institutions += [
                (c.name, p) for p in dashboard.publisher_counts(st, c.run, cat.id)
                if folded in p.name.casefold() or folded in p.key.casefold()
            ][:LIMIT]
            datasets += [(c.name, d) for d in dashboard.search_datasets(st, c.run, needle, limit=LIMIT)]
    context = {"q": q, "institutions": institutions[:LIMIT], "datasets": datasets[:LIMIT]}
    return render(request, "search.html", context)
