"""Datasets: a catalogue's listing, and one dataset with every quality metric explained and its
source record."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from govlens.report.i18n import catalogue_language
from govlens.run.quality_facts import dataset_quality
from govlens.serve.web import language, render, store
from govlens.store import dashboard

router = APIRouter()


@router.get("/catalogues/{name}/datasets", response_class=HTMLResponse, name="datasets")
def datasets(request: Request, name: str, after: int | None = None) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    run = st.latest_run(name)
    items = dashboard.dataset_items(st, run.id, after=after)
    pubs = st.publishers(cat.id)
    lang = language(request, catalogue_language(cat.language, cat.source))
    context = {"catalogue": cat, "run": run, "items": items, "publishers": pubs}
    return render(request, "datasets.html", context, lang=lang)


@router.get("/catalogues/{name}/datasets/{identifier:path}", response_class=HTMLResponse, name="dataset")
def dataset(request: Request, name: str, identifier: str) -> HTMLResponse:
    st = store(request)
    cat = st.catalogue(name)
    run_id, stored = dashboard.dataset_in_latest(st, name, identifier)
    lang = language(request, catalogue_language(cat.language, cat.source))
    ds = stored.dataset
    source_text = ds.source.text if ds.source else ""
    if ds.source and ds.source.media_type == "application/json":
        try:
            source_text = json.dumps(json.loads(source_text), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    context = {"catalogue": cat, "run_id": run_id, "stored": stored, "ds": ds, "source_text": source_text,
               "quality": dataset_quality(st, run_id, ds)}
    return render(request, "dataset.html", context, lang=lang)
