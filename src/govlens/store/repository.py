"""The store: catalogues, harvest runs and their content-addressed records.

Writes are bulk, per page or per batch of consecutive pages
(``govlens.store.writes``): the pages' records, run memberships, publishers,
URLs and the run's resume cursor commit in one transaction, so a harvest
killed at any point resumes from its last committed page with no dataset lost
and none duplicated.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Self

import orjson
import sqlalchemy as sa

from govlens.errors import NotFound, StoreError
from govlens.model import Catalogue, Dataset, StageError
from govlens.store import codec
from govlens.store import schema as t
from govlens.store._sql import db_cause, foreign_keys_off, insert_ignore, now
from govlens.store.engine import create_engine, migrate
from govlens.store.pages import EncodedPage, encode_page
from govlens.store.rows import CatalogueRow, OpenRun, RunRow
from govlens.store.writes import PageWrite, write_pages

#: Run states. ``running`` and ``failed`` runs are resumed by the next harvest.
RUNNING, COMPLETE, FAILED = "running", "complete", "failed"
PRESENT, WITHDRAWN = "present", "withdrawn"


@dataclass(frozen=True, slots=True)
class StoredDataset:
    """A dataset as stored in one run."""

    identifier: str
    publisher_key: str | None
    state: str
    record_hash: str
    dataset: Dataset


class Store:
    """Access to one govlens database. Create it with :meth:`open`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Store:
        engine = create_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- catalogues -----------------------------------------------------------------

    def ensure_catalogue(self, cat: Catalogue) -> CatalogueRow:
        """Return the catalogue called ``cat.name``, creating it if new."""
        with self.engine.begin() as conn:
            insert_ignore(
                conn,
                t.catalogues,
                [
                    {
                        "name": cat.name,
                        "source": cat.source,
                        "kind": cat.kind,
                        "title": cat.title,
                        "language": cat.language[0] if cat.language else None,
                        "created_at": now(),
                    }
                ],
            )
            conn.execute(
                t.catalogues.update()
                .where(t.catalogues.c.name == cat.name)
                .values(source=cat.source, kind=cat.kind)
            )
        return self.catalogue(cat.name)

    def update_catalogue(self, name: str, *, title: str | None, language: str | None) -> None:
        values = {k: v for k, v in (("title", title), ("language", language)) if v}
        if values:
            with self.engine.begin() as conn:
                conn.execute(
                    t.catalogues.update().where(t.catalogues.c.name == name).values(**values)
                )

    def catalogue(self, name: str) -> CatalogueRow:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.catalogues).where(t.catalogues.c.name == name)).first()
        if row is None:
            raise NotFound("no such catalogue", catalogue=name)
        return CatalogueRow(**row._asdict())

    def catalogues(self) -> list[CatalogueRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.catalogues).order_by(t.catalogues.c.name)).all()
        return [CatalogueRow(**r._asdict()) for r in rows]

    # -- runs -----------------------------------------------------------------------

    def _run_query(self) -> sa.Select[Any]:
        return sa.select(t.runs, t.catalogues.c.name.label("catalogue")).join(
            t.catalogues, t.catalogues.c.id == t.runs.c.catalogue_id
        )

    def run(self, run_id: int) -> RunRow:
        with self.engine.connect() as conn:
            row = conn.execute(self._run_query().where(t.runs.c.id == run_id)).first()
        if row is None:
            raise NotFound("no such run", run=run_id)
        return RunRow(**row._asdict())

    def runs(self, catalogue: str | None = None, status: str | None = None) -> list[RunRow]:
        q = self._run_query().order_by(t.runs.c.id)
        if catalogue is not None:
            q = q.where(t.catalogues.c.name == catalogue)
        if status is not None:
            q = q.where(t.runs.c.status == status)
        with self.engine.connect() as conn:
            return [RunRow(**r._asdict()) for r in conn.execute(q)]

    def latest_run(self, catalogue: str) -> RunRow:
        """The latest complete harvest run of ``catalogue``."""
        done = self.runs(catalogue, COMPLETE)
        if not done:
            self.catalogue(catalogue)  # raises NotFound for an unknown name
            raise NotFound("catalogue has no complete harvest run yet", catalogue=catalogue)
        return done[-1]

    def latest_runs(self, catalogue: str | None = None) -> list[RunRow]:
        """The latest complete run of each catalogue (or of the one named)."""
        names = [catalogue] if catalogue else [c.name for c in self.catalogues()]
        out = []
        for name in names:
            try:
                out.append(self.latest_run(name))
            except NotFound:
                if catalogue:
                    raise
        return out

    def previous_run(self, run: RunRow) -> RunRow | None:
        """The complete run of the same catalogue before ``run``."""
        before = [r for r in self.runs(run.catalogue, COMPLETE) if r.id < run.id]
        return before[-1] if before else None

    def record_digests(self, run: RunRow) -> frozenset[bytes]:
        """The SHA-256 digests of the records of ``run``'s datasets."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.run_datasets.c.record_hash).where(t.run_datasets.c.run_id == run.id))
            return frozenset(bytes.fromhex(h) for (h,) in rows)

    def open_run(self, catalogue: CatalogueRow, source: str, kind: str) -> OpenRun:
        """Resume the catalogue's unfinished run for the same source, or start a new one."""
        with self.engine.begin() as conn:
            row = conn.execute(
                self._run_query()
                .where(t.runs.c.catalogue_id == catalogue.id)
                .where(t.runs.c.status.in_([RUNNING, FAILED]))
                .where(t.runs.c.source == source)
                .where(t.runs.c.kind == kind)
                .order_by(t.runs.c.id.desc())
            ).first()
            if row is not None:
                # A run newer than this one completed since: do not resurrect the old one.
                newer = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(t.runs)
                    .where(t.runs.c.catalogue_id == catalogue.id)
                    .where(t.runs.c.status == COMPLETE)
                    .where(t.runs.c.id > row.id)
                ).scalar_one()
                if not newer:
                    conn.execute(
                        t.runs.update().where(t.runs.c.id == row.id).values(status=RUNNING)
                    )
                    seq = conn.execute(
                        sa.select(sa.func.coalesce(sa.func.max(t.run_datasets.c.seq), -1)).where(
                            t.run_datasets.c.run_id == row.id
                        )
                    ).scalar_one()
                    return OpenRun(self._reload(conn, row.id), True, int(seq) + 1)
                conn.execute(t.runs.update().where(t.runs.c.id == row.id).values(status=FAILED))
            run_id = conn.execute(
                t.runs.insert()
                .values(
                    catalogue_id=catalogue.id,
                    source=source,
                    kind=kind,
                    status=RUNNING,
                    started_at=now(),
                )
                .returning(t.runs.c.id)
            ).scalar_one()
            return OpenRun(self._reload(conn, run_id), False, 0)

    def _reload(self, conn: sa.Connection, run_id: int) -> RunRow:
        row = conn.execute(self._run_query().where(t.runs.c.id == run_id)).one()
        return RunRow(**row._asdict())

    def save_page(
        self,
        run: RunRow,
        datasets: Sequence[Dataset],
        cursor: object,
        first_seq: int,
    ) -> int:
        """Store one page of datasets and the cursor to resume after it, atomically.

        Returns the number of datasets newly added to the run (duplicates of
        identifiers already in the run are ignored: the first one wins).
        """
        return self.write_page(run, encode_page(datasets), cursor, first_seq)

    def write_page(self, run: RunRow, page: EncodedPage, cursor: object, first_seq: int) -> int:
        """Write a page encoded by :func:`govlens.store.pages.encode_page` (possibly in
        another process) and the cursor to resume after it, in one transaction."""
        return self.write_pages(run, [(page, cursor, first_seq)])

    def write_pages(self, run: RunRow, batch: Sequence[PageWrite]) -> int:
        """Write consecutive encoded pages and the cursor after the last one, in one transaction."""
        try:
            with self.engine.connect() as conn:
                if conn.dialect.name != "sqlite":
                    with conn.begin():
                        return write_pages(conn, run, batch)
                # The writer inserts every row after the rows it refers to, in the same
                # transaction: SQLite's per-row foreign key lookups only cost time here.
                with foreign_keys_off(conn), conn.begin():
                    return write_pages(conn, run, batch)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError("could not store a page of datasets", run=run.id, cause=db_cause(exc)) from exc

    def finish_run(self, run: RunRow, errors: Sequence[StageError] = ()) -> RunRow:
        """Close a run: mark datasets gone since the previous run as withdrawn, count, complete."""
        with self.engine.begin() as conn:
            prev = conn.execute(
                sa.select(sa.func.max(t.runs.c.id))
                .where(t.runs.c.catalogue_id == run.catalogue_id)
                .where(t.runs.c.status == COMPLETE)
                .where(t.runs.c.id < run.id)
            ).scalar_one_or_none()
            if prev is not None:
                rd = t.run_datasets
                cur = rd.alias("cur")
                gone = (
                    sa.select(
                        sa.literal(run.id).label("run_id"),
                        rd.c.identifier,
                        rd.c.record_hash,
                        rd.c.publisher_key,
                        sa.literal(WITHDRAWN).label("state"),
                        rd.c.distributions,
                        rd.c.warnings,
                        (rd.c.seq + 1_000_000_000).label("seq"),
                    )
                    .where(rd.c.run_id == prev)
                    .where(rd.c.state == PRESENT)
                    .where(
                        ~sa.exists().where(cur.c.run_id == run.id).where(
                            cur.c.identifier == rd.c.identifier
                        )
                    )
                )
                conn.execute(
                    rd.insert().from_select(
                        ["run_id", "identifier", "record_hash", "publisher_key", "state",
                         "distributions", "warnings", "seq"],
                        gone,
                    )
                )
            counts = conn.execute(
                sa.select(
                    sa.func.count().filter(t.run_datasets.c.state == PRESENT),
                    sa.func.coalesce(
                        sa.func.sum(t.run_datasets.c.distributions).filter(
                            t.run_datasets.c.state == PRESENT
                        ),
                        0,
                    ),
                    sa.func.count(sa.distinct(t.run_datasets.c.publisher_key)).filter(
                        t.run_datasets.c.state == PRESENT
                    ),
                    sa.func.coalesce(
                        sa.func.sum(t.run_datasets.c.warnings).filter(
                            t.run_datasets.c.state == PRESENT
                        ),
                        0,
                    ),
                    sa.func.count().filter(t.run_datasets.c.state == WITHDRAWN),
                ).where(t.run_datasets.c.run_id == run.id)
            ).one()
            conn.execute(
                t.runs.update()
                .where(t.runs.c.id == run.id)
                .values(
                    status=COMPLETE,
                    finished_at=now(),
                    datasets=counts[0],
                    distributions=counts[1],
                    publishers=counts[2],
                    warnings=counts[3],
                    withdrawn=counts[4],
                    errors=_dump_errors(errors),
                )
            )
            return self._reload(conn, run.id)

    def fail_run(self, run: RunRow, errors: Sequence[StageError]) -> RunRow:
        """Record why a run stopped. Its stored pages stay; the next harvest resumes it."""
        with self.engine.begin() as conn:
            conn.execute(
                t.runs.update()
                .where(t.runs.c.id == run.id)
                .values(status=FAILED, errors=_dump_errors(errors))
            )
            return self._reload(conn, run.id)

    # -- reading datasets ------------------------------------------------------------

    def iter_datasets(
        self,
        run_id: int,
        *,
        publisher: str | None = None,
        include_withdrawn: bool = False,
        batch: int = 1000,
    ) -> Iterator[StoredDataset]:
        """Stream the datasets of a run in harvest order, decoding as it goes."""
        rd = t.run_datasets
        q = (
            sa.select(rd.c.identifier, rd.c.publisher_key, rd.c.state, rd.c.record_hash, t.records.c.body)
            .join(t.records, t.records.c.hash == rd.c.record_hash)
            .where(rd.c.run_id == run_id)
            .order_by(rd.c.seq)
        )
        if not include_withdrawn:
            q = q.where(rd.c.state == PRESENT)
        if publisher is not None:
            q = q.where(rd.c.publisher_key == publisher)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(q)
            for ident, pkey, state, h, body in result:
                yield StoredDataset(ident, pkey, state, h, codec.load_record(body))

    def dataset(self, run_id: int, identifier: str) -> StoredDataset:
        rd = t.run_datasets
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(rd.c.identifier, rd.c.publisher_key, rd.c.state, rd.c.record_hash, t.records.c.body)
                .join(t.records, t.records.c.hash == rd.c.record_hash)
                .where(rd.c.run_id == run_id)
                .where(rd.c.identifier == identifier)
            ).first()
        if row is None:
            raise NotFound("no such dataset in this run", run=run_id, dataset=identifier)
        ident, pkey, state, h, body = row
        return StoredDataset(ident, pkey, state, h, codec.load_record(body))

    def publishers(self, catalogue_id: int) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.publishers).where(t.publishers.c.catalogue_id == catalogue_id)
            ).mappings()
            return {r["key"]: dict(r) for r in rows}


def _dump_errors(errors: Sequence[StageError]) -> str | None:
    if not errors:
        return None
    return orjson.dumps(
        [{"error": e.error, "message": e.message, "source": e.source, "page": e.page} for e in errors]
    ).decode()
