"""Dashboard and API latency with a million datasets in PostgreSQL.

Loads N datasets (default 1,000,000), synthesised from the real CKAN records of
datos.gob.ar in ../shared/data, into a fresh PostgreSQL database through the
COPY (the rows the store's page writes would write), in two complete harvest runs (the second adds
10 % more datasets, so trends have two points). Both runs are assessed: each real
record is assessed once (MQA with SHACL, udata, stars) with a named publisher, its
scores are copied to its synthesised copies (``dataset_scores``, by COPY), and the
per-run, per-publisher quality roll-ups are built by the store's own code
(``store.quality_stats.rebuild``, timed). Measurement rows (one per metric, some
seventy per dataset) are not loaded: only the dataset pages read them, one dataset
at a time.

Then starts ``govlens serve`` (uvicorn, its own process), and measures with a real
HTTP client the latency of the overview and institution pages (which show the
metadata quality) and key API endpoints over many requests.

Side by side, in the same run: the per-publisher counts and the per-publisher
quality read from the per-run aggregates (what the pages use) against the same
figures grouped live from the million-row tables, and a static file as the
server's floor.

    python benchmarks/serve.py [--datasets 1000000] [--requests 200] [--reuse]

Target: p95 <= 300 ms for the overview and institution pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds scripts named like standard modules (inspect.py): keep them off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import dataclasses
import json
import os
import random
import socket
import statistics
import subprocess
import time

import httpx
import psycopg
import sqlalchemy as sa

from govlens.assess.assessment import DatasetAssessment, assess_dataset
from govlens.assess.metrics import DEFAULT_WEIGHTS
from govlens.model import Catalogue, Dataset, Publisher
from govlens.normalise.ckan import normalise
from govlens.store import PRESENT, Store, codec, dashboard, quality_stats
from govlens.store import measurements as ms
from govlens.store import schema as t

ROOT = Path(__file__).resolve().parents[1]
ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
TARGET_MS = 300.0


def shared_records() -> list[Dataset]:
    base = Path(os.environ.get("GOVLENS_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not (base / "MANIFEST.md").exists():
        base = Path("/work/shared/data")
    folder = base / "ar-ckan-archivo" / "datos_argentina" / "metadata"
    out = []
    for f in sorted(folder.glob("*.json")):
        doc = json.loads(f.read_bytes())
        pkg = doc.get("result", doc) if isinstance(doc, dict) else None
        if isinstance(pkg, dict):
            out.append(normalise(pkg, site="https://datos.gob.ar"))
    if not out:
        sys.exit(f"no CKAN records under {folder}")
    return out


def publishers(real: list[Dataset], n: int) -> list[Publisher]:
    """``n`` institutions: the real ones first, then numbered ones."""
    seen: dict[str, Publisher] = {}
    for ds in real:
        if ds.publisher and ds.publisher.key not in seen:
            seen[ds.publisher.key] = ds.publisher
    pubs = list(seen.values())[:n]
    pubs += [Publisher(key=f"inst-{i:04d}", name=f"Institución {i:04d}") for i in range(len(pubs), n)]
    return pubs


def synthesise(real: list[Dataset], pubs: list[Publisher], start: int, stop: int) -> list[Dataset]:
    """Datasets ``start..stop``: real records with a new identity, spread over institutions
    with a long tail (a few large publishers, many small ones)."""
    rng = random.Random(start)
    weights = [1 / (k + 1) for k in range(len(pubs))]
    chosen = rng.choices(pubs, weights, k=stop - start)
    out = []
    for i, pub in zip(range(start, stop), chosen, strict=True):
        ds = real[i % len(real)]
        dists = tuple(
            dataclasses.replace(d, id=f"{d.id}-{i}",
                                access_urls=tuple(f"{u}?copy={i}" for u in d.access_urls),
                                download_urls=tuple(f"{u}?copy={i}" for u in d.download_urls))
            for d in ds.distributions
        )
        out.append(dataclasses.replace(ds, identifier=f"{ds.identifier}-{i}", title=f"{ds.title} ({i})",
                                       publisher=pub, distributions=dists))
    return out


def copy_page(cur: psycopg.Cursor, run_id: int, datasets: list[Dataset], first_seq: int,
              next_url_id: int) -> int:
    """The rows ``Store.save_page`` writes for a page of new datasets, sent with COPY."""
    rec_rows: list[tuple[object, ...]] = []
    mem_rows: list[tuple[object, ...]] = []
    url_rows: list[tuple[object, ...]] = []
    link_rows: dict[tuple[object, ...], None] = {}
    for i, ds in enumerate(datasets):
        canonical = codec.encode_dataset(ds)
        h = codec.record_hash(canonical)
        rec_id = first_seq + i + 1  # one new record per dataset, each dataset once in the load
        rec_rows.append((rec_id, h, ds.identifier, codec.compress(canonical)))
        mem_rows.append((run_id, ds.identifier, h, ds.publisher.key if ds.publisher else None, PRESENT,
                         len(ds.distributions), len(ds.warnings), first_seq + i))
        seen: dict[str, int] = {}
        for d in ds.distributions:
            for role, group in (("access", d.access_urls), ("download", d.download_urls)):
                for u in group:
                    if u not in seen:
                        seen[u] = next_url_id
                        url_rows.append((next_url_id, codec.url_hash(u), u))
                        next_url_id += 1
                    link_rows[(rec_id, d.id, role, seen[u])] = None
    for sql, rows in (
        ("COPY records (id, hash, identifier, body) FROM STDIN", rec_rows),
        (("COPY run_datasets (run_id, identifier, record_hash, publisher_key, state, distributions, "
         "warnings, seq) FROM STDIN"), mem_rows),
        ("COPY urls (id, hash, url) FROM STDIN", url_rows),
        ("COPY record_urls (record_id, distribution, role, url_id) FROM STDIN", list(link_rows)),
    ):
        with cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return next_url_id


def load(url: str, n: int, n_publishers: int) -> None:
    """Two complete runs through the store (open, finish), their pages written with COPY."""
    real = shared_records()
    pubs = publishers(real, n_publishers)
    store = Store.open(url)
    cat = store.ensure_catalogue(Catalogue(name="bench", source="https://datos.gob.ar/api/3", kind="ckan",
                                           title="Datos Argentina ×", language=("es",)))
    with store.engine.begin() as conn:
        conn.execute(t.publishers.insert(), [
            {"catalogue_id": cat.id, "key": p.key, "name": p.name, "uri": p.uri, "email": p.email,
             "homepage": p.homepage} for p in pubs
        ])
    first = int(n / 1.1)
    page = 10_000
    t0 = time.perf_counter()
    next_url = 1
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    run1 = store.open_run(cat, cat.source, "ckan").run
    with psycopg.connect(plain) as pg:
        for start in range(0, first, page):
            with pg.cursor() as cur:
                next_url = copy_page(cur, run1.id, synthesise(real, pubs, start, min(first, start + page)),
                                     start, next_url)
            pg.commit()
            if start % 100_000 == 0:
                print(f"  {start:,} datasets stored ({time.perf_counter() - t0:.0f}s)", flush=True)
    store.finish_run(run1)
    run2 = store.open_run(cat, cat.source, "ckan").run
    rd = t.run_datasets
    with store.engine.begin() as conn:  # unchanged datasets keep their records: copy the memberships
        cols = [c.name for c in rd.columns if c.name != "run_id"]
        conn.execute(rd.insert().from_select(
            ["run_id", *cols],
            sa.select(sa.literal(run2.id), *[rd.c[c] for c in cols]).where(rd.c.run_id == run1.id),
        ))
    with psycopg.connect(plain) as pg:
        for start in range(first, n, page):
            with pg.cursor() as cur:
                next_url = copy_page(cur, run2.id, synthesise(real, pubs, start, min(n, start + page)),
                                     start, next_url)
            pg.commit()
        pg.execute("SELECT setval(pg_get_serial_sequence('urls', 'id'), %s)", (next_url,))
        pg.execute("SELECT setval(pg_get_serial_sequence('records', 'id'), %s)", (n + 1,))
        pg.commit()
    store.finish_run(run2)
    with psycopg.connect(plain, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    print(f"loaded {n:,} datasets ({len(real)} real records, {len(pubs)} institutions) "
          f"in {time.perf_counter() - t0:.0f}s", flush=True)
    store.close()


SCORE_COLUMNS = ("run_id", "dataset", "publisher_key", "mqa", "findability", "accessibility", "interoperability",
                 "reusability", "contextuality", "rating", "best_distribution", "dcat_ap_compliant", "shapes",
                 "validated", "udata", "stars", "pod_valid", "distributions", "facts")


def real_assessments(real: list[Dataset]) -> list[DatasetAssessment]:
    """Each real record assessed once, with a named publisher as every synthesised copy has."""
    stand_in = Publisher(key="inst", name="Institución")
    return [assess_dataset(dataclasses.replace(ds, publisher=stand_in)) for ds in real]


def assess_fixture(url: str) -> None:
    """Dataset scores for both runs (COPY), their assessment rows, and the quality roll-ups built by
    ``quality_stats.rebuild``: what ``govlens assess`` leaves, without the measurement rows."""
    real = shared_records()
    t0 = time.perf_counter()
    assessed = real_assessments(real)
    print(f"  {len(real)} real records assessed in {time.perf_counter() - t0:.1f}s", flush=True)
    store = Store.open(url)
    runs = store.runs("bench", "complete")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    cols = ", ".join(SCORE_COLUMNS)
    for run in runs:
        t0 = time.perf_counter()
        with psycopg.connect(plain) as pg, psycopg.connect(plain) as reader:
            pg.execute("DELETE FROM dataset_scores WHERE run_id = %s", (run.id,))
            members = reader.cursor(name="members")  # server-side: the run's datasets, streamed
            members.execute("SELECT identifier, publisher_key FROM run_datasets WHERE run_id = %s AND state = %s",
                            (run.id, PRESENT))
            while batch := members.fetchmany(10_000):
                with pg.cursor() as cur, cur.copy(f"COPY dataset_scores ({cols}) FROM STDIN") as copy:
                    for ident, pkey in batch:  # a synthesised copy of real record (its number % records)
                        a = assessed[int(ident.rsplit("-", 1)[1]) % len(real)]
                        row = ms._score_row(run.id, dataclasses.replace(a, identifier=ident, publisher=pkey))
                        copy.write_row(tuple(row[c] for c in SCORE_COLUMNS))
            total = pg.execute("SELECT count(*), sum(mqa), sum(distributions) FROM dataset_scores "
                               "WHERE run_id = %s", (run.id,)).fetchone()
            assert total is not None
            pg.execute("DELETE FROM assessments WHERE run_id = %s", (run.id,))
            pg.execute("INSERT INTO assessments (run_id, assessed_at, weights, datasets, distributions, mqa_mean) "
                       "VALUES (%s, now(), %s, %s, %s, %s)",
                       (run.id, json.dumps(DEFAULT_WEIGHTS.to_dict()), total[0], total[2], total[1] / total[0]))
            pg.commit()
        copied = time.perf_counter() - t0
        t0 = time.perf_counter()
        quality_stats.rebuild(store, run.id)
        print(f"  run {run.id}: {run.datasets:,} dataset scores copied in {copied:.0f}s; quality roll-ups "
              f"built by quality_stats.rebuild in {time.perf_counter() - t0:.1f}s", flush=True)
    store.close()
    with psycopg.connect(plain, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE dataset_scores")
        pg.execute("VACUUM ANALYZE quality_stats")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def measure(client: httpx.Client, paths: list[str], requests: int) -> list[float]:
    times = []
    for i in range(requests):
        p = paths[i % len(paths)]
        t0 = time.perf_counter()
        r = client.get(p)
        times.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            sys.exit(f"{p}: HTTP {r.status_code}")
    return times


def side_by_side(url: str) -> None:
    store = Store.open(url)
    run = store.latest_run("bench")
    dashboard.ensure_run_stats(store, run.id)

    def timed(q: sa.Select) -> float:  # type: ignore[type-arg]
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            with store.engine.connect() as conn:
                conn.execute(q).all()
            best = min(best, (time.perf_counter() - t0) * 1000)
        return best

    live = timed(sa.select(dashboard._live_counts(run.id)))
    stored = timed(sa.select(dashboard._stored_counts(run.id)))
    print(f"\nper-publisher counts of {run.datasets:,} datasets: grouped live {live:.1f} ms, "
          f"per-run aggregates {stored:.1f} ms, ratio {live / stored:.0f}x")
    ds = t.dataset_scores
    means = timed(sa.select(ds.c.publisher_key, sa.func.count(), sa.func.avg(ds.c.mqa), sa.func.avg(ds.c.udata))
                  .where(ds.c.run_id == run.id).group_by(ds.c.publisher_key))
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        groups = quality_stats.groups(store, run.id)
        summaries = [g.tally.summary() for g in groups.values()]
        best = min(best, (time.perf_counter() - t0) * 1000)
    print(f"per-publisher quality of {run.datasets:,} datasets: MQA and udata means grouped live in SQL "
          f"{means:.1f} ms; the full roll-ups ({len(summaries)} publishers: bands, score bins, dimensions, "
          f"shares per metric, stars, fixes) read and decoded {best:.1f} ms, ratio {means / best:.1f}x")
    with store.engine.begin() as conn:
        weights = quality_stats._weights(conn, run.id)
        assert weights is not None
        t0 = time.perf_counter()
        quality_stats.rollup_from_scores(conn, run.id, weights)
        rebuild = (time.perf_counter() - t0) * 1000
    print(f"the same roll-ups computed from the dataset scores (what each request would cost without them): "
          f"{rebuild:,.0f} ms, ratio {rebuild / best:,.0f}x")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, default=1_000_000)
    ap.add_argument("--publishers", type=int, default=300)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--database", default="govlens_bench_serve")
    ap.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    args = ap.parse_args()
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.database}"
    with psycopg.connect(ADMIN, autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.database,)).fetchone()
        if exists and not args.reuse:
            c.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
        if not exists or not args.reuse:
            c.execute(f'CREATE DATABASE "{args.database}"')
            load(url, args.datasets, args.publishers)
    store = Store.open(url)
    run = store.latest_run("bench")
    # Every run assessed, with its roll-ups (a fixture from an older govlens gets them written here).
    assessed = all(ms.has_assessment(store, r.id) and quality_stats.ensure(store, r.id)
                   for r in store.runs("bench", "complete"))
    store.close()
    if not assessed:  # a new fixture, or one loaded before the quality roll-ups existed
        assess_fixture(url)
    store = Store.open(url)
    keys = [p.key for p in dashboard.publisher_counts(store, run.id, store.catalogue("bench").id)]
    store.close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "govlens.cli", "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(200):
                try:
                    client.get("/static/app.css")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            big, mid, small = keys[0], keys[len(keys) // 2], keys[-1]
            inst = [f"/catalogues/bench/publishers/{k}" for k in (big, mid, small)]
            suites = {
                "overview  /": ["/"],
                "institution (largest, median, smallest)": inst,
                "institutions ranking": ["/institutions"],
                "institutions ranking by MQA mean": ["/institutions?sort=mqa&order=desc"],
                "catalogue page": ["/catalogues/bench"],
                "API catalogues": ["/api/catalogues"],
                "API publishers": ["/api/catalogues/bench/publishers"],
                "API datasets page": ["/api/catalogues/bench/datasets?limit=50"],
                "API catalogue quality": ["/api/catalogues/bench/quality"],
                "API quality per institution": ["/api/catalogues/bench/quality/publishers"],
                "API fixes (catalogue, largest)": ["/api/catalogues/bench/fixes",
                                                   f"/api/catalogues/bench/fixes?publisher={big}"],
                "API scores page": ["/api/catalogues/bench/scores?limit=100"],
                "static file (floor)": ["/static/app.css"],
            }
            print(f"\n{run.datasets:,} datasets, {len(keys)} institutions, {args.requests} requests each, "
                  f"one client, uvicorn at {base}")
            print(f"{'endpoint':42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  p95/target")
            for name, paths in suites.items():
                measure(client, paths, 3)  # warm caches
                xs = measure(client, paths, args.requests)
                p95 = percentile(xs, 0.95)
                print(f"{name:42} {statistics.median(xs):8.1f} {p95:8.1f} {max(xs):8.1f}  "
                      f"{p95 / TARGET_MS:.2f}")
    finally:
        server.terminate()
        server.wait(10)
    side_by_side(url)


if __name__ == "__main__":
    main()
