"""The REST API over harvested catalogues: catalogues, runs, publishers, datasets."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import msgspec
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from govlens.serve.web import store
from govlens.store import dashboard

router = APIRouter(tags=["catalogues"])


class Catalogue(BaseModel):
    name: str
    title: str | None
    source: str
    kind: str
    language: str | None
    runs: int
    run: int | None
    finished_at: datetime | None
    datasets: int
    distributions: int
    publishers: int
    warnings: int
    withdrawn: int


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


class Publisher(BaseModel):
    key: str
    name: str
    datasets: int
    distributions: int
    warnings: int
    homepage: str | None = None


class DatasetItem(BaseModel):
    identifier: str
    title: str | None
    publisher_key: str | None
    distributions: int
    warnings: int
    seq: int


class DatasetPage(BaseModel):
    run: int
    items: list[DatasetItem]
    next_after: int | None = None


def _dump(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


@router.get("/catalogues", response_model=list[Catalogue], summary="Every catalogue")
def list_catalogues(request: Request) -> list[dict[str, Any]]:
    """Every catalogue with the counts of its latest complete harvest run."""
    return [_dump(c) for c in dashboard.catalogue_summaries(store(request))]


@router.get("/catalogues/{name}", response_model=Catalogue, summary="One catalogue")
def get_catalogue(request: Request, name: str) -> dict[str, Any]:
    st = store(request)
    st.catalogue(name)
    return next(_dump(c) for c in dashboard.catalogue_summaries(st) if c.name == name)


@router.get("/catalogues/{name}/runs", response_model=list[Run], summary="Harvest runs of a catalogue")
def list_runs(request: Request, name: str) -> list[dict[str, Any]]:
    st = store(request)
    st.catalogue(name)
    return [_dump(r) for r in st.runs(name)]


@router.get("/catalogues/{name}/publishers", response_model=list[Publisher],
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
