#!/usr/bin/env python
"""Benchmark of the link checker, side by side with its baselines, in one run.

A tiny aiohttp server runs in its own process on its own core (core 1); every
client runs in a fresh process on the other core (core 0), so each reports
its own peak memory. Contenders, each checking the same distinct URLs:

* ``govlens``: ``govlens probe`` end to end: the queue streamed from a SQLite
  store, the polite scheduler (relaxed for 127.0.0.1: per-host cap = global
  cap, no interval), HEAD checks, classification, the persistence rule and
  bulk writes of the results;
* ``checker``: the same checker and scheduler without the store;
* ``aiohttp``: a plain loop of aiohttp HEAD requests under a semaphore;
* ``httpx``: the same loop with httpx (the other candidate client);
* ``requests``: a sequential loop of HEAD requests with one requests.Session;
* ``wrk``: the server's raw capacity (GET of the same 8-byte file: wrk
  does not complete HEAD requests), same number of connections.

Rounds are interleaved and the median of each contender is reported, because
the machine may be shared. Targets: govlens >= 40 % of wrk and >= 5x requests.

    python benchmarks/probe.py                 # 20,000 URLs, 3 rounds
    python benchmarks/probe.py --queue 1000000 # also: peak memory of a 1,000,000-URL probe
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CONCURRENCY = 64
SERVER_CORE, CLIENT_CORE = (1, 0) if (os.cpu_count() or 1) >= 2 else (0, 0)


def pin(core: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the server ----------------------------------------------------------------------------------


def serve(port_file: str) -> None:
    from aiohttp import web

    pin(SERVER_CORE)
    body = b"a,b\n1,2\n"
    headers = {"Content-Type": "text/csv", "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, headers=headers)

    async def main() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        Path(port_file).write_text(str(port))
        await asyncio.Event().wait()

    asyncio.run(main())


def start_server(tmp: Path) -> tuple[subprocess.Popen[bytes], int]:
    port_file = tmp / "port"
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)])
    for _ in range(200):
        if port_file.exists() and port_file.read_text():
            return proc, int(port_file.read_text())
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("the benchmark server did not start")


def urls(port: int, n: int) -> list[str]:
    return [f"http://127.0.0.1:{port}/f/{i}.csv" for i in range(n)]


# -- contenders (each in its own process) ----------------------------------------------------------


def relaxed() -> Any:
    from govlens.probe import ProbeSettings

    return ProbeSettings(concurrency=CONCURRENCY, per_host=CONCURRENCY, min_interval=0.0,
                         retries=0, allow_hosts=("127.0.0.1",), user_agent="govlens-benchmark")


def run_govlens(args: argparse.Namespace) -> dict[str, Any]:
    from govlens.run.probe import probe
    from govlens.store import Store

    store = Store.open(args.db)
    base = rss_mb()
    t = time.perf_counter()
    [info] = probe(store, relaxed(), again=True)
    secs = time.perf_counter() - t
    assert info.checked == info.ok == args.n, info
    return {"seconds": secs, "n": info.checked, "base_mb": base}


def run_checker(args: argparse.Namespace) -> dict[str, Any]:
    from govlens.probe.links import LinkChecker
    from govlens.probe.scheduler import Job, Scheduler

    todo = urls(args.port, args.n)
    ok = 0

    def on_result(job: Job, r: Any) -> None:
        nonlocal ok
        ok += r.verdict == "ok"

    async def main() -> None:
        async def jobs() -> Any:
            for u in todo:
                yield Job(u, True)

        async with LinkChecker(relaxed()) as checker:
            async def check(job: Job) -> Any:
                return await checker.check(job.url, expect_file=job.expect_file)

            await Scheduler(check, on_result, relaxed()).run(jobs())

    t = time.perf_counter()
    asyncio.run(main())
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "n": ok}


def run_aiohttp(args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    todo = urls(args.port, args.n)

    async def main() -> int:
        sem = asyncio.Semaphore(CONCURRENCY)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as s:
            async def one(u: str) -> int:
                async with sem, s.head(u) as r:
                    return r.status

            return sum(st == 200 for st in await asyncio.gather(*(one(u) for u in todo)))

    t = time.perf_counter()
    ok = asyncio.run(main())
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "n": ok}


def run_httpx(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    todo = urls(args.port, args.n)

    async def main() -> int:
        sem = asyncio.Semaphore(CONCURRENCY)
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        async with httpx.AsyncClient(limits=limits) as c:
            async def one(u: str) -> int:
                async with sem:
                    return (await c.head(u)).status_code

            return sum(st == 200 for st in await asyncio.gather(*(one(u) for u in todo)))

    t = time.perf_counter()
    ok = asyncio.run(main())
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "n": ok}


def run_requests(args: argparse.Namespace) -> dict[str, Any]:
    import requests

    todo = urls(args.port, args.n)
    t = time.perf_counter()
    with requests.Session() as s:
        ok = sum(s.head(u, timeout=10).status_code == 200 for u in todo)
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "n": ok}


CHILDREN = {"govlens": run_govlens, "checker": run_checker, "aiohttp": run_aiohttp,
            "httpx": run_httpx, "requests": run_requests}


def child(name: str, port: int, n: int, db: str | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", name, "--port", str(port), "--n", str(n)]
    if db:
        cmd += ["--db", db]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["rate"] = res["n"] / res["seconds"]
    return res


def wrk(port: int, seconds: int) -> dict[str, Any]:
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (scripts/ci-system-deps does it)")
    cmd = [exe, "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", f"http://127.0.0.1:{port}/f/1.csv"]
    if hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", str(CLIENT_CORE), *cmd]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = re.search(r"Requests/sec:\s*([\d.]+)", text)
    if m is None:
        raise SystemExit(f"could not read wrk's output:\n{text}")
    return {"rate": float(m.group(1))}


# -- the store -------------------------------------------------------------------------------------


def build_store(db: str, port: int, n: int) -> None:
    from govlens.model import Catalogue, Dataset, Distribution, Publisher
    from govlens.store import Store

    with Store.open(db) as store:
        cat = store.ensure_catalogue(Catalogue(name="bench", source="bench", kind="ckan"))
        opened = store.open_run(cat, "bench", "ckan")
        page: list[Dataset] = []
        seq = 0
        for i, u in enumerate(urls(port, n)):
            page.append(Dataset(identifier=f"d{i}", publisher=Publisher(key=f"p{i % 50}", name=f"P{i % 50}"),
                                distributions=(Distribution(id=f"d{i}-0", download_urls=(u,), format="CSV"),)))
            if len(page) == 5000:
                store.save_page(opened.run, page, {"i": i}, seq)
                seq += len(page)
                page = []
        if page:
            store.save_page(opened.run, page, {"i": n}, seq)
        store.finish_run(opened.run)


# -- main ------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000, help="distinct URLs per contender")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--slow-n", type=int, default=4000, help="URLs for the slow baselines (httpx, requests)")
    ap.add_argument("--queue", type=int, default=0, help="also probe this many URLs once, for peak memory")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.child:
        pin(CLIENT_CORE)
        res = CHILDREN[args.child](args)
        res["peak_mb"] = rss_mb()
        print(json.dumps(res))
        return

    tmp = Path(tempfile.mkdtemp(prefix="govlens-bench-"))
    server, port = start_server(tmp)
    try:
        db = f"sqlite:///{tmp / 'bench.sqlite'}"
        build_store(db, port, args.n)
        results: dict[str, list[dict[str, Any]]] = {}
        for r in range(args.rounds):
            for name, n in (("wrk", 0), ("govlens", args.n), ("checker", args.n), ("aiohttp", args.n),
                            ("httpx", args.slow_n), ("requests", args.slow_n)):
                res = wrk(port, 5) if name == "wrk" else child(name, port, n, db if name == "govlens" else None)
                results.setdefault(name, []).append(res)
                print(f"round {r + 1}: {name:9s} {res['rate']:9.0f} /s", file=sys.stderr, flush=True)
        report(results, args)
        if args.queue:
            qdb = f"sqlite:///{tmp / 'queue.sqlite'}"
            t = time.perf_counter()
            build_store(qdb, port, args.queue)
            print(f"(built a store of {args.queue:,} URLs in {time.perf_counter() - t:.0f} s)", file=sys.stderr)
            q = child("govlens", port, args.queue, qdb)
            print(f"\n{args.queue:,} queued URLs: govlens probe checked them at {q['rate']:,.0f} URLs/s, "
                  f"peak memory {q['peak_mb']:.0f} MB (store opened: {q['base_mb']:.0f} MB)")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def report(results: dict[str, list[dict[str, Any]]], args: argparse.Namespace) -> None:
    med = {k: statistics.median(r["rate"] for r in v) for k, v in results.items()}
    mem = {k: max(r.get("peak_mb", 0) for r in v) for k, v in results.items()}
    print(f"\nLink checking on loopback: {args.n:,} distinct URLs ({args.slow_n:,} for httpx and requests), "
          f"{CONCURRENCY} connections, median of {args.rounds} interleaved rounds")
    print(f"{'contender':10s} {'URLs/s':>9s} {'peak MB':>8s}")
    for k in ("wrk", "govlens", "checker", "aiohttp", "httpx", "requests"):
        print(f"{k:10s} {med[k]:9.0f} {mem[k] if mem[k] else float('nan'):8.0f}")
    g = med["govlens"]
    print(f"\ngovlens / wrk        = {g / med['wrk']:.2f}   (target >= 0.40)")
    print(f"govlens / requests   = {g / med['requests']:.1f}x  (target >= 5x)")
    print(f"govlens / aiohttp    = {g / med['aiohttp']:.2f}   (plain HEAD loop, no store, no policy)")
    print(f"checker / aiohttp    = {med['checker'] / med['aiohttp']:.2f}")
    print(f"aiohttp / httpx      = {med['aiohttp'] / med['httpx']:.1f}x  (why the checker uses aiohttp)")


if __name__ == "__main__":
    main()
