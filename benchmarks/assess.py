#!/usr/bin/env python3
"""Benchmark the quality scorers on real records from the shared data folder.

1. Metadata metrics (MQA + udata + 5-star openness) over N normalised datasets
   (default 1,000,000: the real CKAN and data.json records, normalised once,
   then cycled). Reported per core from CPU time (the machine may be shared),
   with wall time alongside, and compared with the baseline path that scores
   from DQV measurement rows (what a scoring service over stored measurements
   does: build the rows, rebuild the facts, score).
2. DCAT-AP SHACL compliance on the same records: govlens' compiled shapes vs
   plain pyshacl on the rendered graph with the same shapes; ratio and
   agreement of the verdicts.

    .venv/bin/python benchmarks/assess.py [--n 1000000] [--shacl 400]
"""

from __future__ import annotations

import sys

# This folder holds other benchmarks (inspect.py) that would shadow standard modules.
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import json
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.append(str(Path(__file__).resolve().parent))  # after the stdlib: for _shared only

from _shared import shared_data

from govlens.assess import compliance as C
from govlens.assess import dcat
from govlens.assess.assessment import assess_dataset, facts_from_measurements, measurements, rescore
from govlens.assess.metrics import DEFAULT_WEIGHTS
from govlens.model import Dataset
from govlens.normalise import ckan, datajson

NOW = datetime(2025, 1, 1)


def load(shared: Path) -> list[Dataset]:
    out: list[Dataset] = []
    for f in sorted((shared / "ar-ckan-archivo" / "datos_argentina" / "metadata").glob("*.json")):
        d = json.loads(f.read_bytes())
        out.append(ckan.normalise(d.get("result", d)))
    files = sorted((shared / "us-agency-datajson").glob("*.json"))
    files += [shared / "ar-pydatajson" / "samples" / "catalogo-justicia.json",
              shared / "us-datagov-harvester" / "example_data" / "dcatus" / "dcatus.json"]
    for f in files:
        doc = json.loads(f.read_bytes())
        profile = datajson.detect_profile(doc)
        out.extend(datajson.normalise(e, profile=profile) for e in doc.get("dataset", []) if isinstance(e, dict))
    return out


T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    w, c = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - w, time.process_time() - c


def metrics_run(base: list[Dataset], n: int) -> int:
    k = len(base)
    total = 0
    for i in range(n):
        total += assess_dataset(base[i % k], shacl=False, pod=False, now=NOW).mqa.total
    return total


def baseline_run(base: list[Dataset], n: int) -> int:
    """Score from DQV rows: assess, write the measurement rows, rebuild facts, score."""
    k = len(base)
    total = 0
    for i in range(n):
        a = assess_dataset(base[i % k], shacl=False, pod=False, now=NOW)
        facts = facts_from_measurements(a.identifier, measurements(a))
        total += rescore(facts, DEFAULT_WEIGHTS).total
    return total


def shacl_runs(sample: list[Dataset]) -> None:
    import pyshacl

    for v in ("2.1.1", "3.0.1"):  # load and compile outside the timings
        C.compiled_shapes(v)
        C.shapes_graph(v)
    triples = [(C.record_triples(ds)[0], C.shapes_version(ds)) for ds in sample]

    def ours() -> list[bool]:
        return [not C.compiled_shapes(v).validate(t) for t, v in triples]

    def theirs() -> list[bool]:
        out = []
        for t, v in triples:
            conforms, _, _ = pyshacl.validate(dcat.to_graph(t), shacl_graph=C.shapes_graph(v))
            out.append(bool(conforms))
        return out

    mine, mw, mc = timed(ours)
    ref, pw, pc = timed(theirs)
    agree = sum(a == b for a, b in zip(mine, ref, strict=True))
    _rendered, _rw, rc = timed(lambda: [C.record_triples(ds) for ds in sample])
    print(f"\nSHACL DCAT-AP compliance, {len(sample)} records (rendered from the same normalised records, "
          f"same shapes; rendering {1e3 * rc / len(sample):.2f} ms/record CPU, not counted below):")
    print(f"  govlens compiled shapes : {len(sample) / mc:9,.0f} records/s  "
          f"({1e3 * mc / len(sample):.3f} ms/record CPU, wall {mw:.2f}s)")
    print(f"  pyshacl {pyshacl.__version__:<15} : {len(sample) / pc:9,.0f} records/s  "
          f"({1e3 * pc / len(sample):.3f} ms/record CPU, wall {pw:.2f}s)")
    print(f"  ratio                   : {pc / mc:9.1f}x faster than pyshacl (validation)")
    print(f"  ratio with rendering    : {(pc + rc) / (mc + rc):9.1f}x faster end to end (render + validate)")
    print(f"  agreement               : {agree}/{len(sample)} verdicts "
          f"({100 * agree / len(sample):.1f}%; {sum(ref)} conform, {len(ref) - sum(ref)} do not)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="datasets to score (default 1,000,000)")
    ap.add_argument("--baseline", type=int, default=200_000, help="datasets for the baseline path")
    ap.add_argument("--shacl", type=int, default=400, help="records for the SHACL comparison")
    args = ap.parse_args()
    base = load(shared_data())
    n_dist = sum(len(d.distributions) for d in base)
    print(f"base: {len(base):,} real normalised datasets ({n_dist / len(base):.2f} distributions each), "
          f"cycled to {args.n:,}; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    metrics_run(base, len(base))  # warm the vocabulary caches once
    _, w, c = timed(lambda: metrics_run(base, args.n))
    per_core = args.n / c
    print(f"\nMQA + udata + stars over {args.n:,} datasets:")
    print(f"  govlens        : {per_core:9,.0f} datasets/s per core (CPU {c:.1f}s; wall {w:.1f}s, "
          f"{args.n / w:,.0f}/s)")
    _, _bw, bc = timed(lambda: baseline_run(base, args.baseline))
    print(f"  baseline (scored from DQV rows) : {args.baseline / bc:9,.0f} datasets/s per core "
          f"(CPU {bc:.1f}s over {args.baseline:,})")
    print(f"  ratio          : {per_core / (args.baseline / bc):9.1f}x the baseline; "
          f"{per_core / 50_000:.2f}x the 50,000/s per core target")
    step = max(1, len(base) // args.shacl)
    shacl_runs(base[::step][: args.shacl])


if __name__ == "__main__":
    main()
