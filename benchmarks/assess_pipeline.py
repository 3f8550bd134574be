#!/usr/bin/env python3
"""Benchmark ``govlens assess`` end to end on a stored catalogue, against the scorers alone.

Builds a CKAN catalogue of N datasets (default 200,000) by replicating the real
datos.gob.ar packages (../shared/data/ar-ckan-archivo) with new ids, serves it on
loopback and harvests it with ``govlens harvest`` into a SQLite file (not timed;
``--reuse PATH`` keeps that file for the next run). Then, in the same run:

* **govlens assess, end to end**: the CLI in its own process on a fresh copy of the
  harvested file (``govlens assess --db ... --no-shacl``, its default process pool
  with one worker per core): datasets streamed and decoded from the store, scored
  on the pool (MQA, udata, stars, POD, each dataset's fix gains), measurement rows
  and scores written, per-run and per-publisher roll-ups written, one transaction.
  Wall time, and CPU time of the whole process tree (the CLI and its workers).
* **scorers only** (the baseline, what ``benchmarks/assess.py`` measures): MQA +
  udata + stars of the same stored datasets in memory, in this process.
* two parts of the pipeline, to see where the difference goes: the scoring task the
  pool runs (``run.assess.run_task``: the scorers, POD, fix gains) over the same
  datasets in memory, and reading and decoding the run's datasets from the store.

Prints datasets/s (wall, and per core from CPU time, since the machine may be
shared) and the ratios to the baseline. ``--shacl`` adds DCAT-AP SHACL to the
pipeline (``govlens assess`` without ``--no-shacl``) and to the scoring task.

    .venv/bin/python benchmarks/assess_pipeline.py [--datasets 200000] [--shacl] [--reuse PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds other benchmarks named like stdlib modules (inspect.py): keep it off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time
from datetime import UTC
from itertools import islice
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.append(str(Path(__file__).resolve().parent))  # after the stdlib: for _shared only

from _shared import shared_data

from govlens.assess.assessment import assess_dataset
from govlens.assess.metrics import DEFAULT_WEIGHTS
from govlens.demo.server import CkanServer
from govlens.model import Dataset
from govlens.run.assess import Task, run_task
from govlens.store import Store

CATALOGUE = "bench"
CHUNK = 250  # datasets per pool task, as run.assess.assess_run
SAMPLE = 4_000  # distinct stored datasets the in-memory parts cycle through


def packages(n: int) -> list[dict[str, Any]]:
    """``n`` CKAN packages: the real datos.gob.ar records, replicated with new ids."""
    folder = shared_data() / "ar-ckan-archivo" / "datos_argentina" / "metadata"
    originals = []
    for p in sorted(folder.glob("*.json")):
        doc = orjson.loads(p.read_bytes())
        originals.append(doc.get("result", doc))
    out = []
    for i in range(n):
        base, copy = originals[i % len(originals)], i // len(originals)
        pkg = {**base, "id": f"{base['id']}-{copy:04d}", "name": f"{base['name']}-{copy:04d}"}
        pkg["resources"] = [{**r, "id": f"{r['id']}-{copy:04d}", "package_id": pkg["id"]}
                            for r in base.get("resources", [])]
        out.append(pkg)
    return out


def govlens(*args: str) -> tuple[str, float, float]:
    """Run the govlens CLI in its own process: its output, wall seconds, CPU seconds of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "govlens.cli", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, check=False)
    wall = time.perf_counter() - w
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"govlens {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.stdout.strip(), wall, cpu


def harvested(path: Path, n: int) -> None:
    """The replicated catalogue harvested into ``path`` (kept when it already holds ``n`` datasets)."""
    if path.exists():
        with Store.open(f"sqlite:///{path}") as store:
            runs = store.latest_runs(CATALOGUE)
            if runs and runs[0].datasets == n:
                print(f"reusing {path}: run {runs[0].id}, {n:,} datasets")
                return
        path.unlink()
    server = CkanServer(packages(n), rows_max=1000)
    server.start()
    try:
        out, wall, _ = govlens("harvest", server.url, "--catalogue", CATALOGUE, "--db", f"sqlite:///{path}")
    finally:
        server.stop()
    print(f"harvested (not timed, {wall:.0f}s): {out.splitlines()[-1] if out else ''}")


def timed(fn: Any, *args: Any) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - w, time.process_time() - c


def scorers_only(sample: list[Dataset], n: int, now: Any) -> int:
    """MQA + udata + stars, as ``benchmarks/assess.py`` times them."""
    total = 0
    for i in range(n):
        total += assess_dataset(sample[i % len(sample)], shacl=False, pod=False, now=now).mqa.total
    return total


def scoring_task(sample: list[Dataset], n: int, now: Any, shacl: bool) -> int:
    """What each pool worker of ``govlens assess`` runs, chunk by chunk (no links, no files checked)."""
    total = 0
    for start in range(0, n, CHUNK):
        batch = tuple(sample[i % len(sample)] for i in range(start, min(n, start + CHUNK)))
        total += sum(a.mqa.total for a in run_task(Task(batch, {}, None, now, shacl, DEFAULT_WEIGHTS)))
    return total


def read_run(store: Store, run_id: int) -> int:
    return sum(1 for _ in store.iter_datasets(run_id))


def line(label: str, n: int, wall: float, cpu: float) -> float:
    per_core = n / cpu
    print(f"  {label:<34}: {per_core:9,.0f} datasets/s per core (CPU {cpu:7.1f}s)  "
          f"wall {n / wall:9,.0f}/s ({wall:.1f}s)")
    return per_core


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--datasets", type=int, default=200_000, help="catalogue size (default 200,000)")
    ap.add_argument("--shacl", action="store_true", help="include DCAT-AP SHACL (govlens assess's default)")
    ap.add_argument("--workers", type=int, default=None, help="pool workers for govlens assess (default: cores)")
    ap.add_argument("--reuse", metavar="PATH", default=None,
                    help="keep the harvested SQLite file here and reuse it when it holds --datasets datasets")
    args = ap.parse_args()
    n = args.datasets
    tmp = Path(tempfile.mkdtemp(prefix="govlens-assess-bench-"))
    try:
        source = Path(args.reuse) if args.reuse else tmp / "harvested.sqlite"
        harvested(source, n)
        work = tmp / "assess.sqlite"
        shutil.copyfile(source, work)  # assessed on a copy: the harvested file stays unassessed
        db = f"sqlite:///{work}"
        with Store.open(db) as store:
            (run,) = store.latest_runs(CATALOGUE)
            now = (run.finished_at or run.started_at).astimezone(UTC).replace(tzinfo=None)
            sample = [sd.dataset for sd in islice(store.iter_datasets(run.id), SAMPLE)]
            n_dist = sum(len(d.distributions) for d in sample) / len(sample)
            print(f"catalogue: {n:,} datasets (run {run.id}; {n_dist:.2f} distributions each), SQLite; "
                  f"python {sys.version.split()[0]}, {os.cpu_count()} cores; "
                  f"SHACL {'on' if args.shacl else 'off'}; load average {os.getloadavg()[0]:.2f}")
            scorers_only(sample, len(sample), now)  # warm the vocabulary caches once
            _, bw, bc = timed(scorers_only, sample, n, now)
            _, tw, tc = timed(scoring_task, sample, n, now, args.shacl)
            read, rw, rc = timed(read_run, store, run.id)
            assert read == n, (read, n)
        cli = ["assess", "--db", db, *([] if args.shacl else ["--no-shacl"])]
        cli += ["--workers", str(args.workers)] if args.workers else []
        out, ew, ec = govlens(*cli)
        with Store.open(db) as store, store.engine.connect() as conn:
            count = "select count(*) from {} where run_id = ?"
            stored = conn.exec_driver_sql(count.format("dataset_scores"), (run.id,)).scalar_one()
            rows = conn.exec_driver_sql(count.format("measurements"), (run.id,)).scalar_one()
        assert stored == n, (stored, n)
        print(f"  {out}")
        print(f"\n{n:,} datasets ({rows:,} measurement rows written; load average {os.getloadavg()[0]:.2f}):")
        base = line("baseline: scorers only", n, bw, bc)
        task = line("pipeline part: pool scoring task", n, tw, tc)
        line("pipeline part: read + decode", n, rw, rc)
        e2e = line("govlens assess, end to end", n, ew, ec)
        print(f"\n  end to end / scorers only, per core : {e2e / base:.4f} (the scorers alone are "
              f"{base / e2e:.0f}x faster); wall: {bw / ew:.4f}")
        print(f"  scoring task / scorers only, per core: {task / base:.3f}")
        print(f"  end to end against the 50,000/s per core scorer target: {e2e / 50_000:.4f}")
        rest = ec - tc - rc
        print(f"  CPU of end to end outside the scoring task and the read (measurement rows, scores, "
              f"roll-ups, pool transfer, start-up): {rest:.1f}s of {ec:.1f}s ({100 * rest / ec:.0f}%); "
              f"{rows / ew:,.0f} measurement rows/s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
