"""The REST API over harvested catalogues: catalogues, runs, publishers, datasets."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, Literal

import msgspec
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from govlens.run.probe import newly_broken_links
from govlens.serve.web import store
from govlens.store import dashboard, health

router = APIRouter(tags=["catalogues"])


class Run(BaseModel):
    id: int
    catalogue: str
    source: str
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    datasets: int
    distributions: int
    publishers: int
    warnings: int
    withdrawn: int


class DatasetPage(BaseModel):
    run: int
    items: list[dashboard.DatasetItem]
    next_after: int | None = None


def _dump(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


@router.get("/catalogues", response_model=list[dashboard.CatalogueSummary], summary="Every catalogue")
def list_catalogues(request: Request) -> list[dict[str, Any]]:
    """Every catalogue with the counts of its latest complete harvest run."""
    return [_dump(c) for c in dashboard.catalogue_summaries(store(request))]


@router.get("/catalogues/{name}", response_model=dashboard.CatalogueSummary, summary="One catalogue")
def get_catalogue(request: Request, name: str) -> dict[str, Any]:
    st = store(request)
    st.catalogue(name)
    return next(_dump(c) for c in dashboard.catalogue_summaries(st) if c.name == name)


@router.get("/catalogues/{name}/runs", response_model=list[Run], summary="Harvest runs of a catalogue")
def list_runs(request: Request, name: str) -> list[dict[str, Any]]:
    st = store(request)
    st.catalogue(name)
    return [_dump(r) for r in st.runs(name)]


@router.get("/catalogues/{name}/publishers", response_model=list[dashboard.PublisherCount],
            summary="Institutions of a catalogue")
def list_publishers(request: Request, name: str) -> list[dict[str, Any]]:
    """Institutions in the latest complete run, most datasets first."""
    st = store(request)
    cat = st.catalogue(name)
    run = st.latest_run(name)
    return [_dump(p) for p in dashboard.publisher_counts(st, run.id, cat.id)]


@router.get("/catalogues/{name}/datasets", response_model=DatasetPage, summary="Datasets of a catalogue")
def list_datasets(
    request: Request,
    name: str,
    publisher: str | None = None,
    after: int | None = Query(None, description="Return datasets after this sequence number"),
    limit: int = Query(50, ge=1, le=1000),
) -> dict[str, Any]:
    """A page of the latest run's datasets in harvest order; pass ``next_after`` back as
    ``after`` for the next page."""
    st = store(request)
    run = st.latest_run(name)
    items = dashboard.dataset_items(st, run.id, publisher=publisher, after=after, limit=limit)
    return {
        "run": run.id,
        "items": [_dump(i) for i in items],
        "next_after": items[-1].seq if len(items) == limit else None,
    }


@router.get("/catalogues/{name}/datasets/{identifier:path}", summary="One dataset, normalised")
def get_dataset(request: Request, name: str, identifier: str) -> dict[str, Any]:
    """The dataset as normalised (DCAT-AP shaped), with its source record under ``source``."""
    run_id, stored = dashboard.dataset_in_latest(store(request), name, identifier)
    return {
        "run": run_id,
        "publisher_key": stored.publisher_key,
        "record_hash": stored.record_hash,
        "dataset": msgspec.to_builtins(stored.dataset),
    }


class FileItem(BaseModel):
    url: str
    dataset: str
    publisher_key: str | None
    status: str
    declared_format: str | None
    served_format: str | None
    format_match: bool | None
    rows: int
    errors: int
    complete: bool
    failure: str | None
    error_counts: dict[str, int]


class FilePage(BaseModel):
    run: int
    counts: health.FileCounts
    items: list[FileItem]


@router.get("/catalogues/{name}/files", response_model=FilePage, summary="Inspected files of a catalogue")
def list_files(
    request: Request,
    name: str,
    publisher: str | None = None,
    status: Literal["all", "problems", "valid", "invalid", "unreadable"] = "problems",
    limit: int = Query(200, ge=1, le=5000),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """Files the inspector downloaded and validated in the latest run, problems first."""
    st = store(request)
    run = st.latest_run(name)
    rows = health.file_rows(st, run.id, publisher=publisher, status=status, limit=limit, offset=offset)
    return {
        "run": run.id,
        "counts": _dump(health.file_counts(st, run.id, publisher=publisher)),
        "items": [{**_dump(f), "status": f.status, "error_counts": dict(f.error_counts)} for f in rows],
    }


class LinkPage(BaseModel):
    run: int
    counts: health.LinkCounts
    items: list[health.LinkRow]
    #: The institution's links newly broken since the previous harvest (``govlens publishers``'
    #: ``links_newly_broken``); null for the whole catalogue or before any check.
    newly_broken: int | None = None


@router.get("/catalogues/{name}/links", response_model=LinkPage, summary="Checked links of a catalogue")
def list_links(
    request: Request,
    name: str,
    publisher: str | None = None,
    outcome: Literal["all", "problems", "ok", "broken", "failing", "unknown"] = "problems",
    limit: int = Query(200, ge=1, le=5000),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """The latest check of each distribution URL of the latest run, broken first. With
    ``publisher``, ``newly_broken`` counts that institution's links broken since the previous harvest."""
    st = store(request)
    run = st.latest_run(name)
    rows = health.link_rows(st, run.id, publisher=publisher, outcome=outcome, limit=limit, offset=offset)
    counts = health.link_counts(st, run.id, publisher=publisher)
    newly = newly_broken_links(st, run.id, publisher) if publisher is not None and counts.checked else None
    return {"run": run.id, "counts": _dump(counts), "items": [_dump(x) for x in rows], "newly_broken": newly}


@router.get("/catalogues/{name}/coverage", summary="Coverage of priority datasets")
def get_coverage(request: Request, name: str, publisher: str | None = None,
                 lang: Literal["es", "en"] = "en") -> list[dict[str, Any]]:
    """For each priority category (Open Data Charter, EU high-value datasets, G8): present or
    missing, the datasets found, and their quality; the whole catalogue or one institution."""
    from govlens.serve.pages.coverage import coverage_records

    return coverage_records(store(request), name, publisher, lang)
