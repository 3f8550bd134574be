"""Probe runs in the store (SQLite and PostgreSQL): history, persistence across runs, resume."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import trustme

from govlens.aggregate.links import health_fields, link_health
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.probe import Guard, ProbeSettings
from govlens.run.probe import probe, probe_catalogues
from govlens.store import RunRow, Store
from govlens.store import links as stored
from linkserver import LinkServer
from probe_fixtures import StubResolver, server, tripwire  # noqa: F401 - fixtures

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
S = ProbeSettings(allow_hosts=("127.0.0.1",), timeout=3.0, min_interval=0.0, per_host=8, retries=0)


def harvest(store: Store, urls: Mapping[str, Sequence[str]], name: str = "mx") -> RunRow:
    cat = store.ensure_catalogue(Catalogue(name=name, source="test", kind="ckan"))
    opened = store.open_run(cat, "test", "ckan")
    datasets = [
        Dataset(
            identifier=f"{pub}-{i}",
            publisher=Publisher(key=pub, name=pub.upper()),
            distributions=(Distribution(id=f"{pub}-{i}-d", access_urls=(u,), download_urls=(u,)),),
        )
        for pub, group in urls.items()
        for i, u in enumerate(group)
    ]
    store.save_page(opened.run, datasets, {"page": 1}, 0)
    return store.finish_run(opened.run)


def at(t: datetime) -> Any:
    return lambda: t


def test_probe_records_states_and_lists_them(store: Store, server: LinkServer) -> None:  # noqa: F811
    urls = {"shcp": [server.url("/ok.csv"), server.url("/status/404"), server.url("/status/500"),
                     "ftp://ftp.example.org/x.csv"],
            "inegi": [server.url("/ok.csv"), server.url("/retry-after/429?after=1"), "not a url"]}
    run = harvest(store, urls)
    [info] = probe(store, S, clock=at(T0))
    assert (info.run, info.catalogue, info.status, info.urls, info.checked) == (run.id, "mx", "complete", 6, 6)
    assert (info.ok, info.broken, info.failing, info.unknown, info.refused) == (1, 2, 1, 2, 1)
    assert info.newly_broken == 2 and not info.resumed

    states = stored.link_states(store, run.id)
    assert states[server.url("/ok.csv")].outcome == "ok"
    assert states[server.url("/status/404")].status == 404
    assert states[server.url("/status/500")].outcome == "failing"
    refused = states["ftp://ftp.example.org/x.csv"]
    assert (refused.outcome, refused.status) == ("unknown", None) and "refused" in (refused.reason or "")
    assert states["not a url"].outcome == "broken"
    assert states[server.url("/ok.csv")].checked_at == T0.isoformat()

    # a second probe of the same run has nothing to do
    [again] = probe(store, S)
    assert (again.requests, again.checked, again.status) == (0, 6, "complete")

    per, overall = link_health(stored.publisher_links(store, run.id))
    assert (overall.urls, overall.ok, overall.broken, overall.newly_broken) == (6, 1, 2, 2)
    assert (per["shcp"].urls, per["shcp"].broken, per["inegi"].urls) == (4, 1, 3)
    fields = health_fields(per["shcp"])
    assert fields["links_ok_share"] == 0.25 and fields["links_newly_broken"] == 1


def test_persistence_rule_across_runs(store: Store, server: LinkServer) -> None:  # noqa: F811
    url = server.url("/state/flaky")
    server.states["flaky"] = 500
    outcomes = []
    for hours in (0, 2, 25):
        run = harvest(store, {"shcp": [url, server.url("/ok.csv")]})
        probe(store, S, clock=at(T0 + timedelta(hours=hours)))
        outcomes.append(stored.link_states(store, run.id)[url].outcome)
    assert outcomes == ["failing", "failing", "broken"]
    assert stored.newly_broken(store, run.id) == [url]
    broken_run = run

    server.states["flaky"] = 200
    run = harvest(store, {"shcp": [url, server.url("/ok.csv")]})
    [info] = probe(store, S, clock=at(T0 + timedelta(days=3)))
    assert stored.link_states(store, run.id)[url].outcome == "ok" and info.newly_broken == 0
    # history: the state as of an earlier run stays what it was then
    assert stored.link_states(store, broken_run.id)[url].outcome == "broken"
    history = stored.url_history(store, url)
    assert [h["outcome"] for h in history] == ["failing", "failing", "broken", "ok"]
    assert [h["failures"] for h in history] == [1, 2, 3, 0]
    assert history[2]["failing_since"] == T0 and history[2]["checked_at"] == T0 + timedelta(hours=25)


def test_interrupted_probe_resumes_without_rechecking(store: Store, server: LinkServer) -> None:  # noqa: F811
    paths = [f"/f/resume-{store.dialect}-{i}.csv" for i in range(120)]
    run = harvest(store, {"shcp": [server.url(p) for p in paths]})
    s = ProbeSettings(allow_hosts=("127.0.0.1",), per_host=2, concurrency=2, min_interval=0.0)

    class CancelAfter:
        def __init__(self, task_box: list[asyncio.Task[Any]], n: int) -> None:
            self.box, self.n, self.seen = task_box, n, 0

        def start(self, run: RunRow, total: int, done: int) -> None:
            pass

        def advance(self, n: int = 1) -> None:
            self.seen += n
            if self.seen == self.n:
                self.box[0].cancel()

        def stop(self) -> None:
            pass

    async def interrupted() -> None:
        box: list[asyncio.Task[Any]] = []
        task = asyncio.ensure_future(probe_catalogues(store, s, progress=CancelAfter(box, 40)))
        box.append(task)
        try:
            await task
        except asyncio.CancelledError:
            return
        raise AssertionError("the probe was not interrupted")

    asyncio.run(interrupted())
    [first] = stored.probe_runs(store, run.id)
    assert first.status == "failed"
    with store.engine.connect() as conn:
        done = conn.execute(
            sa.select(sa.text("u.url")).select_from(sa.text("link_checks c join urls u on u.id = c.url_id"))
        ).scalars().all()
    assert 40 <= len(done) < 120

    [info] = probe(store, s)
    assert info.resumed and info.status == "complete" and info.checked == 120 and info.ok == 120
    assert info.requests <= 120 - len(done) + 2  # at most the two in flight were asked twice
    for url in done:
        assert server.requests_to(url.split(str(server.port), 1)[1]) == 1, url
    assert [p.status for p in stored.probe_runs(store, run.id)] == ["complete"]
    with store.engine.connect() as conn:
        left = conn.execute(sa.text("select count(*) from probe_queue")).scalar_one()
    assert left == 0


def test_each_check_records_its_fields(store: Store, server: LinkServer) -> None:  # noqa: F811
    ok, missing, hang = server.url("/redirect/2"), server.url("/status/410"), server.url("/hang")
    run = harvest(store, {"shcp": [ok, missing, hang]})
    probe(store, replace(S, timeout=0.5, connect_timeout=0.5), clock=at(T0))
    rows = {r["url"]: r for r in stored.iter_checks(store, [run.id])}
    assert {k: rows[ok][k] for k in ("outcome", "verdict", "status", "final_url", "redirects", "method",
                                     "content_type", "content_length", "last_modified", "etag",
                                     "error_class", "reason", "checked_at")} == {
        "outcome": "ok", "verdict": "ok", "status": 200, "final_url": server.url("/ok.csv"), "redirects": 2,
        "method": "HEAD", "content_type": "text/csv", "content_length": 8,
        "last_modified": "Wed, 21 Oct 2015 07:28:00 GMT", "etag": '"abc"', "error_class": None,
        "reason": "HTTP 200 OK", "checked_at": T0}
    assert rows[ok]["elapsed_ms"] >= 0
    assert (rows[missing]["outcome"], rows[missing]["status"], rows[missing]["method"]) == ("broken", 410, "GET")
    assert rows[missing]["reason"] == "HTTP 410 Gone (GET; HEAD answered 410)"
    timed_out = rows[hang]
    assert (timed_out["outcome"], timed_out["status"], timed_out["error_class"]) == ("unknown", None, "timeout")
    assert timed_out["final_url"] is None and timed_out["elapsed_ms"] >= 0


@pytest.fixture(scope="module")
def tls_server() -> Iterator[LinkServer]:
    ca = trustme.CA()  # a CA nobody trusts: every handshake fails certificate verification
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("files.example").configure_cert(ctx)
    with LinkServer(tls=ctx) as s:
        yield s


def test_a_tls_error_is_unknown_when_first_seen_then_failing_then_broken(
    store: Store, tls_server: LinkServer
) -> None:
    url = f"https://files.example:{tls_server.tls_port}/ok.csv"
    guard = Guard(["127.0.0.1"], resolver=StubResolver({"files.example": ["127.0.0.1"]}))
    seen = []
    for hours in (0, 2, 25):
        run = harvest(store, {"shcp": [url]})
        probe(store, S, clock=at(T0 + timedelta(hours=hours)), guard=guard)
        state = stored.link_states(store, run.id)[url]
        seen.append((state.outcome, state.status))
    assert seen == [("unknown", None), ("failing", None), ("broken", None)]
    history = stored.url_history(store, url)
    assert [h["error_class"] for h in history] == ["tls", "tls", "tls"]
    assert history[0]["reason"].startswith("TLS error") and "first time" in history[0]["reason"]


def failing_rows(probe_run: int, queued: Sequence[stored.QueuedURL], since: datetime) -> list[tuple[Any, ...]]:
    """Check rows (``govlens.run.probe.ROW_COLUMNS``) of queued URLs: each failing with HTTP 500."""
    return [(probe_run, q.url_id, T0, "failing", "failure", 500, None, 0, "GET", None, None, None, None, 7,
             None, f"HTTP 500 for {q.url}", 2, since, None) for q in queued]


def test_check_rows_are_written_in_bulk_and_idempotently(store: Store) -> None:
    urls = [f"http://files.example/bulk/{i}.csv" for i in range(1203)]  # three statements of rows
    run = harvest(store, {"shcp": urls})
    opened = stored.open_probe(store, run.id)
    queued = [q for page in stored.pending(store, opened.probe.id) for q in page]
    assert sorted(q.url for q in queued) == sorted(urls)
    since = T0 - timedelta(days=2)
    rows = failing_rows(opened.probe.id, queued, since)
    from govlens.run.probe import ROW_COLUMNS

    stored.save_check_values(store, ROW_COLUMNS, rows[:700])
    stored.save_check_values(store, ROW_COLUMNS, rows)  # the first 700 again: kept as they were
    assert list(stored.pending(store, opened.probe.id)) == []
    assert stored.outcome_counts(store, opened.probe.id)["failing"] == 1203
    stored.finish_probe(store, opened.probe.id, complete=True)
    history = stored.url_history(store, urls[1000])
    assert [(h["status"], h["reason"], h["failures"], h["failing_since"], h["checked_at"]) for h in history] == [
        (500, f"HTTP 500 for {urls[1000]}", 2, since, T0)]
    # the next probe run of these URLs starts from that streak
    later = harvest(store, {"shcp": urls})
    nxt = stored.open_probe(store, later.id)
    streaks = {(q.failures, q.failing_since) for page in stored.pending(store, nxt.probe.id) for q in page}
    assert streaks == {(2, since)}


def watch_pragma(store: Store, name: str) -> tuple[list[str], list[Any]]:
    """The statements naming the pragma ``name`` and the raw connections checked out, as they come."""
    sent: list[str] = []
    checked_out: list[Any] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cur, sql, *_: sent.append(sql) if name in sql else None)
    sa.event.listen(store.engine, "checkout", lambda raw, *_: checked_out.append(raw))
    return sent, checked_out


def pragma(store: Store, raw: Any, name: str) -> int | None:
    """The value of the SQLite pragma ``name`` on the raw connection ``raw`` (None elsewhere)."""
    if store.engine.dialect.name != "sqlite":
        return None
    cur = raw.cursor()
    try:
        cur.execute(f"PRAGMA {name}")
        return int(cur.fetchone()[0])
    finally:
        cur.close()


def test_the_small_sqlite_page_cache_is_given_back(store: Store) -> None:
    """The link-check writer and the bulk link statements run with a small SQLite page cache and
    leave each connection with the cache it had, also when the statement fails; on PostgreSQL
    they send no pragma at all."""
    from govlens.run.probe import ROW_COLUMNS
    from govlens.store._sql import sqlite_small_cache

    sqlite = store.engine.dialect.name == "sqlite"
    pragmas, checked_out = watch_pragma(store, "cache_size")

    def cache(raw: Any) -> int | None:
        return pragma(store, raw, "cache_size")

    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        before = cache(raw)
        with pytest.raises(LookupError), sqlite_small_cache(conn):
            inside = cache(raw)
            raise LookupError("the statement failed")
        assert (inside, cache(raw)) == ((-8192, before) if sqlite else (None, None))

    run = harvest(store, {"shcp": ["http://files.example/cache/1.csv", "http://files.example/cache/2.csv"]})
    opened = stored.open_probe(store, run.id)
    rows = failing_rows(opened.probe.id, [q for page in stored.pending(store, opened.probe.id) for q in page], T0)
    checked_out.clear()
    writer = stored.CheckWriter(store, ROW_COLUMNS)
    writer.save(rows[:1])
    [mine] = checked_out  # one connection for the writer's whole life
    during = cache(mine)
    writer.save(rows[1:])
    writer.close()
    assert stored.outcome_counts(store, opened.probe.id)["failing"] == 2
    if sqlite:
        assert (before, during, cache(mine)) == (-65536, -8192, -65536)  # the engine's own cache size
    else:
        assert pragmas == []


def test_publisher_links_leave_the_connection_the_temp_store_it_had(store: Store) -> None:
    """The per-publisher link reading spills its DISTINCT to a temporary file on SQLite and gives
    the pooled connection back with the temp_store it found (not a fixed one), also when the
    reader stops early; on PostgreSQL it sends no pragma."""
    sqlite = store.engine.dialect.name == "sqlite"
    run = harvest(store, {"shcp": [f"http://files.example/temp/{i}.csv" for i in range(3)]})
    pragmas, checked_out = watch_pragma(store, "temp_store")
    for found in (0, 2):  # DEFAULT, then MEMORY (the engine's own)
        with store.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA temp_store = {found}")
        checked_out.clear()
        reader = stored.publisher_links(store, run.id)
        assert isinstance(reader, Generator)
        first = next(reader)
        assert first[0] == "shcp" and checked_out[-1] is raw  # the same pooled connection
        during = pragma(store, raw, "temp_store")
        if found:
            reader.close()  # stops after one row
        else:
            assert len([first, *reader]) == 3
        assert (during, pragma(store, raw, "temp_store")) == ((1, found) if sqlite else (None, None))
    if not sqlite:
        assert pragmas == []


def test_a_stalled_database_holds_the_feeder_back(sqlite_url: str, tmp_path: Any) -> None:
    """While another connection holds SQLite's write lock, results pile up only to the
    writer's backlog: then the feeder waits (memory stays bounded) until writes go through."""
    import sqlite3

    from govlens.run.probe import ROW_COLUMNS, _Writer

    with Store.open(sqlite_url) as store:
        urls = [f"http://files.example/stall/{i}.csv" for i in range(50)]
        run = harvest(store, {"shcp": urls})
        opened = stored.open_probe(store, run.id)
        queued = [q for page in stored.pending(store, opened.probe.id) for q in page]
        rows = [(opened.probe.id, q.url_id, T0, "ok", "ok", 200, None, 0, "HEAD", None, None, None, None, 1,
                 None, "HTTP 200 OK", 0, None, None) for q in queued]
        assert len(ROW_COLUMNS) == len(rows[0])

        async def go() -> None:
            lock = sqlite3.connect(tmp_path / "govlens.sqlite", isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")  # the database is stalled for writers
            writer = _Writer(store, batch=10, backlog=40)
            for row in rows:
                writer.add(row)  # the first 10 go to a write that waits for the lock
            assert writer.waiting == 40
            room = asyncio.ensure_future(writer.room())
            done, _ = await asyncio.wait([room], timeout=0.5)
            assert not done  # the feeder is held back while the database is stalled
            lock.execute("ROLLBACK")
            lock.close()
            await room  # the stalled write went through and the next one took the backlog
            assert writer.waiting == 0
            await writer.drain()

        asyncio.run(go())
        assert stored.outcome_counts(store, opened.probe.id)["ok"] == 50
