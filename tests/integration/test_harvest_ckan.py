"""CKAN harvesting against a real loopback CKAN-API server serving the 866 real
datos.gob.ar packages, on SQLite and PostgreSQL, with injected failures."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from govlens.demo.server import CkanServer, Reply
from govlens.run.harvest import harvest
from govlens.store import Store
from helpers import ar_packages, options, settings


@pytest.fixture(scope="module")
def packages(shared_data: Path) -> list[dict[str, Any]]:
    return ar_packages(shared_data)


def _searches(server: CkanServer) -> list[dict[str, str]]:
    out = []
    for r in server.requests:
        parts = urlsplit(r)
        if parts.path.endswith("/package_search"):
            out.append({k: v[-1] for k, v in parse_qs(parts.query).items()})
    return out


def test_full_harvest_matches_the_source(db_url: str, packages: list[dict[str, Any]]) -> None:
    with CkanServer(packages, site_title="datos.gob.ar") as server:
        info = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=200))
    assert info.status == "complete", info.errors
    assert (info.datasets, info.distributions, info.publishers) == (866, 4034, 32)
    assert info.kind == "ckan"
    with Store.open(db_url) as store:
        run = store.latest_run("ar")
        stored = {sd.identifier: sd for sd in store.iter_datasets(run.id)}
        assert set(stored) == {p["id"] for p in packages}
        assert store.catalogue("ar").title == "datos.gob.ar"
        ds = stored["aaip_02"].dataset
    assert ds.publisher is not None and ds.publisher.key == "aaip"
    assert ds.publisher.name == "Agencia de Acceso a la Información Pública"
    assert ds.accrual_periodicity == "R/P3M" and ds.issued == "2020-02-08"
    assert ds.language == ("SPA",) and "GOVE" in ds.themes
    dist = ds.distributions[0]
    assert dist.access_urls == (
        "https://www.argentina.gob.ar/aaip/accesoinformacion/datospublicos",
        "https://descarga.aaip.gob.ar/dataset/dataset_reclamos.csv",
    )
    assert dist.format == "CSV" and dist.licence == ds.licence
    assert ds.source is not None and ds.source.profile == "ckan-andino"
    assert '"aaip_02"' in ds.source.text
    # Pages were asked in a stable order, 200 rows at a time, and each was committed.
    assert [s["start"] for s in _searches(server)] == ["0", "200", "400", "600", "800"]
    assert all(s["sort"] == "metadata_created asc, id asc" for s in _searches(server))


def test_worker_processes_give_the_same_records(sqlite_url: str, tmp_path: Path,
                                                packages: list[dict[str, Any]]) -> None:
    other = f"sqlite:///{tmp_path / 'threads.sqlite'}"
    with CkanServer(packages) as server:
        pooled = harvest(settings(sqlite_url), server.url, catalogue="ar",
                         options=options(rows=100, pool_from=100))
        threaded = harvest(settings(other), server.url, catalogue="ar", options=options(rows=100))
    assert pooled.status == threaded.status == "complete"
    assert (pooled.datasets, pooled.distributions, pooled.warnings) == (866, 4034, threaded.warnings)

    def hashes(url: str, run: int) -> dict[str, str]:
        with Store.open(url) as store:
            return {sd.identifier: sd.record_hash for sd in store.iter_datasets(run)}

    assert hashes(sqlite_url, pooled.run) == hashes(other, threaded.run)


def test_pages_are_written_together_when_the_database_lags(db_url: str, tmp_path: Path,
                                                          packages: list[dict[str, Any]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    batches: list[int] = []
    write_pages = Store.write_pages

    def slow(self: Store, run: Any, batch: Any) -> int:
        batches.append(len(batch))
        time.sleep(0.3)  # a database slower than the source: pages pile up meanwhile
        return write_pages(self, run, batch)

    other = f"sqlite:///{tmp_path / 'prompt.sqlite'}"
    with CkanServer(packages) as server:
        prompt = harvest(settings(other), server.url, catalogue="ar", options=options(rows=50))
        monkeypatch.setattr(Store, "write_pages", slow)
        lagging = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=50))
    assert lagging.status == prompt.status == "complete"
    assert (lagging.datasets, lagging.distributions, lagging.warnings) == (866, 4034, prompt.warnings)
    assert max(batches) > 1 and sum(batches) == 18  # every page written once, several per transaction
    with Store.open(db_url) as store:
        assert store.run(lagging.run).pages == 18
        got = {sd.identifier: sd.record_hash for sd in store.iter_datasets(lagging.run)}
    with Store.open(other) as store:
        assert got == {sd.identifier: sd.record_hash for sd in store.iter_datasets(prompt.run)}


def test_pages_are_gathered_while_more_are_coming(db_url: str, packages: list[dict[str, Any]],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from govlens.run import harvest as pipeline

    batches: list[int] = []
    write_pages = Store.write_pages

    def spy(self: Store, run: Any, batch: Any) -> int:
        batches.append(len(batch))
        return write_pages(self, run, batch)

    monkeypatch.setattr(pipeline, "GATHER_WAIT", 600.0)  # only the page count decides
    monkeypatch.setattr(Store, "write_pages", spy)
    with CkanServer(packages) as server:
        info = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=50))
    assert info.status == "complete" and info.datasets == 866
    # 18 pages: each transaction but the last (the end of the source flushes) holds four or more.
    assert sum(batches) == 18 and all(n >= pipeline.GATHER for n in batches[:-1]) and batches[-1] >= 1
    with Store.open(db_url) as store:
        assert store.run(info.run).pages == 18


def test_a_slow_source_commits_a_page_without_waiting_for_the_next(
        db_url: str, packages: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from govlens.run import harvest as pipeline

    seen: list[int] = []

    def committed() -> int:
        import sqlalchemy as sa

        from govlens.store import schema as t

        with Store.open(db_url) as store, store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.runs.c.pages), 0))).scalar_one())

    def stalled(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        # The second page is served only once the first is committed (or after 60 s).
        if path.endswith("package_search") and q.get("start", "0") != "0" and not seen:
            deadline = time.monotonic() + 60
            while committed() < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            seen.append(committed())
        return None

    monkeypatch.setattr(pipeline, "GATHER_WAIT", 0.2)
    with CkanServer(packages[:120], fault=stalled) as server:
        info = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=50))
    assert info.status == "complete" and info.datasets == 120
    assert seen and seen[0] == 1  # the first page was committed alone while the source stalled


@pytest.mark.parametrize("suffix", ["", "/", "/api/3", "/api/action", "/api/3/action/package_search"])
def test_accepts_root_and_api_urls(sqlite_url: str, packages: list[dict[str, Any]], suffix: str) -> None:
    with CkanServer(packages[:30], base_path="/portal") as server:
        info = harvest(settings(sqlite_url), server.url + suffix, catalogue="ar", options=options())
    assert info.status == "complete" and info.datasets == 30


def test_page_shrinks_on_5xx_and_grows_back(sqlite_url: str, packages: list[dict[str, Any]]) -> None:
    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search") and int(q["rows"]) > 150:
            return Reply(503, b"Service Unavailable", "text/plain")
        return None

    with CkanServer(packages, fault=fault) as server:
        info = harvest(settings(sqlite_url), server.url, catalogue="ar", options=options(rows=1000))
    assert info.status == "complete" and info.datasets == 866
    rows = [int(s["rows"]) for s in _searches(server)]
    # 1000 fails, shrinks to 333 (fails), to 111 (served); then grows by a fifth each page.
    assert rows[:4] == [1000, 333, 111, 134]
    assert max(r for r in rows if r <= 150) > 111


def test_timeouts_shrink_the_page(sqlite_url: str, packages: list[dict[str, Any]]) -> None:
    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search") and int(q["rows"]) > 100:
            return Reply(200, b"{}", "application/json", delay=1.5)
        return None

    with CkanServer(packages[:300], fault=fault) as server:
        info = harvest(settings(sqlite_url, timeout=0.5), server.url, catalogue="ar",
                       options=options(rows=300))
    assert info.status == "complete" and info.datasets == 300
    assert [int(s["rows"]) for s in _searches(server)][:2] == [300, 100]


def test_429_honours_retry_after_without_shrinking(sqlite_url: str, packages: list[dict[str, Any]]) -> None:
    seen: list[int] = []

    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search"):
            seen.append(n)
            if len(seen) == 2:
                return Reply(429, b"slow down", "text/plain", headers={"Retry-After": "1"})
        return None

    with CkanServer(packages[:90], fault=fault) as server:
        info = harvest(settings(sqlite_url), server.url, catalogue="ar", options=options(rows=30))
    assert info.status == "complete" and info.datasets == 90
    searches = _searches(server)
    # The refused page is asked again with the same offset and size.
    assert (searches[1]["start"], searches[1]["rows"]) == (searches[2]["start"], searches[2]["rows"])


def test_failure_keeps_stored_pages_and_resume_completes(db_url: str, packages: list[dict[str, Any]]) -> None:
    broken = {"on": True}

    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if broken["on"] and path.endswith("package_search") and int(q["start"]) >= 400:
            return Reply(500, b"Internal Server Error", "text/plain")
        return None

    with CkanServer(packages, fault=fault) as server:
        first = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=200))
        assert first.status == "failed"
        assert first.datasets == 400
        (err,) = first.errors
        assert err.error == "SourceUnavailable" and "HTTP 500" in err.message
        assert err.source == server.url and err.page is not None and "start=400" in err.page
        broken["on"] = False
        second = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=200))
    assert second.status == "complete" and second.resumed and second.run == first.run
    assert second.datasets == 866
    # The resumed run asked only for what it did not have.
    starts = [int(s["start"]) for s in _searches(server)]
    assert starts.count(0) == 1


def test_a_worker_process_killed_is_a_clear_error_and_resume_completes(
        db_url: str, packages: list[dict[str, Any]]) -> None:
    """An encoding worker killed (by the system when memory runs out, say) fails the run with
    WorkerLost, not a traceback; the pages stored stay and the next harvest resumes."""
    import multiprocessing as mp
    import os
    import signal

    killed: list[int] = []

    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if not killed and path.endswith("package_search") and int(q["start"]) >= 400:
            for child in mp.active_children():  # the harvest's encoding workers
                os.kill(child.pid or 0, signal.SIGKILL)
                child.join(10)
                killed.append(child.pid or 0)
        return None

    opts = options(rows=200, pool_from=100)
    with CkanServer(packages, fault=fault) as server:
        first = harvest(settings(db_url), server.url, catalogue="ar", options=opts)
        assert killed
        assert first.status == "failed"
        (err,) = first.errors
        assert err.error == "WorkerLost" and "harvest again to resume" in err.message
        assert err.source == server.url and err.page is not None and "package_search" in err.page
        second = harvest(settings(db_url), server.url, catalogue="ar", options=opts)
    assert second.status == "complete" and second.resumed and second.run == first.run
    assert (second.datasets, second.distributions) == (866, 4034)
    with Store.open(db_url) as store:
        ids = [sd.identifier for sd in store.iter_datasets(second.run)]
    assert sorted(ids) == sorted(p["id"] for p in packages)


def test_invalid_json_is_a_clear_error(sqlite_url: str, packages: list[dict[str, Any]]) -> None:
    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search") and q["start"] == "50":
            return Reply(200, b'{"success": true, "result": {"count": 3, "results": [', "application/json")
        return None

    with CkanServer(packages[:100], fault=fault) as server:
        info = harvest(settings(sqlite_url), server.url, catalogue="ar", options=options(rows=50))
    assert info.status == "failed" and info.datasets == 50
    assert info.errors[0].error == "SourceFormatError"
    assert "invalid JSON" in info.errors[0].message and "start=50" in str(info.errors[0].page)


def test_dataset_gone_at_the_source_is_withdrawn(db_url: str, packages: list[dict[str, Any]]) -> None:
    with CkanServer(packages[:120]) as server:
        first = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=50))
        server.packages = packages[10:120]
        second = harvest(settings(db_url), server.url, catalogue="ar", options=options(rows=50))
    assert (first.datasets, second.datasets, second.withdrawn) == (120, 110, 10)
    with Store.open(db_url) as store:
        gone = [sd.identifier for sd in store.iter_datasets(second.run, include_withdrawn=True)
                if sd.state == "withdrawn"]
        # Unchanged records are stored once across runs.
        import sqlalchemy as sa

        from govlens.store import schema as t

        with store.engine.connect() as conn:
            records = conn.execute(sa.select(sa.func.count()).select_from(t.records)).scalar_one()
    assert sorted(gone) == sorted(p["id"] for p in packages[:10])
    assert records == 120


def test_not_a_ckan_site_is_refused_clearly(sqlite_url: str) -> None:
    with CkanServer([]) as server:
        info = harvest(settings(sqlite_url), server.url + "/nothing-here", options=options())
    assert info.status == "failed"
    assert info.errors[0].error == "UnknownSourceKind" or info.errors[0].error == "SourceRejected"


def test_a_page_over_the_size_limit_is_refused_clearly(sqlite_url: str, packages: list[dict[str, Any]]) -> None:
    with CkanServer(packages[:100]) as server:
        url = server.url
        info = harvest(settings(sqlite_url), url, catalogue="ar",
                       options=options(rows=50, max_response_bytes=200_000))
    assert info.status == "failed" and info.datasets == 0
    (err,) = info.errors
    assert err.error == "SourceRejected" and "too large" in err.message and "limit 200000" in err.message
    assert err.source == url and err.page == "package_search start=0 rows=50"


def _stored(db_url: str, run: int) -> list[str]:
    with Store.open(db_url) as store:
        return [sd.identifier for sd in store.iter_datasets(run)]


@pytest.mark.parametrize("pool_from", [100, 10_000], ids=["processes", "thread"])
def test_a_rows_max_met_after_the_page_grew_restarts_from_the_served_offset(
        sqlite_url: str, packages: list[dict[str, Any]], pool_from: int) -> None:
    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search") and int(q["rows"]) > 200:
            return Reply(503, b"Service Unavailable", "text/plain")
        return None

    with CkanServer(packages, fault=fault, rows_max=150) as server:
        info = harvest(settings(sqlite_url), server.url, catalogue="ar",
                       options=options(rows=1000, pool_from=pool_from))
    assert info.status == "complete", info.errors
    got = _stored(sqlite_url, info.run)
    assert len(got) == len(set(got)) == info.datasets == 866
    assert set(got) == {p["id"] for p in packages}
    asked = [(int(s["start"]), int(s["rows"])) for s in _searches(server)]
    # 111 and 134 rows are served; 161 asked at 245 gets the server's 150, so the page read
    # ahead at 245 + 161 is dropped and the harvest goes on from 395, 150 rows at a time.
    assert asked[2:5] == [(0, 111), (111, 134), (245, 161)]
    # The pages read ahead meanwhile (at 406, and the shrinking retries of their 503s) are
    # dropped too, and do not change the page size: every page from 395 on is asked for 150 rows.
    assert [a for a in asked if a[1] == 150] == [(s, 150) for s in range(395, 866, 150)]


def test_a_catalogue_growing_or_shrinking_during_the_harvest(
        db_url: str, packages: list[dict[str, Any]]) -> None:
    def grow(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search") and q["start"] == "200" and len(server.packages) == 300:
            server.packages = packages[:330]  # created during the harvest: they come last
        return None

    with CkanServer(packages[:300], fault=grow) as server:
        grown = harvest(settings(db_url), server.url, catalogue="grows", options=options(rows=100))
    assert grown.status == "complete" and grown.datasets == 330
    assert set(_stored(db_url, grown.run)) == {p["id"] for p in packages[:330]}

    def shrink(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search") and q["start"] == "100":
            server.packages = packages[:250]
        return None

    with CkanServer(packages[:300], fault=shrink) as server:
        shrunk = harvest(settings(db_url), server.url, catalogue="shrinks", options=options(rows=100))
    assert shrunk.status == "complete" and shrunk.datasets == 250
    assert set(_stored(db_url, shrunk.run)) == {p["id"] for p in packages[:250]}


@pytest.mark.parametrize("pool_from", [100, 10_000], ids=["processes", "thread"])
def test_a_second_run_stores_only_what_changed(db_url: str, packages: list[dict[str, Any]],
                                               pool_from: int) -> None:
    import sqlalchemy as sa

    from govlens.store import schema as t

    def counts() -> tuple[int, int, int]:
        with Store.open(db_url) as store, store.engine.connect() as conn:
            return tuple(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                         for table in (t.records, t.urls, t.record_urls))  # type: ignore[return-value]

    opts = options(rows=200, pool_from=pool_from)
    with CkanServer(packages) as server:
        first = harvest(settings(db_url), server.url, catalogue="ar", options=opts)
        before = counts()
        # The second run finds every record stored by the first, bar one that changed and one new.
        changed = [dict(p) for p in packages]
        changed[5] = {**changed[5], "title": "Un título nuevo"}
        new = {**packages[7], "id": "nuevo-1", "name": "nuevo-1",
               "resources": [{**packages[7]["resources"][0], "id": "r-nuevo",
                              "url": "http://example.org/nuevo.csv"}]}
        server.packages = [*changed, new]
        second = harvest(settings(db_url), server.url, catalogue="ar", options=opts)
    assert first.status == second.status == "complete", second.errors
    assert (first.datasets, second.datasets) == (866, 867)
    after = counts()
    assert after[0] == before[0] + 2  # the changed record and the new one
    assert after[1] == before[1] + 1  # the new one's URL
    with Store.open(db_url) as store:
        assert store.dataset(second.run, changed[5]["id"]).dataset.title == "Un título nuevo"
        fresh = store.dataset(second.run, "nuevo-1").dataset
        same = store.dataset(second.run, packages[0]["id"])
        assert same.record_hash == store.dataset(first.run, packages[0]["id"]).record_hash
    assert fresh.distributions[0].download_urls == ("http://example.org/nuevo.csv",) or \
        "http://example.org/nuevo.csv" in fresh.distributions[0].access_urls
