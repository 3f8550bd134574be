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
import functools
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
    ap.add_argument("--pool", action="store_true",
                    help="only time whole pages in a worker process, as a harvest hands them over")
    ap.add_argument("--alternatives", action="store_true",
                    help="only time alternatives to the current stages (other hashes, a zstd dictionary...)")
    return ap.parse_args()


def compress_all(compressor: Any, page: list[bytes]) -> list[bytes]:
    return [compressor.compress(x) for x in page]


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

    # Only now, and the path put back after: benchmarks/harvest.py puts this checkout's src
    # first on it, which spawned worker processes would otherwise import from.
    path = list(sys.path)
    harvest = importlib.import_module("harvest")
    sys.path[:] = path
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
            ms = best_ms(canonical, functools.partial(compress_all, c), args.repeat)
            size = sum(len(c.compress(x)) for page in canonical for x in page) / len(canonical)
            print(f"zstd level {level:>3}: {ms:6.1f} ms a page, {size / 1e6:.3f} MB stored a page")
        return

    if args.pool:
        in_a_worker(args, bodies, site)
        return

    if args.alternatives:
        slices = [split(b, source=site, page="p")[1] for b in bodies]  # as a worker has them
        alternatives(args, slices, normalised, canonical)
        return

    def encode_all(page: list[tuple[Any, bytes]]) -> Any:
        out, seen = store_pages.EncodedPage(), set[str]()
        for ds, text in page:
            store_pages.add(out, ds, seen, text)
        return out

    encoded = [encode_all(p) for p in normalised]
    # Each stage drops its results as it goes, as a worker does (one record at a time is a
    # dict): keeping a whole page's objects alive makes the garbage collector's passes, and
    # so every allocating stage, far costlier than in a worker.
    def each(fn: Callable[..., Any]) -> Callable[[Any], None]:
        def run(items: Any) -> None:
            for item in items:
                fn(*item) if isinstance(item, tuple) else fn(item)
        return run

    stages: list[tuple[str, list[Any], Callable[[Any], Any]]] = [
        ("split the page", bodies, lambda b: split(b, source=site, page="p")),
        ("decode the records (orjson)", raws, each(orjson.loads)),
        ("normalise", [list(zip(ds, rs, strict=True)) for ds, rs in zip(dicts, raws, strict=True)],
         each(lambda d, r: normalise_split(d, site=site, raw=r))),
        ("encode the stored records", normalised, each(codec.encode_record)),
        ("SHA-256", canonical, each(codec.record_hash)),
        ("zstd", canonical, each(codec.compress)),
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


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_a_worker(args: argparse.Namespace, bodies: list[bytes], site: str) -> None:
    """Pages through ``encode_shared_page`` in one spawned worker process, one at a time (the
    body in a shared memory block, the encoded page pickled back), as the harvest does (with
    its worker set-up, ``_ckanpage.worker_started``, where the version has it): the worker's
    CPU a page, and this process's (handing over, unpickling)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from govlens.harvest import _ckanpage
    from govlens.harvest._ckanpage import encode_shared_page
    from govlens.harvest._shm import BodyBlocks
    from govlens.normalise.guards import DEFAULT_LIMITS

    # The harvest's set-up of an encoding worker, where the version timed has one.
    initializer = getattr(_ckanpage, "worker_started", None)
    blocks = BodyBlocks(2)
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=initializer) as pool:
        def page(body: bytes) -> None:
            block = blocks.put(body)
            pool.submit(encode_shared_page, block.name, len(body), DEFAULT_LIMITS, site, site, "p").result()
            blocks.release(block)

        page(bodies[0])  # the worker's imports
        (pid,) = list(pool._processes)  # the one worker's pid, for its CPU time
        for _ in range(args.repeat):
            worker, here = _cpu(pid), time.process_time()
            for body in bodies:
                page(body)
            print(f"worker {(_cpu(pid) - worker) * 1000 / len(bodies):6.1f} ms a page, "
                  f"this process {(time.process_time() - here) * 1000 / len(bodies):5.1f} ms a page")
    blocks.close()


def alternatives(args: argparse.Namespace, raws: list[list[Any]], normalised: list[list[Any]],
                 canonical: list[list[bytes]]) -> None:
    """Alternatives measured and not kept (docs/harvest.md, *Tried and not kept*)."""
    import hashlib

    import orjson
    import zstandard

    from govlens.store import codec

    def row(name: str, pages: list[Any], each: Callable[[Any], Any]) -> None:
        """``each`` of every item of a page, the results dropped as they come."""
        def stage(items: list[Any]) -> None:
            for item in items:
                each(item)
        print(f"{name:<52} {best_ms(pages, stage, args.repeat):7.1f} ms a page")

    row("SHA-256 (the content hash)", canonical, codec.record_hash)
    row("BLAKE2b, 32 bytes", canonical, lambda x: hashlib.blake2b(x, digest_size=32).hexdigest())
    row("SHA-1", canonical, lambda x: hashlib.sha1(x, usedforsecurity=False).hexdigest())
    row("copying each record out of the page (bytes(raw))", raws, bytes)
    row("orjson on a copy of each record (current)", raws, lambda r: orjson.loads(bytes(r)))
    row("orjson on each record in the page (memoryview(raw))", raws, lambda r: orjson.loads(memoryview(r)))
    encoder = msgspec_encoder()

    def joined(item: tuple[Any, bytes]) -> None:
        c = codec.encode_record(*item)
        codec.record_hash(c), codec.compress(c)

    z = zstandard.ZstdCompressor(level=1)

    def pieces(item: tuple[Any, bytes]) -> None:
        ds, text = item
        head = encoder.encode(ds)
        h = hashlib.sha256(codec.RECORD_FORMAT)
        h.update(head)
        h.update(b"\n")
        h.update(text)
        o = z.compressobj(size=len(head) + 1 + len(text))
        h.hexdigest(), b"".join((o.compress(head), o.compress(b"\n"), o.compress(text), o.flush()))

    row("record joined, then hashed and compressed (current)", normalised, joined)
    row("record hashed and compressed in pieces, not joined", normalised, pieces)
    # A zstd dictionary trained on half of the real records (the first page holds each
    # original once), measured on the other half.
    first = canonical[0][:866]
    train: list[bytes | bytearray | memoryview[int]] = list(first[0::2])
    test = first[1::2]
    plain = zstandard.ZstdCompressor(level=1)
    for size in (32768, 112640):
        d = zstandard.train_dictionary(size, train)
        zd = zstandard.ZstdCompressor(level=1, dict_data=d)
        ms = best_ms([test], functools.partial(compress_all, zd), args.repeat)
        stored = sum(len(zd.compress(x)) for x in test)
        print(f"zstd level 1, {size // 1024} KiB dictionary: {ms * 1000 / len(test):6.1f} ms per 1,000 "
              f"records, {stored / len(test):,.0f} bytes a record")
    ms = best_ms([test], lambda p: [plain.compress(x) for x in p], args.repeat)
    stored = sum(len(plain.compress(x)) for x in test)
    print(f"zstd level 1, no dictionary:        {ms * 1000 / len(test):6.1f} ms per 1,000 records, "
          f"{stored / len(test):,.0f} bytes a record")


def msgspec_encoder() -> Any:
    import msgspec

    return msgspec.json.Encoder(order="deterministic")


if __name__ == "__main__":
    main()
