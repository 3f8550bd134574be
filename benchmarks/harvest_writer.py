"""Benchmark: the harvest's page writer alone (``Store.write_pages``), on recorded pages.

Encodes ``--pages`` pages of 1,000 datasets of the harvest benchmark's catalogue (the
datos.gob.ar records in ../shared/data, replicated with new ids) as the encoding workers
do, each handed over through pickle as from a worker process, then writes them into a
fresh SQLite file, ``--per`` pages a transaction as the harvest's writer does, back to
back. Prints the writer's CPU milliseconds a page over
the last ``--timed`` pages (the ones before fill the store, so the figure is that of a
store of that size), for each of ``--repeats`` fresh files. Not a test.

    .venv/bin/python benchmarks/harvest_writer.py                          # 96 pages, last 24 timed
    .venv/bin/python benchmarks/harvest_writer.py --pages 24 --timed 24    # a small store
    .venv/bin/python benchmarks/harvest_writer.py --steps                  # CPU of each statement

``--steps`` also prints the CPU milliseconds a page of each insert and id read-back of
``store.writes`` (by table), over all pages written; the rest of the writer's time is its
own Python work and the commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds other benchmarks named like stdlib modules (inspect.py): keep it off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import collections
import functools
import pickle
import tempfile
import time
from collections.abc import Callable
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.append(str(Path(__file__).resolve().parent))  # after the stdlib: for harvest and _shared only

from harvest import ROWS, catalogue

from govlens.harvest._ckanpage import encode_search_page
from govlens.model import Catalogue
from govlens.normalise.guards import Limits
from govlens.store import Store, writes
from govlens.store.pages import EncodedPage

#: CPU seconds of each statement kind of the writer, with ``--steps``.
STEPS: collections.defaultdict[str, float] = collections.defaultdict(float)


def _timed(name: Callable[..., str], fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            STEPS[name(*args)] += time.process_time() - t
    return run


def time_steps() -> None:
    """Count the CPU time of the writer's inserts and id read-backs, by table."""
    for name, label in (("_insert_ignore", lambda conn, table, *a: f"insert into {table.name}"),
                        ("fast_select_in",
                         lambda conn, sql, *a: "read back from " + sql.split(" FROM ")[1].split()[0])):
        setattr(writes, name, _timed(label, getattr(writes, name)))


def encoded_pages(n: int) -> list[EncodedPage]:
    packages = catalogue(n * ROWS)
    out = []
    for i in range(n):
        body = orjson.dumps({"success": True, "result": {"count": n * ROWS,
                                                         "results": packages[i * ROWS:(i + 1) * ROWS]}})
        page = encode_search_page(body, Limits(), None, "bench", str(i))[2]
        out.append(pickle.loads(pickle.dumps(page, protocol=5)))  # handed over as from a worker
    return out


def write_all(pages: list[EncodedPage], per: int, timed: int, folder: str) -> float:
    """CPU milliseconds a page of writing the last ``timed`` pages."""
    batches, seq = [], 0
    for i in range(0, len(pages), per):
        batch = []
        for page in pages[i:i + per]:
            batch.append((page, {"start": seq}, seq))
            seq += page.size
        batches.append(batch)
    first_timed = (len(pages) - timed) // per
    with Store.open(f"sqlite:///{folder}/bench.sqlite") as store:
        run = store.open_run(store.ensure_catalogue(Catalogue(name="bench", source="bench", kind="ckan")),
                             "bench", "ckan").run
        for batch in batches[:first_timed]:
            store.write_pages(run, batch)
        t0 = time.process_time()
        for batch in batches[first_timed:]:
            store.write_pages(run, batch)
        spent = time.process_time() - t0
    return spent * 1000 / sum(len(b) for b in batches[first_timed:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=96)
    ap.add_argument("--timed", type=int, default=24, help="time the last TIMED pages")
    ap.add_argument("--per", type=int, default=4, help="pages a transaction")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--steps", action="store_true", help="also time each insert and id read-back")
    args = ap.parse_args()
    if args.steps:
        time_steps()
    pages = encoded_pages(args.pages)
    links = sum(len(p.links) for p in pages) / len(pages)
    print(f"{args.pages} pages of {ROWS:,} datasets encoded ({links:,.0f} URL links a page)", flush=True)
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as folder:
            ms = write_all(pages, args.per, min(args.timed, args.pages), folder)
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        print(f"writer: {ms:.1f} ms of CPU a page over the last {args.timed} pages, "
              f"{args.per} a transaction (load average {load})", flush=True)
        if args.steps:
            for step, seconds in sorted(STEPS.items(), key=lambda kv: -kv[1]):
                print(f"  {step:<32} {seconds * 1000 / args.pages:6.1f} ms a page (all pages)")
            STEPS.clear()


if __name__ == "__main__":
    main()
