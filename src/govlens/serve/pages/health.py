"""Link and file health: what the link checker and the file inspector found, per catalogue."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govlens.report import figures
from govlens.report.i18n import Translator, catalogue_language
from govlens.run.report import files_as_health, links_as_health
from govlens.serve.web import language, render, store
from govlens.store import health

router = APIRouter()

FileStatus = Literal["all", "problems", "valid", "invalid", "unreadable"]
LinkFilter = Literal["all", "problems", "ok", "broken", "failing", "unknown"]
PAGE = 200


@router.get("/catalogues/{name}/links", response_class=HTMLResponse, name="links")
def links(
    request: Request,
    name: str,
    publisher: str | None = Query(None, max_length=500),
    outcome: LinkFilter = "problems",
    offset: int = Query(0, ge=0),
) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    lang = language(request, catalogue_language(cat.language, cat.source))
    run = st.latest_run(name)
    counts = health.link_counts(st, run.id, publisher=publisher)
    rows = health.link_rows(st, run.id, publisher=publisher, outcome=outcome, limit=PAGE, offset=offset)
    context = {
        "catalogue": cat, "run": run, "counts": counts, "links": rows, "outcome": outcome,
        "publisher": publisher, "offset": offset, "page": PAGE, "filters": health.LINK_FILTERS,
        "chart": figures.link_chart(links_as_health(counts), Translator(lang)),
    }
    return render(request, "links.html", context, lang=lang)


@router.get("/catalogues/{name}/files", response_class=HTMLResponse, name="files")
def files(
    request: Request,
    name: str,
    publisher: str | None = Query(None, max_length=500),
    status: FileStatus = "problems",
    offset: int = Query(0, ge=0),
) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    lang = language(request, catalogue_language(cat.language, cat.source))
    run = st.latest_run(name)
    counts = health.file_counts(st, run.id, publisher=publisher)
    rows = health.file_rows(st, run.id, publisher=publisher, status=status, limit=PAGE, offset=offset)
    context = {
        "catalogue": cat, "run": run, "counts": counts, "rows": rows, "status": status,
        "publisher": publisher, "offset": offset, "page": PAGE, "statuses": health.FILE_STATUSES,
        "chart": figures.file_chart(files_as_health(counts), Translator(lang)),
    }
    return render(request, "files.html", context, lang=lang)
