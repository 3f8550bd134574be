#!/usr/bin/env python
"""Benchmark of the link checker, side by side with its baselines, in one run.

A tiny aiohttp server runs in its own process on its own core (core 1); every
client runs in a fresh process on the other core (core 0), so each reports
its own peak memory. Contenders, each checking the same distinct URLs:

* ``govlens``: ``govlens probe`` end to end: the queue streamed from a SQLite
  store, the polite scheduler (relaxed for 127.0.0.1: per-host cap = global
  cap, no interval), HEAD checks, classification, the persistence rule and
  bulk writes of the results, on the event loop ``govlens probe`` uses
  (uvloop where installed);
* ``checker``: the same checker and scheduler without the store;
* ``aiohttp``: a plain loop of aiohttp HEAD requests under a semaphore, on
  asyncio's own event loop; ``aiohttp-uv``: the same loop on uvloop;
* ``httpx``: the same loop with httpx (the other candidate client);
* ``requests``: a sequential loop of HEAD requests with one requests.Session;
* ``wrk``: the server's raw capacity (GET of the same 8-byte file: wrk
  does not complete HEAD requests), same number of connections.

Rounds are interleaved and the median of each contender is reported, because
the machine may be shared. Targets: govlens >= 40 % of wrk and >= 5x requests.
Each contender's CPU time per URL is printed too: when other processes share
the cores, rates swing from run to run, while the CPU a client spends per URL
barely moves.

    python benchmarks/probe.py                 # 20,000 URLs, 3 rounds
    python benchmarks/probe.py --queue 1000000 # also: peak memory of a 1,000,000-URL probe
"""

from __future__ import annotations

import sys

# This folder holds benchmarks named like stdlib modules (inspect.py): keep it off the path.
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rpartition("/")[0] or ".")]

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
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
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the server ----------------------------------------------------------------------------------


def serve(port_file: str, port: int = 0) -> None:
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
        site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        Path(port_file).write_text(str(bound))
        await asyncio.Event().wait()

    asyncio.run(main())


def start_server(tmp: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], int]:
    port_file = tmp / "port"
    port_file.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file), "--port", str(port)])
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
    t, c = time.perf_counter(), time.process_time()
    [info] = probe(store, relaxed(), again=True)
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    assert info.checked == info.ok == args.n, info
    return {"seconds": secs, "cpu": cpu, "n": info.checked, "base_mb": base}


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

    t, c = time.perf_counter(), time.process_time()
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(main())
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "n": ok}


def loop_factory() -> Any:
    """The event loop ``govlens probe`` runs on (uvloop where installed)."""
    from govlens.run.probe import loop_factory

    return loop_factory()


def run_aiohttp(args: argparse.Namespace, uvloop: bool = False) -> dict[str, Any]:
    import aiohttp

    todo = urls(args.port, args.n)

    async def main() -> int:
        sem = asyncio.Semaphore(CONCURRENCY)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as s:
            async def one(u: str) -> int:
                async with sem, s.head(u) as r:
                    return r.status

            return sum(st == 200 for st in await asyncio.gather(*(one(u) for u in todo)))

    t, c = time.perf_counter(), time.process_time()
    with asyncio.Runner(loop_factory=loop_factory() if uvloop else None) as runner:
        ok = runner.run(main())
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "n": ok}


def run_aiohttp_uvloop(args: argparse.Namespace) -> dict[str, Any]:
    return run_aiohttp(args, uvloop=True)


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

    t, c = time.perf_counter(), time.process_time()
    ok = asyncio.run(main())
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "n": ok}


def run_requests(args: argparse.Namespace) -> dict[str, Any]:
    import requests

    todo = urls(args.port, args.n)
    t, c = time.perf_counter(), time.process_time()
    with requests.Session() as s:
        ok = sum(s.head(u, timeout=10).status_code == 200 for u in todo)
    assert ok == args.n
    return {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "n": ok}


CHILDREN = {"govlens": run_govlens, "checker": run_checker, "aiohttp": run_aiohttp,
            "aiohttp-uv": run_aiohttp_uvloop, "httpx": run_httpx, "requests": run_requests}


def children_cpu() -> float:
    """CPU seconds used by the finished child processes so far (user + system)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def child(name: str, port: int, n: int, db: str | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", name, "--port", str(port), "--n", str(n)]
    if db:
        cmd += ["--db", db]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    res["rate"] = res["n"] / res["seconds"]
    # The client's CPU per URL (all its threads, over the timed part): unlike the rate, it
    # barely moves when other processes share the machine.
    res["cpu_us"] = res["cpu"] / res["n"] * 1e6
    return res


def wrk(port: int, seconds: int) -> dict[str, Any]:
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (scripts/ci-system-deps does it)")
    cmd = [exe, "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", f"http://127.0.0.1:{port}/f/1.csv"]
    if hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", str(CLIENT_CORE), *cmd]
    cpu = children_cpu()
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cpu = children_cpu() - cpu
    m = re.search(r"Requests/sec:\s*([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    if m is None or total is None:
        raise SystemExit(f"could not read wrk's output:\n{text}")
    return {"rate": float(m.group(1)), "cpu_us": cpu / int(total.group(1)) * 1e6}


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


def build_store_fast(db: str, port: int, n: int) -> None:
    """A store of ``n`` one-URL datasets written with bulk inserts (same rows as
    :func:`build_store`, without the per-page bookkeeping), for the memory run."""
    import sqlalchemy as sa

    from govlens.model import Catalogue, Dataset, Distribution
    from govlens.store import Store, codec
    from govlens.store import schema as t

    with Store.open(db) as store:
        cat = store.ensure_catalogue(Catalogue(name="bench", source="bench", kind="ckan"))
        opened = store.open_run(cat, "bench", "ckan")
        run_id = opened.run.id
        for lo in range(0, n, 20_000):
            recs, url_rows, links, members = [], [], [], []
            for i in range(lo, min(n, lo + 20_000)):
                u = f"http://127.0.0.1:{port}/f/{i}.csv"
                body = codec.encode_dataset(Dataset(identifier=f"d{i}", distributions=(
                    Distribution(id=f"d{i}-0", download_urls=(u,), format="CSV"),)))
                h = codec.record_hash(body)
                recs.append({"id": i + 1, "hash": h, "identifier": f"d{i}", "body": codec.compress(body)})
                url_rows.append({"id": i + 1, "hash": codec.url_hash(u), "url": u})
                links.append({"record_id": i + 1, "distribution": f"d{i}-0", "role": "download", "url_id": i + 1})
                members.append({"run_id": run_id, "identifier": f"d{i}", "record_hash": h, "publisher_key": None,
                                "state": "present", "distributions": 1, "warnings": 0, "seq": i})
            with store.engine.begin() as conn:
                for table, rows in ((t.records, recs), (t.urls, url_rows), (t.record_urls, links),
                                    (t.run_datasets, members)):
                    conn.execute(sa.insert(table), rows)
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
        serve(args.serve, args.port or 0)
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
                            ("aiohttp-uv", args.n), ("httpx", args.slow_n), ("requests", args.slow_n)):
                res = wrk(port, 5) if name == "wrk" else child(name, port, n, db if name == "govlens" else None)
                results.setdefault(name, []).append(res)
                print(f"round {r + 1}: {name:9s} {res['rate']:9.0f} /s", file=sys.stderr, flush=True)
        report(results, args)
        if args.queue:
            qdb = f"sqlite:///{tmp / 'queue.sqlite'}"
            t = time.perf_counter()
            build_store_fast(qdb, port, args.queue)
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
    cpu = {k: statistics.median(r["cpu_us"] for r in v) for k, v in results.items()}
    mem = {k: max(r.get("peak_mb", 0) for r in v) for k, v in results.items()}
    print(f"\nLink checking on loopback: {args.n:,} distinct URLs ({args.slow_n:,} for httpx and requests), "
          f"{CONCURRENCY} connections, median of {args.rounds} interleaved rounds")
    print(f"{'contender':10s} {'URLs/s':>9s} {'peak MB':>8s} {'client CPU us/URL':>18s}")
    for k in ("wrk", "govlens", "checker", "aiohttp", "aiohttp-uv", "httpx", "requests"):
        print(f"{k:10s} {med[k]:9.0f} {mem[k] if mem[k] else float('nan'):8.0f} {cpu[k]:18.0f}")
    g = med["govlens"]
    print(f"\ngovlens / wrk        = {g / med['wrk']:.2f}   (target >= 0.40)")
    print(f"govlens / requests   = {g / med['requests']:.1f}x  (target >= 5x)")
    print(f"govlens / aiohttp    = {g / med['aiohttp']:.2f}   (plain HEAD loop, no store, no policy)")
    print(f"govlens / aiohttp-uv = {g / med['aiohttp-uv']:.2f}   (the same loop on uvloop)")
    print(f"checker / aiohttp    = {med['checker'] / med['aiohttp']:.2f}")
    print(f"aiohttp / httpx      = {med['aiohttp'] / med['httpx']:.1f}x  (why the checker uses aiohttp)")
    print(f"client CPU per URL: govlens {cpu['govlens']:.0f} us, plain aiohttp loop {cpu['aiohttp']:.0f} us "
          f"({cpu['aiohttp-uv']:.0f} us on uvloop), "
          f"sequential requests {cpu['requests']:.0f} us, wrk {cpu['wrk']:.1f} us")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores"
          + ("  (the machine was shared: rates and their ratios vary from run to run)" if load > 1.5 else ""))


if __name__ == "__main__":
    main()
