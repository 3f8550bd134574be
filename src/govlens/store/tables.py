"""Storing and reading tabular inspections, per URL per run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from govlens.errors import StoreError
from govlens.model import InspectionFact, TableReport
from govlens.store import codec
from govlens.store import schema as t
from govlens.store._sql import db_cause, now, upsert

#: Errors kept in a stored report; the counts by type keep every error.
STORED_ERRORS = 100


@dataclass(frozen=True, slots=True)
class TabularTarget:
    """A URL of a tabular distribution in a run, with what was declared for it."""

    url_id: int
    url: str
    declared_format: str | None
    media_type: str | None
    publisher_key: str | None
    dataset: str
    distribution: str


def compact(report: TableReport) -> bytes:
    body = report.to_dict()
    body["errors"] = body["errors"][:STORED_ERRORS]
    body["errors_omitted"] = report.error_total - len(body["errors"])
    return codec.compress(orjson.dumps(body))


def _row(run_id: int, url_id: int, report: TableReport | None, failure: str | None,
         declared: str | None) -> dict[str, Any]:
    if report is None:
        return {"run_id": run_id, "url_id": url_id, "inspected_at": now(),
                "declared_format": declared, "valid": None, "failure": failure,
                "complete": False, "rows": 0, "bytes": 0, "errors": 0}
    return {
        "run_id": run_id, "url_id": url_id, "inspected_at": now(),
        "declared_format": declared or report.declared_format,
        "served_format": report.format, "format_match": report.format_matches,
        "valid": report.valid, "encoding": report.encoding, "rows": report.rows,
        "bytes": report.bytes, "errors": report.error_total,
        "complete": report.coverage.complete, "coverage": report.coverage.fraction,
        "error_counts": orjson.dumps(dict(report.error_counts)).decode(),
        "failure": None, "report": compact(report),
    }


def save_inspections(
    engine: sa.Engine,
    run_id: int,
    results: Sequence[tuple[int, str | None, TableReport | None, str | None]],
) -> None:
    """Store (url_id, declared format, report or None, failure) for a run, replacing earlier ones."""
    rows = [_row(run_id, url_id, rep, failure, declared)
            for url_id, declared, rep, failure in results]
    if not rows:
        return
    cols = [c.name for c in t.table_inspections.columns if c.name not in {"run_id", "url_id"}]
    try:
        with engine.begin() as conn:
            full = [{c: r.get(c) for c in ["run_id", "url_id", *cols]} for r in rows]
            upsert(conn, t.table_inspections, full, ("run_id", "url_id"), cols)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError("could not store inspections", run=run_id, cause=db_cause(exc)) from exc


def inspection_facts(engine: sa.Engine, run_id: int) -> dict[str, InspectionFact]:
    """Per URL, what the inspection of ``run_id`` found (for formatMatch, syntaxValid, stars)."""
    ti = t.table_inspections
    q = sa.select(ti, t.urls.c.url).join(t.urls, t.urls.c.id == ti.c.url_id).where(
        ti.c.run_id == run_id)
    out: dict[str, InspectionFact] = {}
    with engine.connect() as conn:
        for r in conn.execute(q).mappings():
            counts = orjson.loads(r["error_counts"]) if r["error_counts"] else {}
            out[r["url"]] = InspectionFact(
                url=r["url"], valid=r["valid"], served_format=r["served_format"],
                declared_format=r["declared_format"], format_match=r["format_match"],
                encoding=r["encoding"], rows=int(r["rows"] or 0), errors=int(r["errors"] or 0),
                complete=bool(r["complete"]), coverage=r["coverage"],
                error_counts=tuple(sorted(counts.items())), failure=r["failure"],
                inspected_at=r["inspected_at"].isoformat() if r["inspected_at"] else None,
            )
    return out


def stored_report(engine: sa.Engine, run_id: int, url: str) -> dict[str, Any] | None:
    """The stored (compact) JSON report of one URL in one run."""
    ti = t.table_inspections
    q = sa.select(ti.c.report).join(t.urls, t.urls.c.id == ti.c.url_id).where(
        ti.c.run_id == run_id, t.urls.c.url == url)
    with engine.connect() as conn:
        body = conn.execute(q).scalar_one_or_none()
    return orjson.loads(codec.decompress(body)) if body else None


def tabular_targets(
    engine: sa.Engine, run_id: int, formats: frozenset[str]
) -> Iterator[TabularTarget]:
    """The download URLs (else access URLs) of distributions of ``run_id`` declared tabular."""
    from govlens.store.repository import Store

    seen: set[str] = set()
    for sd in Store(engine).iter_datasets(run_id):
        for dist in sd.dataset.distributions:
            declared = (dist.format or "").strip()
            urls = dist.download_urls or dist.access_urls
            if not urls or urls[0] in seen:
                continue
            if not _is_tabular(declared, dist.media_type, urls[0], formats):
                continue
            seen.add(urls[0])
            yield TabularTarget(0, urls[0], declared or None, dist.media_type,
                                sd.publisher_key, sd.identifier, dist.id)


def url_ids(engine: sa.Engine, urls: Sequence[str]) -> dict[str, int]:
    hashes = {codec.url_hash(u): u for u in urls}
    out: dict[str, int] = {}
    with engine.connect() as conn:
        for h, i in conn.execute(sa.select(t.urls.c.hash, t.urls.c.id).where(
                t.urls.c.hash.in_(list(hashes)))):
            out[hashes[h]] = i
    return out


def _is_tabular(declared: str, media_type: str | None, url: str,
                formats: frozenset[str]) -> bool:
    token = declared.lower().rsplit("/", 1)[-1].lstrip(".")
    if token in formats:
        return True
    mt = (media_type or "").lower()
    if any(k in mt for k in ("csv", "spreadsheet", "excel", "opendocument.spreadsheet")):
        return True
    path = url.lower().split("?", 1)[0]
    return any(path.endswith("." + f) for f in formats)
