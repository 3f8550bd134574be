"""Migration 0005_record_ids: a store written before it (``record_urls`` keyed by the record
hash) keeps its links, and every reader of them answers as before, on SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command

from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.store import Store
from govlens.store import schema as t
from govlens.store._sql import foreign_keys_off
from govlens.store.engine import alembic_config, current_revisions, head_revisions
from govlens.store.health import file_rows
from govlens.store.link_reads import publisher_links
from govlens.store.links import open_probe, pending

BEFORE = "0004_harvest_index"


def _ds(ident: str, pub: str, access: tuple[str, ...] = (), download: tuple[str, ...] = ()) -> Dataset:
    return Dataset(identifier=ident, title=ident, publisher=Publisher(key=pub, name=pub.upper()),
                   distributions=(Distribution(id=f"{ident}-0", access_urls=access, download_urls=download),))


def _downgrade(store: Store) -> None:
    cfg = alembic_config()
    with store.engine.connect() as conn, (foreign_keys_off(conn) if conn.dialect.name == "sqlite"
                                          else nullcontext()), conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_record_ids@-1")


def _reads(store: Store, run_id: int) -> dict[str, Any]:
    opened = open_probe(store, run_id, again=True)
    queued = sorted((q.url, q.download) for page in pending(store, opened.probe.id) for q in page)
    return {
        "links": sorted(publisher_links(store, run_id)),
        "shcp": sorted(publisher_links(store, run_id, publisher="shcp")),
        "queue": queued,
        "files": [(f.url, f.dataset, f.publisher_key) for f in file_rows(store, run_id)],
        "files_shcp": [(f.url, f.dataset) for f in file_rows(store, run_id, publisher="shcp")],
    }


def test_a_store_from_before_keeps_its_links_and_reads_the_same(db_url: str) -> None:
    with Store.open(db_url) as store:
        cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
        run = store.open_run(cat, "demo", "ckan").run
        store.save_page(run, [
            _ds("a", "shcp", access=("http://x/page",), download=("http://x/a.csv", "http://x/shared.csv")),
            _ds("b", "inegi", download=("http://x/shared.csv",)),
            _ds("c", "inegi", access=("http://x/c",)),
        ], {"page": 1}, 0)
        run = store.finish_run(run)
        with store.engine.begin() as conn:
            url_id = conn.execute(sa.select(t.urls.c.id).where(t.urls.c.url == "http://x/a.csv")).scalar_one()
            conn.execute(t.table_inspections.insert().values(run_id=run.id, url_id=url_id,
                                                             inspected_at=datetime.now(UTC), valid=True))
        before = _reads(store, run.id)
        assert before["links"] == [("inegi", "http://x/c", None, None), ("inegi", "http://x/shared.csv", None, None),
                                   ("shcp", "http://x/a.csv", None, None), ("shcp", "http://x/page", None, None),
                                   ("shcp", "http://x/shared.csv", None, None)]
        assert before["files"] == [("http://x/a.csv", "a", "shcp")]

        _downgrade(store)
        assert BEFORE in current_revisions(store.engine)
        with store.engine.connect() as conn:
            old = conn.execute(sa.text(
                "SELECT r.identifier, ru.role, u.url FROM record_urls ru JOIN records r ON r.hash = ru.record_hash"
                " JOIN urls u ON u.id = ru.url_id")).all()
        assert sorted(map(tuple, old)) == [
            ("a", "access", "http://x/page"), ("a", "download", "http://x/a.csv"),
            ("a", "download", "http://x/shared.csv"), ("b", "download", "http://x/shared.csv"),
            ("c", "access", "http://x/c")]
        if store.engine.dialect.name == "sqlite":  # as an interrupted conversion leaves it
            with store.engine.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE records_new (id INTEGER)")

    with Store.open(db_url) as store:  # opening migrates it back
        assert current_revisions(store.engine) == head_revisions()
        assert _reads(store, run.id) == before
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(t.record_urls)).scalar_one() == 5
        # New records take ids after the migrated ones, and their links read as any other.
        cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
        run2 = store.open_run(cat, "demo", "ckan").run
        store.save_page(run2, [_ds("d", "shcp", download=("http://x/d.csv", "http://x/a.csv"))], {"page": 1}, 0)
        run2 = store.finish_run(run2)
        assert sorted(u for _, u, _, _ in publisher_links(store, run2.id)) == ["http://x/a.csv", "http://x/d.csv"]
        with store.engine.connect() as conn:
            ids = dict(conn.execute(sa.select(t.records.c.identifier, t.records.c.id)).all())
        assert ids["d"] > max(ids["a"], ids["b"], ids["c"])
