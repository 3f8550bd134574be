"""CSV and Parquet downloads of a catalogue's institutions, datasets and dataset scores.

Both stream: CSV row by row, Parquet in record batches through a spooled
temporary file, so a million datasets never sit in memory as Python objects.
CSV cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from govlens.run.quality import assessed_runs, score_record
from govlens.serve.web import store
from govlens.store import dashboard
from govlens.store import measurements as ms

router = APIRouter(tags=["downloads"])

BATCH = 5000


class Fmt(str, Enum):
    csv = "csv"
    parquet = "parquet"


DATASET_SCHEMA = pa.schema([
    ("catalogue", pa.string()), ("run", pa.int64()), ("identifier", pa.string()), ("title", pa.string()),
    ("publisher_key", pa.string()), ("distributions", pa.int64()), ("warnings", pa.int64()),
])
PUBLISHER_SCHEMA = pa.schema([
    ("catalogue", pa.string()), ("run", pa.int64()), ("key", pa.string()), ("name", pa.string()),
    ("datasets", pa.int64()), ("distributions", pa.int64()), ("warnings", pa.int64()), ("homepage", pa.string()),
])

#: The fields of ``govlens scores``, typed.
SCORE_SCHEMA = pa.schema([
    ("catalogue", pa.string()), ("dataset", pa.string()), ("publisher", pa.string()),
    ("mqa_score", pa.int64()), ("mqa_rating", pa.string()), ("findability", pa.int64()),
    ("accessibility", pa.int64()), ("interoperability", pa.int64()), ("reusability", pa.int64()),
    ("contextuality", pa.int64()), ("dcat_ap_compliant", pa.bool_()), ("udata_score", pa.float64()),
    ("stars", pa.int64()),
])

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_stream(columns: Sequence[str], batches: Iterable[list[tuple[Any, ...]]]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for batch in batches:
        writer.writerows([csv_cell(v) for v in row] for row in batch)
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if buf.getvalue():
        yield buf.getvalue().encode("utf-8")


def parquet_stream(schema: pa.Schema, batches: Iterable[list[tuple[Any, ...]]]) -> Iterator[bytes]:
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as f:
        with pq.ParquetWriter(f, schema, compression="zstd") as writer:
            for batch in batches:
                cols: list[tuple[Any, ...]] = list(zip(*batch, strict=True)) if batch else [() for _ in schema]
                writer.write_batch(pa.record_batch([pa.array(c, type=fld.type) for c, fld in zip(cols, schema,
                                                                                                 strict=True)],
                                                   schema=schema))
        f.seek(0)
        while chunk := f.read(1024 * 1024):
            yield chunk


def respond(fmt: Fmt, name: str, schema: pa.Schema, batches: Iterable[list[tuple[Any, ...]]]) -> StreamingResponse:
    if fmt is Fmt.csv:
        body, media = csv_stream(schema.names, batches), "text/csv; charset=utf-8"
    else:
        body, media = parquet_stream(schema, batches), "application/vnd.apache.parquet"
    headers = {"content-disposition": f'attachment; filename="{name}.{fmt.value}"'}
    return StreamingResponse(body, media_type=media, headers=headers)


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:80] or "catalogue"


@router.get("/catalogues/{name}/datasets.{fmt}", summary="Download the datasets of a catalogue",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
def download_datasets(request: Request, name: str, fmt: Fmt, publisher: str | None = None) -> StreamingResponse:
    """Every dataset of the latest complete run as CSV or Parquet (one row per dataset)."""
    st = store(request)
    run = st.latest_run(name)

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        after: int | None = None
        while True:
            items = dashboard.dataset_items(st, run.id, publisher=publisher, after=after, limit=BATCH)
            if not items:
                return
            yield [(name, run.id, i.identifier, i.title, i.publisher_key, i.distributions, i.warnings)
                   for i in items]
            after = items[-1].seq

    return respond(fmt, f"{_safe_name(name)}-datasets", DATASET_SCHEMA, batches())


@router.get("/catalogues/{name}/publishers.{fmt}", summary="Download the institutions of a catalogue",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
def download_publishers(request: Request, name: str, fmt: Fmt) -> StreamingResponse:
    """The institutions of the latest complete run with their counts, as CSV or Parquet."""
    st = store(request)
    cat = st.catalogue(name)
    run = st.latest_run(name)
    rows = [(name, run.id, p.key, p.name, p.datasets, p.distributions, p.warnings, p.homepage)
            for p in dashboard.publisher_counts(st, run.id, cat.id)]
    return respond(fmt, f"{_safe_name(name)}-institutions", PUBLISHER_SCHEMA, [rows])


@router.get("/catalogues/{name}/scores.{fmt}", summary="Download the dataset scores of a catalogue",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
def download_scores(request: Request, name: str, fmt: Fmt, publisher: str | None = None) -> StreamingResponse:
    """Every dataset's scores in the latest assessed run, as ``govlens scores`` gives them (CSV or Parquet)."""
    st = store(request)
    (run,) = assessed_runs(st, name)

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        after: str | None = None
        while rows := ms.score_page(st, run.id, publisher=publisher, after=after, limit=BATCH):
            yield [tuple(score_record(name, s).values()) for s in rows]
            after = rows[-1].dataset

    return respond(fmt, f"{_safe_name(name)}-scores", SCORE_SCHEMA, batches())
