"""Benchmark: CPU time of each stage of encoding one CKAN ``package_search`` page.

The work an encoding worker does for a 1,000-dataset page (``harvest._ckanpage``),
stage by stage and each timed alone, on the same pages as ``benchmarks/harvest.py``
(the 866 real datos.gob.ar packages replicated with new ids, 1,000 a page): splitting
the page, decoding the records (orjson), normalising them, encoding the stored records,
SHA-256, zstd, the rest of the page encoding (publishers, URL hashes, links), pickling
the result; then the whole ``encode_search_page``. Prints CPU milliseconds per page,
best of ``--repeat`` rounds over ``--pages`` pages, and the stored (compressed) bytes
a page. Not a test.

``--src`` times another checkout's code (its ``src`` folder) with this script, so two
versions can be compared back to back::

    .venv/bin/python benchmarks/harvest_stages.py
    .venv/bin/python benchmarks/harvest_stages.py --src /path/to/other/checkout/src
    .venv/bin/python benchmarks/harvest_stages.py --zstd-levels 1,-1,-3   # zstd alone
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds other benchmarks named like stdlib modules (inspect.py): keep it off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import importlib
import os
import pickle
import time
from collections.abc import Callable
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=str(ROOT / "src"), help="the govlens source folder to time")
    ap.add_argument("--pages", type=int, default=8, help="distinct pages (1,000 datasets each)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the best counts")
    ap.add_argument("--zstd-levels", default="", help="only time zstd at these levels (comma-separated)")
    return ap.parse_args()


def best_ms(pages: list[Any], stage: Callable[[Any], Any], repeat: int) -> float:
    """Best per-page CPU milliseconds of ``stage`` over all pages, of ``repeat`` rounds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        for p in pages:
            stage(p)
        best = min(best, (time.process_time() - t) * 1000 / len(pages))
    return best


def main() -> None:
    args = _args()
    sys.path.insert(0, args.src)
    sys.path.append(str(Path(__file__).resolve().parent))  # after the stdlib: harvest's catalogue()
    import orjson

    import govlens
    from govlens.harvest._ckanpage import encode_search_page, split
    from govlens.normalise.ckan import normalise_split
    from govlens.normalise.guards import DEFAULT_LIMITS
    from govlens.store import codec
    from govlens.store import pages as store_pages

    # Only now: benchmarks/harvest.py puts this checkout's src first on the path.
    harvest = importlib.import_module("harvest")
    print(f"govlens from {Path(govlens.__file__).parent}; load average {os.getloadavg()[0]:.2f}")
    packages = harvest.catalogue(args.pages * harvest.ROWS)
    bodies = [orjson.dumps({"success": True, "result": {"count": len(packages),
                                                        "results": packages[s:s + harvest.ROWS]}})
              for s in range(0, len(packages), harvest.ROWS)]
    site = "http://127.0.0.1:1"
    raws = [[bytes(r) for r in split(b, source=site, page="p")[1]] for b in bodies]
    dicts = [[orjson.loads(r) for r in rs] for rs in raws]
    normalised = [[normalise_split(d, site=site, raw=r) for d, r in zip(ds, rs, strict=True)]
                  for ds, rs in zip(dicts, raws, strict=True)]
    canonical = [[codec.encode_record(ds, t) for ds, t in page] for page in normalised]

    if args.zstd_levels:
        import zstandard

        for level in (int(x) for x in args.zstd_levels.split(",")):
            c = zstandard.ZstdCompressor(level=level)
            ms = best_ms(canonical, lambda page, c=c: [c.compress(x) for x in page], args.repeat)
            size = sum(len(c.compress(x)) for page in canonical for x in page) / len(canonical)
            print(f"zstd level {level:>3}: {ms:6.1f} ms a page, {size / 1e6:.3f} MB stored a page")
        return

    def encode_all(page: list[tuple[Any, bytes]]) -> Any:
        out, seen = store_pages.EncodedPage(), set[str]()
        for ds, text in page:
            store_pages.add(out, ds, seen, text)
        return out

    encoded = [encode_all(p) for p in normalised]
    stages: list[tuple[str, list[Any], Callable[[Any], Any]]] = [
        ("split the page", bodies, lambda b: split(b, source=site, page="p")),
        ("decode the records (orjson)", raws, lambda rs: [orjson.loads(r) for r in rs]),
        ("normalise", list(zip(dicts, raws, strict=True)),
         lambda p: [normalise_split(d, site=site, raw=r) for d, r in zip(*p, strict=True)]),
        ("encode the stored records", normalised, lambda p: [codec.encode_record(ds, t) for ds, t in p]),
        ("SHA-256", canonical, lambda p: [codec.record_hash(x) for x in p]),
        ("zstd", canonical, lambda p: [codec.compress(x) for x in p]),
        ("page encoding (all of store.pages.add)", normalised, encode_all),
        ("pickle the encoded page", encoded, lambda e: pickle.dumps(e, pickle.HIGHEST_PROTOCOL)),
        ("whole encode_search_page", bodies,
         lambda b: encode_search_page(b, DEFAULT_LIMITS, site, site, "p")),
    ]
    for name, pages, stage in stages:
        print(f"{name:<40} {best_ms(pages, stage, args.repeat):7.1f} ms a page")
    stored = sum(len(body) for e in encoded for _, body in e.records.values()) / len(encoded)
    print(f"{'stored (compressed) records':<40} {stored / 1e6:7.3f} MB a page")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
