"""Benchmark: govlens inspect against frictionless validate and a bare pyarrow read.

Everything is measured in this one run, on the same files, the same way for
both tools: in process, after one untimed warm-up run of each (so neither
pays for importing its readers inside the timings), each file timed as the
best of ``--repeat`` runs. Both wall-clock and CPU time are printed: on a
shared machine the wall clock swings with the load, CPU time does not.
govlens uses up to two threads on large CSVs (one parses while the other
checks), so its wall time can be below its CPU time; frictionless uses one.

Sections:
1. the real shared files (csv-validation and the ADELA fixtures: CSV, TSV,
   XLSX): totals, MB/s and ratios, by format;
2. a 1 GB CSV built by repeating the real rows of a UK government spend
   file: govlens, frictionless on the same file (or on its first
   ``--prefix-rows`` rows with ``--quick``), and ``pyarrow.csv.read_csv``;
   the rows govlens reports are checked against the rows Arrow counts;
3. peak memory of a fresh process inspecting a 2 GB CSV, and a 0.5 GB CSV
   whose every other record is ragged (the error path), read from the
   child's own ``VmHWM``;
4. agreement: the (error type, row) pairs govlens and frictionless report on
   every shared file.

Generated files live in a temporary directory and are deleted at the end.
Usage: python benchmarks/inspect_files.py [--gb 1] [--rss-gb 2] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHARED = Path(os.environ.get("GOVLENS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
if not (SHARED / "MANIFEST.md").exists():
    SHARED = Path("/work/shared/data")
SPEND = SHARED / "csv-validation/goodtables-py/data/hmt/BIS_spending_over__25_000_July_2014.csv"
TABULAR = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}


def shared_files() -> list[Path]:
    dirs = [SHARED / "csv-validation", SHARED / "mx-adela/spec/fixtures/files"]
    return sorted(p for d in dirs for p in d.rglob("*") if p.suffix.lower() in TABULAR)


def frictionless_validate(p: Path) -> Any:
    from frictionless import validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return validate(p.name, basepath=str(p.parent))


def govlens_inspect(p: Path) -> Any:
    from govlens.inspect import inspect_file

    return inspect_file(p)


def frictionless_pairs(p: Path) -> set[tuple[str, int | None]]:
    try:
        report = frictionless_validate(p)
    except Exception as exc:  # noqa: BLE001 - a crash is a result too
        return {(f"crash:{type(exc).__name__}", None)}
    out = set()
    for task in report.tasks[:1]:
        for e in task.errors:
            row = getattr(e, "row_number", None) or (getattr(e, "row_numbers", None) or [None])[0]
            out.add((e.type, row))
    return out


def govlens_pairs(p: Path) -> set[tuple[str, int | None]]:
    r = govlens_inspect(p)
    first = r.tasks[0].name if r.tasks else None
    return {(e.type, e.row_number) for e in r.errors if e.sheet == first}


def timed(fn: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, result)."""
    w, c = time.perf_counter(), time.process_time()
    out = fn(*args)
    return time.perf_counter() - w, time.process_time() - c, out


def best_of(n: int, fn: Callable[..., Any], *args: Any) -> tuple[float, float]:
    runs = [timed(fn, *args)[:2] for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def build_csv(dest: Path, size: int, rows_limit: int | None = None, ragged: bool = False) -> int:
    """Header + the spend file's non-blank rows, repeated (as UTF-8) up to ``size`` bytes.

    The spend rows hold no quoted line breaks, so lines and records are the same.
    With ``ragged`` every other record gets an extra cell.
    """
    lines = SPEND.read_text(encoding="cp1252").splitlines(keepends=True)
    header, rows = lines[0], [r for r in lines[1:] if r.strip(",\r\n")]
    if ragged:
        rows = [r.rstrip("\r\n") + ",extra\r\n" if i % 2 else r for i, r in enumerate(rows)]
    block = "".join(rows).encode("utf-8")
    n = 0
    with open(dest, "wb") as fh:
        fh.write(header.encode())
        if rows_limit is not None:
            reps, rest = divmod(rows_limit, len(rows))
            fh.write(block * reps + "".join(rows[:rest]).encode("utf-8"))
            return dest.stat().st_size
        while n < size:
            fh.write(block)
            n += len(block)
    return dest.stat().st_size


def count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            n += chunk.count(b"\n")
    return n


def rate(mb: float, seconds: float) -> str:
    return f"{mb / seconds:8.1f} MB/s"


def section_real_files(repeat: int) -> None:
    files = [p for p in shared_files() if p.suffix.lower() in {".csv", ".tsv", ".xlsx"}]
    warm = [next(p for p in files if p.suffix == ext) for ext in (".csv", ".xlsx")]
    for p in warm:
        govlens_inspect(p)
        frictionless_validate(p)
    results = []
    for p in files:
        ours = best_of(repeat, govlens_inspect, p)
        theirs = best_of(repeat, frictionless_validate, p)
        results.append((p, ours, theirs))
    print(f"[real files] {len(files)} shared CSV/TSV/XLSX files; each the best of {repeat} runs, "
          "after a warm-up of both tools")
    for label, exts in (("all", {".csv", ".tsv", ".xlsx"}), ("CSV/TSV", {".csv", ".tsv"}),
                        ("XLSX", {".xlsx"})):
        sub = [r for r in results if r[0].suffix.lower() in exts]
        mb = sum(p.stat().st_size for p, _, _ in sub) / 1e6
        ow, oc = sum(r[1][0] for r in sub), sum(r[1][1] for r in sub)
        tw, tc = sum(r[2][0] for r in sub), sum(r[2][1] for r in sub)
        print(f"  {label:8s} {len(sub):3d} files {mb:5.1f} MB | govlens wall {ow:6.2f} s cpu {oc:6.2f} s"
              f" | frictionless wall {tw:6.2f} s cpu {tc:6.2f} s"
              f" | ratio wall {tw / ow:5.1f}x cpu {tc / oc:5.1f}x")
    ratios = sorted(r[2][1] / max(r[1][1], 1e-6) for r in results)
    print(f"  per-file CPU ratio: median {ratios[len(ratios) // 2]:.1f}x, "
          f"slowest-relative file {ratios[0]:.1f}x, best {ratios[-1]:.1f}x")
    for name in ("frictionless-py/data/table-1MB.csv", ("goodtables-py/data/hmt/"
                 "BIS_spending_over__25_000_July_2014.csv"), "frictionless-py/data/wide.csv",
                 "frictionless-py/data/issue-1341.csv"):
        p, (ow, oc), (tw, tc) = next(r for r in results if str(r[0]).endswith(name))
        print(f"  {p.name:42s} govlens cpu {oc:6.3f} s  frictionless cpu {tc:6.3f} s  "
              f"ratio {tc / oc:6.1f}x")


def section_big(tmp: Path, gb: float, quick: bool, prefix_rows: int) -> None:
    import csv

    import pyarrow.csv as pacsv

    from govlens.inspect.quotes import open_quote

    big = tmp / "spend-big.csv"
    size = build_csv(big, int(gb * 1e9))
    mb = size / 1e6
    ow, oc, report = timed(govlens_inspect, big)
    aw, ac, table = timed(pacsv.read_csv, big)
    arrow_rows = table.num_rows
    del table
    cov = report.coverage
    print(f"[big CSV] {mb:.0f} MB, {report.rows} rows x {len(report.fields)} fields "
          f"(real spend rows repeated); errors {dict(report.error_counts)}")
    print(f"  coverage: complete={cov.complete}, rows {cov.rows_checked} (pyarrow counts "
          f"{arrow_rows}: {'same' if arrow_rows == cov.rows_checked else 'DIFFERENT'}), "
          f"bytes {cov.bytes_checked} of {size}")
    print(f"  govlens inspect          wall {ow:7.2f} s {rate(mb, ow)}   cpu {oc:7.2f} s {rate(mb, oc)}")
    print(f"  pyarrow.csv.read_csv     wall {aw:7.2f} s {rate(mb, aw)}   cpu {ac:7.2f} s {rate(mb, ac)}"
          f"   (govlens/pyarrow: wall {ow / aw:.2f}x, cpu {oc / ac:.2f}x)")
    # The pass that looks for a quoted field open at the end (part of govlens inspect above).
    qw, qc, _ = timed(open_quote, big, "utf-8", csv.excel)
    print(f"  of which the open-quote check (inspect.quotes) wall {qw:5.2f} s, cpu {qc:5.2f} s "
          f"({qc / oc:.1%} of govlens's cpu)")
    target, label = big, "the same file"
    if quick:
        target = tmp / "spend-prefix.csv"
        build_csv(target, 0, rows_limit=prefix_rows)
        label = f"its first {prefix_rows} rows"
    tmb = target.stat().st_size / 1e6
    fw, fc, fl = timed(frictionless_validate, target)
    if quick:
        ow, oc = best_of(3, govlens_inspect, target)
    print(f"  frictionless validate on {label} ({tmb:.0f} MB, valid={fl.valid}): "
          f"wall {fw:7.2f} s {rate(tmb, fw)}   cpu {fc:7.2f} s {rate(tmb, fc)}")
    print(f"  ratio frictionless/govlens on {label}: wall {fw / ow:.1f}x, cpu {fc / oc:.1f}x")
    big.unlink()


RSS_CHILD = """
import json, sys, time
from govlens.inspect import inspect_file
w, c = time.perf_counter(), time.process_time()
r = inspect_file(sys.argv[1])
w, c = time.perf_counter() - w, time.process_time() - c
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"rows": r.rows, "bytes_checked": r.coverage.bytes_checked,
                  "complete": r.coverage.complete, "errors": r.error_total,
                  "wall": w, "cpu": c, "hwm_kb": hwm}))
"""


def section_rss(tmp: Path, gb: float) -> None:
    # Peak memory is the child's own VmHWM. ru_maxrss is not used: on Linux a child
    # started with vfork+exec (as subprocess does) inherits the parent's high-water
    # mark, so it would report the benchmark's own peak, not the child's.
    for name, size, ragged in (("clean", gb, False), ("ragged", gb / 4, True)):
        path = tmp / f"rss-{name}.csv"
        total = build_csv(path, int(size * 1e9), ragged=ragged)
        records = count_lines(path) - 1
        out = subprocess.run([sys.executable, "-c", RSS_CHILD, str(path)], capture_output=True,
                             text=True, check=True).stdout
        got = json.loads(out)
        ok = got["rows"] == records and got["bytes_checked"] == total and got["complete"]
        print(f"[memory] {total / 1e9:.2f} GB {name} CSV: peak RSS {got['hwm_kb'] / 1024:.0f} MB "
              f"(fresh process, VmHWM); {got['rows']} rows, {got['errors']} errors; "
              f"wall {got['wall']:.1f} s ({total / 1e6 / got['wall']:.0f} MB/s), "
              f"cpu {got['cpu']:.1f} s ({total / 1e6 / got['cpu']:.0f} MB/s); coverage "
              f"{'verified: every record and byte' if ok else 'MISMATCH'} "
              f"({records} records counted apart)")
        path.unlink()


def section_agreement() -> None:
    agree = total = 0
    differ = []
    for p in shared_files():
        ours, theirs = govlens_pairs(p), frictionless_pairs(p)
        total += 1
        if ours == theirs:
            agree += 1
        else:
            differ.append((p, len(ours - theirs), len(theirs - ours)))
    print(f"[agreement] same (error type, row) set as frictionless on {agree} of {total} shared "
          f"files ({100 * agree / total:.1f}%); differences (explained in docs/inspect-agreement.md):")
    for p, a, b in differ:
        print(f"  {p.relative_to(SHARED)}: {a} pairs only govlens, {b} only frictionless")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=1.0)
    ap.add_argument("--rss-gb", type=float, default=2.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true",
                    help="run frictionless on a prefix of the big CSV, not the whole file")
    ap.add_argument("--prefix-rows", type=int, default=100_000)
    ap.add_argument("--only", choices=["real", "big", "rss", "agreement"])
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    if args.only in (None, "real"):
        section_real_files(args.repeat)
    with tempfile.TemporaryDirectory(prefix="govlens-bench-") as tmp:
        if args.only in (None, "big"):
            section_big(Path(tmp), args.gb, args.quick, args.prefix_rows)
        if args.only in (None, "rss"):
            section_rss(Path(tmp), args.rss_gb)
    if args.only in (None, "agreement"):
        section_agreement()


if __name__ == "__main__":
    main()
