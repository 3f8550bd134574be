from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.store import Store
from govlens.store.schema import metadata


def _ds(ident: str, pub: str = "shcp", title: str = "t", urls: tuple[str, ...] = ()) -> Dataset:
    return Dataset(
        identifier=ident,
        title=title,
        publisher=Publisher(key=pub, name=pub.upper()),
        distributions=tuple(
            Distribution(id=f"{ident}-{i}", download_urls=(u,)) for i, u in enumerate(urls)
        ),
    )


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_run_snapshot_roundtrip_and_dedup(store: Store) -> None:
    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    r1 = store.open_run(cat, "demo", "ckan")
    assert not r1.resumed
    added = store.save_page(
        r1.run, [_ds("a", urls=("http://x/1", "http://x/2")), _ds("b"), _ds("a")], {"page": 1}, 0
    )
    assert added == 2
    done = store.finish_run(r1.run)
    assert (done.status, done.datasets, done.distributions, done.publishers) == ("complete", 2, 2, 1)

    r2 = store.open_run(cat, "demo", "ckan")
    store.save_page(r2.run, [_ds("a", urls=("http://x/1", "http://x/2"))], {"page": 1}, 0)
    done2 = store.finish_run(r2.run)
    assert (done2.datasets, done2.withdrawn) == (1, 1)

    with store.engine.connect() as conn:
        n_records = conn.execute(sa.text("select count(*) from records")).scalar_one()
        n_urls = conn.execute(sa.text("select count(*) from urls")).scalar_one()
    assert n_records == 2  # "a" unchanged between runs: stored once
    assert n_urls == 2

    latest = store.latest_run("mx")
    assert latest.id == done2.id
    got = list(store.iter_datasets(latest.id))
    assert [d.identifier for d in got] == ["a"]
    assert got[0].dataset == _ds("a", urls=("http://x/1", "http://x/2"))
    withdrawn = [d for d in store.iter_datasets(latest.id, include_withdrawn=True) if d.state == "withdrawn"]
    assert [d.identifier for d in withdrawn] == ["b"]


def test_unfinished_run_resumes(store: Store) -> None:
    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    r1 = store.open_run(cat, "demo", "ckan")
    store.save_page(r1.run, [_ds("a"), _ds("b")], {"start": 2}, 0)
    again = store.open_run(cat, "demo", "ckan")
    assert again.resumed and again.run.id == r1.run.id
    assert again.next_seq == 2
    assert again.run.cursor == '{"start":2}'
    store.save_page(again.run, [_ds("b"), _ds("c")], {"start": 4}, again.next_seq)
    done = store.finish_run(again.run)
    assert done.datasets == 3


def test_pages_written_together_commit_as_one(store: Store) -> None:
    from govlens.store.pages import encode_page

    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    run = store.open_run(cat, "demo", "ckan").run
    store.save_page(run, [_ds("a")], {"start": 1}, 0)
    batch = [
        (encode_page([_ds("b", urls=("http://x/1",)), _ds("a", title="again")]), {"start": 3}, 1),
        (encode_page([_ds("c", pub="sep", urls=("http://x/1", "http://x/2")), _ds("b")]), {"start": 5}, 3),
    ]
    # "a" is already in the run and "b" comes twice: the first one wins, each is counted once
    assert store.write_pages(run, batch) == 2
    again = store.open_run(cat, "demo", "ckan")
    assert again.run.cursor == '{"start":5}' and again.run.pages == 3 and again.next_seq == 4
    done = store.finish_run(again.run)
    assert (done.datasets, done.distributions, done.publishers) == (3, 3, 2)
    got = {d.identifier: d.dataset.title for d in store.iter_datasets(done.id)}
    assert got == {"a": "t", "b": "t", "c": "t"}
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from record_urls")).scalar_one() == 3
        assert conn.execute(sa.text("select count(*) from urls")).scalar_one() == 2


def test_a_record_in_two_pages_of_a_batch_has_its_urls_written_once(store: Store) -> None:
    from govlens.store.pages import encode_page

    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    run = store.open_run(cat, "demo", "ckan").run
    same = _ds("d", urls=("http://x/1", "http://x/2"))  # served twice: a deletion shifted the offsets
    batch = [
        (encode_page([same, _ds("e", urls=("http://x/2",))]), {"start": 2}, 0),
        (encode_page([_ds("f", urls=("http://x/3",)), same]), {"start": 4}, 2),
    ]
    assert store.write_pages(run, batch) == 3
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("select r.identifier, u.url from record_urls ru join records r"
                                    " on r.id = ru.record_id join urls u on u.id = ru.url_id")).all()
    assert sorted(map(tuple, rows)) == [("d", "http://x/1"), ("d", "http://x/2"), ("e", "http://x/2"),
                                        ("f", "http://x/3")]


def test_a_record_known_to_be_stored_is_not_compressed_again_nor_its_urls_hashed(store: Store) -> None:
    import pytest

    from govlens.errors import StoreError
    from govlens.store import codec
    from govlens.store.pages import encode_page

    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    run = store.open_run(cat, "demo", "ckan").run
    old, new = _ds("d", urls=("http://x/1",)), _ds("e", urls=("http://x/2",))
    stored = encode_page([old])
    assert store.write_pages(run, [(stored, {"start": 1}, 0)]) == 1
    [h] = stored.records
    page = encode_page([old, new], known=frozenset({bytes.fromhex(h)}))
    assert page.records[h] == ("d", None)  # no body: the store has it
    assert [link[0] for link in page.links] != [] and h not in {link[0] for link in page.links}
    assert set(page.urls.values()) == {"http://x/2"}
    assert page.members[0][1] == h  # the dataset still joins the run with its record
    nxt = store.open_run(cat, "demo2", "ckan").run
    assert store.write_pages(nxt, [(page, {"start": 2}, 0)]) == 2
    with store.engine.connect() as conn:
        body = conn.execute(sa.text("select body from records where hash = :h"), {"h": h}).scalar_one()
    assert codec.load_record(body).identifier == "d"
    # A record taken for stored that the store does not hold is an error, not a record lost.
    ghost = encode_page([_ds("g")], known=frozenset({bytes.fromhex(codec.record_hash(codec.encode_record(_ds("g"))))}))
    with pytest.raises(StoreError, match="not in the store"):
        store.write_pages(nxt, [(ghost, {"start": 3}, 2)])


def test_sqlite_writer_turns_foreign_keys_back_on(sqlite_url: str) -> None:
    """Pages are written without SQLite's foreign key checks; every later use of the pooled
    connection has them again, and a dangling reference is still refused there."""
    with Store.open(sqlite_url) as store:
        cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
        run = store.open_run(cat, "demo", "ckan").run
        store.save_page(run, [_ds("a", urls=("http://x/1",))], {"start": 1}, 0)
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA page_size").scalar_one() == 16384  # a new file
            try:
                conn.exec_driver_sql(
                    "INSERT INTO run_datasets (run_id, identifier, record_hash, state, seq) "
                    f"VALUES ({run.id}, 'x', 'no-such-record', 'present', 9)")
            except sa.exc.IntegrityError:
                refused = True
            else:
                refused = False
            conn.rollback()
        assert refused
        assert [d.identifier for d in store.iter_datasets(run.id)] == ["a"]


def test_a_full_disk_is_a_clear_store_error_and_keeps_what_was_stored(tmp_path: Path) -> None:
    import pytest

    from govlens.errors import StoreError

    with Store.open(f"sqlite:///{tmp_path / 'full.sqlite'}") as store:
        cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
        run = store.open_run(cat, "demo", "ckan").run
        store.save_page(run, [_ds("a"), _ds("b")], {"start": 2}, 0)
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

        def no_room(dbapi_connection: Any, *_: Any) -> None:  # the disk fills up
            dbapi_connection.execute(f"PRAGMA max_page_count={pages + 1}")

        sa.event.listen(store.engine, "checkout", no_room)
        big = [_ds(f"d{i}", title="x" * 20_000 + str(i)) for i in range(50)]
        with pytest.raises(StoreError) as info:
            store.save_page(run, big, {"start": 52}, 2)
        sa.event.remove(store.engine, "checkout", no_room)
        # What the database said, without SQLAlchemy's statement, parameters and help link.
        assert info.value.context["cause"] == "database or disk is full"
        assert "sqlalche.me" not in str(info.value) and "INSERT" not in str(info.value)
        assert [sd.identifier for sd in store.iter_datasets(run.id)] == ["a", "b"]
