"""Benchmark: harvesting a 100,000-dataset CKAN catalogue into SQLite.

Builds the catalogue by replicating the 866 real datos.gob.ar packages
(../shared/data/ar-ckan-archivo) with new ids, serves it on loopback from a
separate process (``package_search`` pages pre-serialised), and measures, in
one run and against the same server:

* **govlens**: ``govlens.run.harvest.harvest`` into a fresh SQLite file
  (datasets/s; peak RSS of the harvesting process, and peak memory of the whole
  process tree, the encoding workers included, as the sum of PSS, sampled every 200 ms;
  CPU time of the harvesting process and of the encoding workers);
  both children are sampled alike, from this process;
* **parse-only**: the same ``package_search`` pages fetched with httpx and
  decoded with orjson, nothing else (the floor any harvester pays);
* **ckanapi**: ``ckanapi dump datasets --all`` (package_list, then one
  package_show per dataset, as the CKAN tool does).

govlens and parse-only run ``--runs`` times each (default 2), alternately (parse-only
first and last), so both meet the machine's moments alike; the fastest run of each
counts, as timeit takes the best of its repeats, and every run's rate is printed too.
Peak memory is the largest of the govlens runs.

Prints the figures and the ratios against the targets (govlens ≥ 50% of the
parse-only rate, ≥ 5× ckanapi, peak memory ≤ 500 MB). Not a test.

With ``--again``, govlens then harvests the same, unchanged catalogue a second
time into the same store, as a weekly run of a catalogue that did not change
does (every record is already stored: the run adds its memberships), and the
figures of that second run are printed too.

    .venv/bin/python benchmarks/harvest.py                  # 100,000 datasets
    .venv/bin/python benchmarks/harvest.py --datasets 20000 # a quicker run
    .venv/bin/python benchmarks/harvest.py --skip-ckanapi --again
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds other benchmarks named like stdlib modules (inspect.py): keep it off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import tempfile
import time
from typing import Any, Self

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.append(str(Path(__file__).resolve().parent))  # after the stdlib: for _shared only

from _shared import shared_data

ROWS = 1000


def catalogue(n: int) -> list[dict[str, Any]]:
    """``n`` packages: the real datos.gob.ar records, replicated with new ids."""
    folder = shared_data() / "ar-ckan-archivo" / "datos_argentina" / "metadata"
    originals = [orjson.loads(p.read_bytes()) for p in sorted(folder.glob("*.json"))]
    out = []
    for i in range(n):
        base = originals[i % len(originals)]
        copy = i // len(originals)
        pkg = dict(base)
        pkg["id"] = f"{base['id']}-{copy:04d}"
        pkg["name"] = f"{base['name']}-{copy:04d}"
        pkg["resources"] = [{**r, "id": f"{r['id']}-{copy:04d}", "package_id": pkg["id"]}
                            for r in base.get("resources", [])]
        out.append(pkg)
    return out


def serve(n: int, ready: Any, port: Any) -> None:
    """The server process: a CKAN API with ``package_search`` pages pre-serialised."""
    from govlens.demo.server import CkanServer, Reply

    packages = catalogue(n)
    pages: dict[tuple[int, int], bytes] = {}
    for start in range(0, n, ROWS):
        pages[(start, ROWS)] = orjson.dumps({"success": True, "result": {
            "count": n, "sort": "metadata_created asc, id asc", "results": packages[start:start + ROWS]}})

    class Fast(CkanServer):
        def search_page(self, start: int, rows: int) -> Reply:
            body = pages.get((start, rows))
            if body is None:
                return super().search_page(start, rows)
            return Reply(200, body, "application/json;charset=utf-8")

    server = Fast(packages)
    server.start()
    port.value = int(server.url.rsplit(":", 1)[1])
    ready.set()
    while True:
        time.sleep(3600)


# -- the measured children (each in its own process, so peak RSS is its own) ---------


class TreeMemory:
    """Peak memory of a measured child process and its descendants (the encoding workers),
    sampled every 200 ms from this process, outside the one measured (a sampling thread in
    it would take its cores and its GIL): the sum of their PSS (shared pages, such as the
    shared memory blocks holding page bodies, counted once) and the sum of their RSS
    (shared pages counted in every process that maps them); and the CPU time of each."""

    def __init__(self, pid: int) -> None:
        import threading

        import psutil

        self.root = psutil.Process(pid)
        self.pss = self.rss = 0
        self.cpu: dict[int, float] = {}  # pid -> latest user + system seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        pss = rss = 0
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        for p in tree:
            try:
                m = p.memory_full_info()
                c = p.cpu_times()
            except psutil.Error:
                continue
            pss, rss = pss + m.pss, rss + m.rss
            self.cpu[p.pid] = c.user + c.system
        self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def __enter__(self) -> Self:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def descendants_cpu(self) -> float:
        """CPU time of the descendants (the workers, up to their last sample before they exited)."""
        return sum(v for pid, v in self.cpu.items() if pid != self.root.pid)


# -- the measured children (each in its own process, so peak RSS is its own) ---------


def child_govlens(url: str, db: str) -> dict[str, Any]:
    from govlens.config import Settings
    from govlens.run.harvest import harvest

    t0 = time.perf_counter()
    info = harvest(Settings(db_url=f"sqlite:///{db}"), url, catalogue="bench")
    seconds = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "datasets": info.datasets, "status": info.status,
            "errors": [e.message for e in info.errors], "cpu_harvesting": own.ru_utime + own.ru_stime}


def child_parse(url: str, n: int) -> dict[str, Any]:
    import asyncio

    import httpx

    async def run() -> int:
        count = 0
        async with httpx.AsyncClient(timeout=60) as client:
            for start in range(0, n, ROWS):
                r = await client.get(f"{url}/api/3/action/package_search",
                                     params={"start": start, "rows": ROWS, "sort": "metadata_created asc, id asc"})
                count += len(orjson.loads(r.content)["result"]["results"])
        return count

    t0 = time.perf_counter()
    count = asyncio.run(run())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": time.perf_counter() - t0, "datasets": count, "cpu": usage.ru_utime + usage.ru_stime}


def run_child(kind: str, *args: str, profile: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, *args]
    if profile:
        cmd = [sys.executable, "-m", "pyinstrument", "-o", f"/tmp/govlens-bench-{kind}.html", "-r", "html",
               __file__, "--child", kind, *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as mem:
        out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{kind} failed:\n{err[-3000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["tree_pss_mb"], result["tree_rss_mb"] = mem.pss / 2**20, mem.rss / 2**20
    if kind == "govlens":
        result["cpu_workers"] = mem.descendants_cpu()
        result["cpu"] = result["cpu_harvesting"] + result["cpu_workers"]
    return result


def time_ckanapi(url: str, out: str) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("ckanapi")
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(exe), "dump", "datasets", "--all", "-q", "-r", url, "-O", out],
                          capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        sys.exit(f"ckanapi failed:\n{done.stderr[-3000:]}")
    with open(out, "rb") as f:
        count = sum(1 for _ in f)
    return {"seconds": seconds, "datasets": count, "cpu": cpu}


def server_cpu(pid: int) -> float:
    import psutil

    t = psutil.Process(pid).cpu_times()
    return float(t.user + t.system)


def measured(pid: int, run: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``run(*args)``'s result with the loopback server's CPU time while it ran."""
    before = server_cpu(pid)
    result: dict[str, Any] = run(*args, **kwargs)
    result["server_cpu"] = server_cpu(pid) - before
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", type=int, default=100_000)
    ap.add_argument("--skip-ckanapi", action="store_true", help="do not time ckanapi (it is slow)")
    ap.add_argument("--runs", type=int, default=2,
                    help="harvests (each into a fresh store) and parse-only runs, alternately; the best counts")
    ap.add_argument("--profile", action="store_true", help="profile the govlens harvest with pyinstrument")
    ap.add_argument("--again", action="store_true",
                    help="harvest the unchanged catalogue a second time into the same store, and time it")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        result = child_govlens(*rest) if kind == "govlens" else child_parse(rest[0], int(rest[1]))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    n = args.datasets
    ctx = mp.get_context("fork")
    ready, port = ctx.Event(), ctx.Value("i", 0)
    t0 = time.perf_counter()
    server = ctx.Process(target=serve, args=(n, ready, port), daemon=True)
    server.start()
    if not ready.wait(900):
        sys.exit("the server did not start")
    url = f"http://127.0.0.1:{port.value}"
    print(f"catalogue: {n:,} datasets (datos.gob.ar records replicated), served at {url} "
          f"(built in {time.perf_counter() - t0:.1f}s)")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pid = server.pid or 0
            parses = [measured(pid, run_child, "parse", url, str(n))]
            govs = []
            for i in range(max(1, args.runs)):
                db = str(Path(tmp) / f"bench-{i}.sqlite")
                govs.append(measured(pid, run_child, "govlens", url, db, profile=args.profile and i == 0))
                parses.append(measured(pid, run_child, "parse", url, str(n)))
            second = None
            if args.again:  # into the store of the last run
                second = measured(pid, run_child, "govlens", url, db)
            db_mb = Path(db).stat().st_size / 1e6
            ck = None if args.skip_ckanapi else measured(pid, time_ckanapi, url, str(Path(tmp) / "ckanapi.jsonl"))
    finally:
        server.terminate()
    parse = min(parses, key=lambda r: r["seconds"])
    gov = {**min(govs, key=lambda r: r["seconds"]),
           "tree_pss_mb": max(r["tree_pss_mb"] for r in govs), "tree_rss_mb": max(r["tree_rss_mb"] for r in govs),
           "peak_rss_mb": max(r["peak_rss_mb"] for r in govs)}
    rate = {k: v["datasets"] / v["seconds"] for k, v in (("parse", parse), ("govlens", gov))}
    order = [("parse-only", parses[0])] + [x for i in range(len(govs))
                                             for x in (("govlens", govs[i]), ("parse-only", parses[i + 1]))]
    print("runs in the order run, datasets/s (the fastest of each counts): "
          + ", ".join(f"{k} {r['datasets'] / r['seconds']:,.0f}" for k, r in order))
    print(f"parse-only : {parse['datasets']:>8,} datasets in {parse['seconds']:7.1f}s = {rate['parse']:8,.0f}/s"
          f"  peak RSS {parse['peak_rss_mb']:.0f} MB, PSS {parse['tree_pss_mb']:.0f} MB")
    print(f"govlens    : {gov['datasets']:>8,} datasets in {gov['seconds']:7.1f}s = {rate['govlens']:8,.0f}/s"
          f"  peak RSS {gov['peak_rss_mb']:.0f} MB  (SQLite {db_mb:.0f} MB, {gov['status']})")
    print(f"             process tree (harvest + encoding workers): peak PSS {gov['tree_pss_mb']:.0f} MB,"
          f" peak RSS sum {gov['tree_rss_mb']:.0f} MB")
    if ck is not None:
        rate["ckanapi"] = ck["datasets"] / ck["seconds"]
        print(f"ckanapi    : {ck['datasets']:>8,} datasets in {ck['seconds']:7.1f}s = {rate['ckanapi']:8,.0f}/s"
              "  (dump datasets --all)")
    runs = [("parse-only", parse), ("govlens", gov)] + ([("ckanapi", ck)] if ck is not None else [])
    print(f"CPU seconds per 1,000 datasets, client + loopback server (load average {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} cores): "
          + ", ".join(f"{k} {1000 * v['cpu'] / v['datasets']:.2f} + {1000 * v['server_cpu'] / v['datasets']:.2f}"
                      for k, v in runs))
    print(f"govlens CPU seconds per 1,000 datasets by process: harvesting process (fetching, writing)"
          f" {1000 * gov['cpu_harvesting'] / gov['datasets']:.2f}, encoding workers"
          f" {1000 * gov['cpu_workers'] / gov['datasets']:.2f}")
    print(f"ratio govlens / parse-only = {rate['govlens'] / rate['parse']:.2f}  (target >= 0.50)")
    if ck is not None:
        print(f"ratio govlens / ckanapi    = {rate['govlens'] / rate['ckanapi']:.1f}x (target >= 5x)")
    print(f"govlens peak memory        = {gov['tree_pss_mb']:.0f} MB (PSS of the process tree; target <= 500 MB)")
    if second is not None:
        r2 = second["datasets"] / second["seconds"]
        print(f"govlens, the same catalogue again into the same store: {second['datasets']:,} datasets in"
              f" {second['seconds']:.1f}s = {r2:,.0f}/s ({r2 / rate['parse']:.2f} of parse-only),"
              f" CPU s per 1,000 datasets {1000 * second['cpu_harvesting'] / second['datasets']:.2f}"
              f" + {1000 * second['cpu_workers'] / second['datasets']:.2f} (workers),"
              f" peak PSS {second['tree_pss_mb']:.0f} MB, {second['status']}")


if __name__ == "__main__":
    main()
