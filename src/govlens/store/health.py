"""Read-only queries for the links and files pages: what the link checker and the file
inspector stored for a run, with the dataset and institution each URL belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa

from govlens.store import schema as t
from govlens.store.repository import PRESENT

if TYPE_CHECKING:
    from govlens.store.repository import Store


@dataclass(frozen=True, slots=True)
class FileRow:
    """One inspected file of a run, as it appears in a dataset of an institution."""

    url: str
    dataset: str
    publisher_key: str | None
    declared_format: str | None
    served_format: str | None
    format_match: bool | None
    valid: bool | None
    rows: int
    errors: int
    complete: bool
    failure: str | None
    error_counts: tuple[tuple[str, int], ...]

    @property
    def status(self) -> str:
        """``valid``, ``invalid`` or ``unreadable`` (could not be inspected)."""
        return "unreadable" if self.valid is None else "valid" if self.valid else "invalid"


FILE_STATUSES = ("all", "problems", "valid", "invalid", "unreadable")


def _owner(run_id: int, column: sa.ColumnElement[Any]) -> sa.ScalarSelect[Any]:
    """For the URL of the outer row, ``column`` of the (first) present dataset using it."""
    rd, ru = t.run_datasets, t.record_urls
    return (
        sa.select(sa.func.min(column))
        .select_from(ru)
        .join(rd, rd.c.record_hash == ru.c.record_hash)
        .where(rd.c.run_id == run_id, rd.c.state == PRESENT, ru.c.url_id == t.table_inspections.c.url_id)
        .scalar_subquery()
    )


def _urls_of(run_id: int, publisher: str) -> sa.Select[Any]:
    """The URL ids of one institution's present datasets in a run."""
    rd, ru = t.run_datasets, t.record_urls
    return (
        sa.select(ru.c.url_id)
        .join(rd, rd.c.record_hash == ru.c.record_hash)
        .where(rd.c.run_id == run_id, rd.c.state == PRESENT, rd.c.publisher_key == publisher)
    )


def file_rows(
    store: Store,
    run_id: int,
    *,
    publisher: str | None = None,
    status: str = "all",
    limit: int = 200,
    offset: int = 0,
) -> list[FileRow]:
    """Inspected files of a run, problems first (unreadable, invalid, then valid)."""
    ti, u = t.table_inspections, t.urls
    q = (
        sa.select(ti, u.c.url, _owner(run_id, t.run_datasets.c.identifier).label("identifier"),
                  _owner(run_id, t.run_datasets.c.publisher_key).label("publisher_key"))
        .join(u, u.c.id == ti.c.url_id)
        .where(ti.c.run_id == run_id)
    )
    if publisher is not None:
        q = q.where(ti.c.url_id.in_(_urls_of(run_id, publisher)))
    if status == "problems":
        q = q.where(sa.or_(ti.c.valid.is_(None), ti.c.valid.is_(False)))
    elif status == "valid":
        q = q.where(ti.c.valid.is_(True))
    elif status == "invalid":
        q = q.where(ti.c.valid.is_(False))
    elif status == "unreadable":
        q = q.where(ti.c.valid.is_(None))
    rank = sa.case((ti.c.valid.is_(None), 0), (ti.c.valid.is_(False), 1), else_=2)
    q = q.order_by(rank, ti.c.errors.desc(), u.c.url).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    return [
        FileRow(
            url=m["url"], dataset=m["identifier"] or "", publisher_key=m["publisher_key"],
            declared_format=m["declared_format"], served_format=m["served_format"],
            format_match=m["format_match"], valid=m["valid"], rows=int(m["rows"] or 0),
            errors=int(m["errors"] or 0), complete=bool(m["complete"]), failure=m["failure"],
            error_counts=tuple(sorted(orjson.loads(m["error_counts"]).items())) if m["error_counts"] else (),
        )
        for m in rows
    ]


@dataclass(frozen=True, slots=True)
class FileCounts:
    files: int
    valid: int
    invalid: int
    unreadable: int
    format_mismatch: int


def file_counts(store: Store, run_id: int, *, publisher: str | None = None) -> FileCounts:
    """How many files of a run (or of one institution) were inspected, by verdict."""
    ti = t.table_inspections
    q = sa.select(
        sa.func.count(),
        sa.func.count().filter(ti.c.valid.is_(True)),
        sa.func.count().filter(ti.c.valid.is_(False)),
        sa.func.count().filter(ti.c.valid.is_(None)),
        sa.func.count().filter(ti.c.format_match.is_(False)),
    ).where(ti.c.run_id == run_id)
    if publisher is not None:
        q = q.where(ti.c.url_id.in_(_urls_of(run_id, publisher)))
    with store.engine.connect() as conn:
        n, ok, bad, unreadable, mismatch = conn.execute(q).one()
    return FileCounts(int(n), int(ok), int(bad), int(unreadable), int(mismatch))
