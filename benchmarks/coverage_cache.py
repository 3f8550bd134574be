"""Coverage requests of the API and the web app, with and without the kept classification.

Stores N datasets (default 5,000) made from the real records of the coverage corpus
(``coverage_corpus.py``: datos.gob.ar, data.json agencies, INEGI; repeated with new
identifiers, a third of them moved to six named ministries) as one complete harvest,
assessed (``govlens assess``, without SHACL) and probed (a check row for every URL:
two thirds ok, one third broken), in a temporary SQLite file or, with ``--postgres``, in
a new PostgreSQL database on 127.0.0.1 dropped at the end.

Then, side by side in the same process, each request through the app (``httpx`` over
ASGI, as a browser's request reaches the endpoint):

* **classify every time**: the kept classifications are emptied before each request, so
  it decodes and classifies the datasets it asks for (the run's, or one institution's), as
  every request did before classifications were kept;
* **kept**: the run's classification comes from ``govlens.coverage.cache``; link
  outcomes, MQA scores and freshness are still read and worked out on each request.

    python benchmarks/coverage_cache.py [--datasets 5000] [--requests 5] [--postgres]

Prints the median and the slowest request of each, and the load average.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds scripts named like standard modules (inspect.py): after the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.append(str(Path(__file__).resolve().parent))

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import psycopg
from _shared import shared_data
from coverage_corpus import records

from govlens.config import Settings
from govlens.coverage.cache import CLASSIFICATIONS
from govlens.model import Catalogue, Publisher
from govlens.run.assess import assess_catalogues
from govlens.serve import create_app
from govlens.store import Store
from govlens.store import links as stored_links

ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
MINISTRIES = ("Ministerio de Hacienda", "Oficina Nacional de Contrataciones", "Ministerio de Salud",
              "Instituto Nacional de Estadística", "Ministerio de Cultura", "Ministerio de Transporte")
REQUESTS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("API coverage, catalogue", "/api/catalogues/gov/coverage", {}),
    ("API coverage, institution", "/api/catalogues/gov/coverage", {"publisher": "m0"}),
    ("coverage page, institution", "/catalogues/gov/coverage", {"publisher": "m0"}),
    ("API fixes, coverage", "/api/catalogues/gov/fixes", {"kind": "coverage"}),
)


def seed(store: Store, n: int) -> int:
    """One complete harvest of ``n`` datasets, assessed and probed; returns the URLs checked."""
    real = [r.dataset for r in records(shared_data())]
    named = [Publisher(f"m{i}", name) for i, name in enumerate(MINISTRIES)]
    datasets = [replace(d, identifier=f"{d.identifier}-{i}", publisher=named[i % 6] if i % 3 == 0 else d.publisher)
                for i, d in ((i, real[i % len(real)]) for i in range(n))]
    cat = store.ensure_catalogue(Catalogue("gov", "file:///gov", "ckan"))
    run = store.open_run(cat, "file:///gov", "ckan").run
    for start in range(0, n, 500):
        store.save_page(run, datasets[start:start + 500], cursor=None, first_seq=start)
    store.finish_run(run)
    assess_catalogues(store, shacl=False)
    opened = stored_links.open_probe(store, run.id)
    pick = random.Random(1)
    rows = [{"probe_run_id": opened.probe.id, "url_id": q.url_id, "checked_at": datetime.now(UTC),
             "outcome": o, "verdict": o, "status": 200 if o == "ok" else 404}
            for page in stored_links.pending(store, opened.probe.id) for q in page
            for o in [pick.choice(("ok", "ok", "broken"))]]
    stored_links.save_checks(store, rows)
    stored_links.finish_probe(store, opened.probe.id, complete=True)
    return len(rows)


async def measure(store: Store, url: str, requests: int) -> None:
    app = create_app(Settings(db_url=url), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
        print(f"{'request':28s} {'classify every time':>22s} {'kept':>22s}   (median / slowest of {requests}, s)")
        for label, path, params in REQUESTS:
            times: dict[bool, list[float]] = {False: [], True: []}
            CLASSIFICATIONS.clear()
            assert (await c.get(path, params=params)).status_code == 200  # the first request classifies
            for _ in range(requests):
                for kept in (False, True):  # interleaved, so both see the same load
                    if not kept:
                        CLASSIFICATIONS.clear()
                    t0 = time.perf_counter()
                    got = await c.get(path, params=params)
                    times[kept].append(time.perf_counter() - t0)
                    assert got.status_code == 200, got.text
            cells = [f"{statistics.median(times[k]):9.3f} / {max(times[k]):7.3f}" for k in (False, True)]
            print(f"{label:28s} {cells[0]:>22s} {cells[1]:>22s}   {statistics.median(times[False]) / statistics.median(times[True]):5.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=5)
    ap.add_argument("--postgres", action="store_true", help="a new PostgreSQL database on 127.0.0.1 instead of SQLite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        name = f"govlens_bench_{uuid.uuid4().hex[:8]}"
        if args.postgres:
            with psycopg.connect(ADMIN, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{name}"')
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        else:
            url = f"sqlite:///{tmp}/coverage.sqlite"
        try:
            with Store.open(url) as store:
                t0 = time.perf_counter()
                checked = seed(store, args.datasets)
                print(f"{store.engine.dialect.name}: {args.datasets:,} datasets, assessed, {checked:,} URLs checked "
                      f"(seeded in {time.perf_counter() - t0:.0f} s); load average {os.getloadavg()[0]:.2f}")
                asyncio.run(measure(store, url, args.requests))
                print(f"load average {os.getloadavg()[0]:.2f}")
        finally:
            if args.postgres:
                with psycopg.connect(ADMIN, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
