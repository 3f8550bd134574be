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


def _owner(run_id: int, column: sa.ColumnElement[Any], url_id: sa.ColumnElement[int]) -> sa.ScalarSelect[Any]:
    """For the URL ``url_id`` of the outer row, ``column`` of the (first) present dataset using it."""
    rd, r, ru = t.run_datasets, t.records, t.record_urls
    return (
        sa.select(sa.func.min(column))
        .select_from(ru)
        .join(r, r.c.id == ru.c.record_id)
        .join(rd, rd.c.record_hash == r.c.hash)
        .where(rd.c.run_id == run_id, rd.c.state == PRESENT, ru.c.url_id == url_id)
        .scalar_subquery()
    )


def _urls_of(run_id: int, publisher: str) -> sa.Select[Any]:
    """The URL ids of one institution's present datasets in a run."""
    rd, r, ru = t.run_datasets, t.records, t.record_urls
    return (
        sa.select(ru.c.url_id)
        .select_from(rd)
        .join(r, r.c.hash == rd.c.record_hash)
        .join(ru, ru.c.record_id == r.c.id)
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
        sa.select(ti, u.c.url, _owner(run_id, t.run_datasets.c.identifier, ti.c.url_id).label("identifier"),
                  _owner(run_id, t.run_datasets.c.publisher_key, ti.c.url_id).label("publisher_key"))
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


# -- links ---------------------------------------------------------------------------

LINK_OUTCOMES = ("ok", "broken", "failing", "unknown")
LINK_FILTERS = ("all", "problems", *LINK_OUTCOMES)


@dataclass(frozen=True, slots=True)
class LinkRow:
    """The latest check of one URL of a run, with a dataset and institution using it."""

    url: str
    dataset: str
    publisher_key: str | None
    outcome: str
    status: int | None
    final_url: str | None
    reason: str | None
    error_class: str | None
    failures: int
    checked_at: str | None


@dataclass(frozen=True, slots=True)
class LinkCounts:
    """URLs of a run by the outcome of their check; ``urls`` counts every URL to check."""

    probe_run: int | None
    urls: int
    checked: int
    ok: int
    broken: int
    failing: int
    unknown: int

    @property
    def share_ok(self) -> float | None:
        return self.ok / self.checked if self.checked else None


def latest_probe_run(store: Store, run_id: int) -> int | None:
    """The id of the latest link-check run of a harvest run, if any."""
    pr = t.probe_runs
    with store.engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.max(pr.c.id)).where(pr.c.run_id == run_id)
        ).scalar_one_or_none()


def link_counts(store: Store, run_id: int, *, publisher: str | None = None) -> LinkCounts:
    """How the URLs of a run (or of one institution) answered their latest check in it."""
    probe = latest_probe_run(store, run_id)
    if probe is None:
        return LinkCounts(None, 0, 0, 0, 0, 0, 0)
    pr, lc = t.probe_runs, t.link_checks
    with store.engine.connect() as conn:
        if publisher is None:
            r = conn.execute(sa.select(pr).where(pr.c.id == probe)).mappings().one()
            return LinkCounts(probe, int(r["urls"]), int(r["checked"]), int(r["ok"]), int(r["broken"]),
                              int(r["failing"]), int(r["unknown"]))
        q = (
            sa.select(lc.c.outcome, sa.func.count())
            .where(lc.c.probe_run_id == probe, lc.c.url_id.in_(_urls_of(run_id, publisher)))
            .group_by(lc.c.outcome)
        )
        by = {o: int(n) for o, n in conn.execute(q)}
        mine = _urls_of(run_id, publisher).distinct().subquery()
        urls = conn.execute(sa.select(sa.func.count()).select_from(mine)).scalar_one()
    return LinkCounts(probe, int(urls), sum(by.values()), *(by.get(o, 0) for o in LINK_OUTCOMES))


def link_rows(
    store: Store,
    run_id: int,
    *,
    publisher: str | None = None,
    outcome: str = "problems",
    limit: int = 200,
    offset: int = 0,
) -> list[LinkRow]:
    """The latest checks of a run's URLs, broken first, then failing, unknown and ok."""
    probe = latest_probe_run(store, run_id)
    if probe is None:
        return []
    lc, u, rd = t.link_checks, t.urls, t.run_datasets
    q = (
        sa.select(lc, u.c.url, _owner(run_id, rd.c.identifier, lc.c.url_id).label("identifier"),
                  _owner(run_id, rd.c.publisher_key, lc.c.url_id).label("publisher_key"))
        .join(u, u.c.id == lc.c.url_id)
        .where(lc.c.probe_run_id == probe)
    )
    if publisher is not None:
        q = q.where(lc.c.url_id.in_(_urls_of(run_id, publisher)))
    if outcome == "problems":
        q = q.where(lc.c.outcome != "ok")
    elif outcome in LINK_OUTCOMES:
        q = q.where(lc.c.outcome == outcome)
    rank = sa.case((lc.c.outcome == "broken", 0), (lc.c.outcome == "failing", 1),
                   (lc.c.outcome == "unknown", 2), else_=3)
    q = q.order_by(rank, u.c.url).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    return [
        LinkRow(
            url=m["url"], dataset=m["identifier"] or "", publisher_key=m["publisher_key"],
            outcome=m["outcome"], status=m["status"], final_url=m["final_url"], reason=m["reason"],
            error_class=m["error_class"], failures=int(m["failures"] or 0),
            checked_at=f"{m['checked_at']:%Y-%m-%d %H:%M}" if m["checked_at"] else None,
        )
        for m in rows
    ]
