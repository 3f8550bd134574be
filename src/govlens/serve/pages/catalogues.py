"""One catalogue: its runs and its institutions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from govlens.report.i18n import catalogue_language
from govlens.serve.web import language, render, store
from govlens.store import dashboard

router = APIRouter()


@router.get("/catalogues/{name}", response_class=HTMLResponse, name="catalogue")
def catalogue(request: Request, name: str) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    lang = language(request, catalogue_language(cat.language, cat.source))
    summary = next(c for c in dashboard.catalogue_summaries(st) if c.name == name)
    publishers = dashboard.publisher_counts(st, summary.run, cat.id) if summary.run else []
    context = {"catalogue": summary, "runs": list(reversed(st.runs(name))), "publishers": publishers}
    return render(request, "catalogue.html", context, lang=lang)
