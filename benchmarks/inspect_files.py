"""Benchmark: govlens inspect against frictionless validate and a bare pyarrow read.

Prints, in one run:
1. the real shared files (csv-validation): total MB/s of govlens and of
   frictionless (both in process), and the ratio;
2. a 1 GB CSV built by repeating the real rows of a UK government spend file:
   govlens MB/s, frictionless on a prefix of N rows (its rate, compared with
   ours on the same prefix and on the whole file), and a bare
   ``pyarrow.csv.read_csv`` of the same 1 GB;
3. peak RSS of ``govlens inspect`` on a 2 GB CSV, measured in a subprocess;
4. agreement: the (error type, row) pairs govlens and frictionless report
   on every shared file.

Generated files live in a temporary directory and are deleted at the end.
Usage: python benchmarks/inspect_files.py [--gb 1] [--rss-gb 2] [--prefix-rows 100000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("GOVLENS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
if not (SHARED / "MANIFEST.md").exists():
    SHARED = Path("/work/shared/data")
SPEND = SHARED / "csv-validation/goodtables-py/data/hmt/BIS_spending_over__25_000_July_2014.csv"
TABULAR = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}


def shared_files() -> list[Path]:
    dirs = [SHARED / "csv-validation", SHARED / "mx-adela/spec/fixtures/files"]
    return sorted(p for d in dirs for p in d.rglob("*") if p.suffix.lower() in TABULAR)


def frictionless_pairs(p: Path) -> set[tuple[str, int | None]]:
    from frictionless import validate

    try:
        report = validate(p.name, basepath=str(p.parent))
    except Exception as exc:  # noqa: BLE001 - a crash is a result too
        return {(f"crash:{type(exc).__name__}", None)}
    out = set()
    for task in report.tasks[:1]:
        for e in task.errors:
            row = getattr(e, "row_number", None) or (getattr(e, "row_numbers", None) or [None])[0]
            out.add((e.type, row))
    return out


def govlens_pairs(p: Path) -> set[tuple[str, int | None]]:
    from govlens.inspect import inspect_file

    r = inspect_file(p)
    first = r.tasks[0].name if r.tasks else None
    return {(e.type, e.row_number) for e in r.errors if e.sheet == first}


def timed(fn, *args, **kw) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def build_csv(dest: Path, size: int, rows_limit: int | None = None) -> int:
    """Header + the spend file's non-blank rows, repeated (as UTF-8) up to ``size`` bytes."""
    lines = SPEND.read_text(encoding="cp1252").splitlines(keepends=True)
    header, rows = lines[0], [r for r in lines[1:] if r.strip(",\r\n")]
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


def section_real_files() -> None:
    from frictionless import validate

    from govlens.inspect import inspect_file

    files = [p for p in shared_files() if p.suffix.lower() in {".csv", ".tsv", ".xlsx"}]
    total = sum(p.stat().st_size for p in files)
    ours = theirs = 0.0
    for p in files:
        ours += timed(inspect_file, p)[0]
        theirs += timed(lambda q: validate(q.name, basepath=str(q.parent)), p)[0]
    mb = total / 1e6
    print(f"[real files] {len(files)} CSV/TSV/XLSX files, {mb:.1f} MB")
    print(f"  govlens      {ours:7.2f} s  {mb / ours:8.1f} MB/s")
    print(f"  frictionless {theirs:7.2f} s  {mb / theirs:8.1f} MB/s")
    print(f"  ratio (frictionless time / govlens time): {theirs / ours:.1f}x")
    for name in ("frictionless-py/data/table-1MB.csv", "goodtables-py/data/hmt/"
                 "BIS_spending_over__25_000_July_2014.csv", "frictionless-py/data/wide.csv"):
        p = SHARED / "csv-validation" / name
        a = min(timed(inspect_file, p)[0] for _ in range(3))
        b = timed(lambda q: validate(q.name, basepath=str(q.parent)), p)[0]
        print(f"  {p.name:45s} govlens {a:6.3f} s  frictionless {b:6.3f} s  ratio {b / a:6.1f}x")


def section_big(tmp: Path, gb: float, prefix_rows: int) -> None:
    import pyarrow.csv as pacsv
    from frictionless import validate

    from govlens.inspect import inspect_file

    big = tmp / "spend-1gb.csv"
    size = build_csv(big, int(gb * 1e9))
    mb = size / 1e6
    t_ours, report = timed(inspect_file, big)
    t_arrow, _ = timed(pacsv.read_csv, big)
    prefix = tmp / "spend-prefix.csv"
    psize = build_csv(prefix, 0, rows_limit=prefix_rows)
    t_fl, _ = timed(lambda: validate(prefix.name, basepath=str(tmp)))
    t_ours_prefix = min(timed(inspect_file, prefix)[0] for _ in range(3))
    print(f"[big CSV] {mb:.0f} MB, {report.rows} rows x {len(report.fields)} fields "  # type: ignore[attr-defined]
          f"(real spend rows repeated); errors {dict(report.error_counts)}")  # type: ignore[attr-defined]
    print(f"  govlens inspect           {t_ours:7.2f} s  {mb / t_ours:8.1f} MB/s")
    print(f"  pyarrow.csv.read_csv      {t_arrow:7.2f} s  {mb / t_arrow:8.1f} MB/s  "
          f"(govlens takes {t_ours / t_arrow:.2f}x the bare read)")
    fl_rate = psize / 1e6 / t_fl
    print(f"  frictionless on the first {prefix_rows} rows ({psize / 1e6:.1f} MB): {t_fl:.2f} s, "
          f"{fl_rate:.2f} MB/s; govlens on the same prefix {t_ours_prefix:.2f} s "
          f"(ratio {t_fl / t_ours_prefix:.1f}x)")
    print(f"  ratio on rates, govlens 1 GB vs frictionless prefix: {(mb / t_ours) / fl_rate:.1f}x")
    print(f"  frictionless on the whole file would take about {mb / fl_rate / 60:.0f} min "
          "(extrapolated from its prefix rate, not run)")
    big.unlink()


RSS_CHILD = """
import resource, sys, time
from govlens.inspect import inspect_file
t = time.perf_counter()
r = inspect_file(sys.argv[1])
dt = time.perf_counter() - t
print(r.rows, r.bytes, dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def section_rss(tmp: Path, gb: float) -> None:
    big = tmp / "spend-2gb.csv"
    size = build_csv(big, int(gb * 1e9))
    out = subprocess.run([sys.executable, "-c", RSS_CHILD, str(big)], capture_output=True,
                         text=True, check=True).stdout.split()
    rows, _, secs, rss_kb = int(out[0]), int(out[1]), float(out[2]), int(out[3])
    print(f"[memory] {size / 1e9:.2f} GB CSV, {rows} rows in {secs:.1f} s "
          f"({size / 1e6 / secs:.0f} MB/s): peak RSS {rss_kb / 1024:.0f} MB (subprocess, ru_maxrss)")
    big.unlink()


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
    ap.add_argument("--prefix-rows", type=int, default=100_000)
    args = ap.parse_args()
    import warnings

    warnings.simplefilter("ignore")
    section_real_files()
    with tempfile.TemporaryDirectory(prefix="govlens-bench-") as tmp:
        section_big(Path(tmp), args.gb, args.prefix_rows)
        section_rss(Path(tmp), args.rss_gb)
    section_agreement()


if __name__ == "__main__":
    main()
