"""Decoding, normalising and encoding one ``package_search`` page, off the event loop.

The page is split into its records with ``msgspec.Raw`` (zero-copy slices of
the body), so each record's raw text is exactly what the server sent and only
one record at a time is a Python dict. :func:`encode_search_page` runs in a
worker process on large catalogues; it returns rows ready for the store.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import threading
from collections.abc import Set as AbstractSet
from multiprocessing.connection import wait
from typing import Any

import msgspec
import orjson

from govlens.errors import SourceFormatError, SourceRejected
from govlens.harvest._shm import mapped
from govlens.normalise.ckan import normalise_split
from govlens.normalise.guards import Limits, unreadable
from govlens.store.pages import EncodedPage, add


class _Result(msgspec.Struct):
    count: int
    results: list[msgspec.Raw]


class _Answer(msgspec.Struct):
    result: _Result
    success: bool = True


_decoder = msgspec.json.Decoder(_Answer)


def split(body: bytes | memoryview, *, source: str, page: str) -> tuple[int, list[msgspec.Raw]]:
    """``(count, raw records)`` of a package_search answer, or a clear error."""
    try:
        answer = _decoder.decode(body)
    except RecursionError as exc:
        raise SourceFormatError("JSON nested too deeply in package_search", source=source, page=page,
                                cause="recursion limit") from exc
    except msgspec.DecodeError as exc:
        _refusal(body, source, page)
        what = "invalid JSON" if not isinstance(exc, msgspec.ValidationError) else "not a CKAN package_search answer"
        raise SourceFormatError(f"{what} from package_search", source=source, page=page,
                                cause=str(exc)[:300]) from exc
    if answer.success is False:
        _refusal(body, source, page)
    return answer.result.count, answer.result.results


def _refusal(body: bytes | memoryview, source: str, page: str) -> None:
    try:
        doc: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return
    if isinstance(doc, dict) and doc.get("success") is False:
        raise SourceRejected("CKAN refused package_search", source=source, page=page,
                             cause=str(doc.get("error"))[:500])


def encode_search_page(body: bytes | memoryview, limits: Limits, site: str | None, source: str, page: str,
                       known: AbstractSet[bytes] = frozenset()) -> tuple[int, int, EncodedPage]:
    """``(count, records on the page, encoded page)``; records whose digest is in ``known``
    are stored already (``store.pages.add``)."""
    count, raws = split(body, source=source, page=page)
    out = EncodedPage()
    seen: set[str] = set()
    for raw in raws:
        data = bytes(raw)
        try:
            pkg = orjson.loads(data)
        except (orjson.JSONDecodeError, RecursionError) as exc:
            raise SourceFormatError("invalid JSON record from package_search", source=source,
                                    page=page, cause=str(exc)) from exc
        if not isinstance(pkg, dict):
            continue
        text: bytes | None
        try:
            ds, text = normalise_split(pkg, site=site, limits=limits, raw=data)
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop a harvest
            ident = str(pkg.get("id") or pkg.get("name") or "unreadable")
            ds, text = unreadable(ident, "ckan", "application/json", data.decode("utf-8", "replace"), exc, limits), None
        add(out, ds, seen, text, known)
    return count, len(raws), out


def encode_shared_page(block: str, size: int, limits: Limits, site: str | None, source: str, page: str
                       ) -> tuple[int, int, EncodedPage]:
    """:func:`encode_search_page` of a body handed over in a shared memory block."""
    with mapped(block, size) as body:
        return encode_search_page(body, limits, site, source, page, _known)


#: What this worker process was told is stored already (:func:`worker_started`).
_known: AbstractSet[bytes] = frozenset()


def worker_started(known: AbstractSet[bytes] = frozenset()) -> None:
    """Set up a process that encodes pages (the pool's initializer). A page makes hundreds of
    thousands of objects, all freed by reference counting (no cycles): the collector's passes
    over them, and over the objects the imports left, are wasted work. Those are frozen out
    of its passes and its first generation is collected every 100,000 objects, not 700.
    ``known``: the digests of the records stored by the catalogue's previous run.

    The worker also ends when the harvesting process is gone (killed with SIGKILL, which
    no handler sees): otherwise it would wait for work forever, holding its memory and
    the harvest's standard output."""
    global _known
    _known = known  # before the freeze: a large set is never scanned either
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), name="govlens-parent", daemon=True).start()


def _end_with(sentinel: int) -> None:
    wait([sentinel])  # ready when the parent process has ended
    os._exit(1)
