"""CKAN Action API: ``package_search`` paging, adaptive page size, Retry-After.

Pages are asked in a stable order (``metadata_created asc, id asc``) so the
offset committed with each page is a safe resume point: datasets created
during a harvest come last, and one seen twice is stored once. On a 5xx or a
timeout the page shrinks to a third and is asked again; each success grows it
back by a fifth up to the maximum (the Portal Watch strategy). A 429 waits
as long as Retry-After says, without shrinking.

A local directory of package JSON files, or a JSON file holding a
``package_search`` answer or a list of packages, is read the same way.
"""

from __future__ import annotations

import asyncio
import functools
import math
import multiprocessing as mp
from collections.abc import AsyncIterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson

from govlens.errors import SourceFormatError, SourceRejected, SourceUnavailable, WorkerLost
from govlens.harvest._ckanpage import encode_search_page, encode_shared_page, split, worker_started
from govlens.harvest._http import fetch, fetch_pages, page_session
from govlens.harvest._shm import BlockWriter, BodyBlocks
from govlens.harvest.base import CatalogueMeta, Normaliser, Options, RawPage, read_file
from govlens.model import Dataset, SourceKind, StageError
from govlens.normalise.ckan import normalise
from govlens.normalise.guards import Limits, each_json

if TYPE_CHECKING:
    import aiohttp

SORT = "metadata_created asc, id asc"
_API_SUFFIXES = ("/api/3/action", "/api/action", "/api/3", "/api")


def split_api_url(url: str) -> tuple[str, str]:
    """``(site_root, action_base)`` from a site root, ``/api/3``, ``/api/action`` or an action URL."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if "/api/" in path + "/":
        idx = (path + "/").find("/api/")
        path = path[:idx]
    else:
        for suffix in _API_SUFFIXES:
            if path.endswith(suffix):
                path = path[: -len(suffix)]
                break
    root = urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")
    return root, f"{root}/api/3/action"


class PageSizer:
    """Rows per page: a third after a failure, a fifth more after a success."""

    def __init__(self, rows: int, max_rows: int) -> None:
        self.max_rows = max(1, max_rows)
        self.rows = max(1, min(rows, self.max_rows))

    def shrink(self) -> bool:
        """Shrink; False when already at one row."""
        if self.rows <= 1:
            return False
        self.rows = max(1, self.rows // 3)
        return True

    def grow(self) -> None:
        self.rows = min(self.max_rows, max(self.rows + 1, math.ceil(self.rows * 1.2)))

    def cap(self, served: int) -> None:
        """The server serves fewer rows than asked (its ``rows_max``): never ask more."""
        self.max_rows = max(1, served)
        self.rows = min(self.rows, self.max_rows)


def normalise_page(records: Sequence[Any], limits: Limits, *, site: str | None) -> list[Dataset]:
    return each_json(records, limits, "ckan", ("id", "name"),
                     lambda r: normalise(r, site=site, limits=limits))


class CkanHarvester:
    """``package_search`` over HTTP, pipelined.

    A producer task fetches pages ahead (at most ``_AHEAD`` waiting) and hands
    each body to a worker that decodes, normalises and encodes it; pages are
    yielded in order, already encoded for the store. Catalogues of more than
    a few pages use a pool of worker processes, small ones a thread.
    """

    kind: SourceKind = "ckan"
    _AHEAD = 1
    _WORKERS = 2

    def __init__(self, source: str, client: httpx.AsyncClient, options: Options) -> None:
        self.source = source
        self.client = client
        self.options = options
        self.site, self.api = split_api_url(source)
        self.meta = CatalogueMeta(homepage=self.site)
        self.notes: list[StageError] = []
        self._pool: ProcessPoolExecutor | None = None
        self._blocks = BodyBlocks(self._AHEAD + self._WORKERS + 1)
        self._last_size = 0
        self._session: aiohttp.ClientSession | None = None  # package_search pages (see _http)

    def normaliser(self) -> Normaliser:
        return functools.partial(normalise_page, site=self.site)

    async def _status(self) -> None:
        try:
            got = await fetch(self.client, f"{self.api}/status_show", source=self.source,
                              page="status_show", max_bytes=1 << 20, deadline=self.options.deadline)
            result = orjson.loads(got.body).get("result") or {}
        except (SourceUnavailable, SourceRejected, orjson.JSONDecodeError, AttributeError):
            return
        if isinstance(result, dict):
            self.meta.title = result.get("site_title") or None
            self.meta.description = result.get("site_description") or None
            self.meta.language = result.get("locale_default") or None
            self.meta.extra["ckan_version"] = result.get("ckan_version")

    async def _fetch(self, start: int, sizer: PageSizer) -> tuple[int, bytes | BlockWriter, str]:
        """One page's body, shrinking the page on 5xx/timeouts and waiting on 429. Once
        pages go to worker processes, the body is written into a shared memory block."""
        policy = self.options.retry
        failures = 0
        while True:
            rows = sizer.rows
            label = f"package_search start={start} rows={rows}"
            sink = BlockWriter(self._blocks, self._last_size) if self._pool is not None else None
            if self._session is None:
                self._session = page_session(self.client)
            try:
                got = await fetch_pages(
                    self._session, f"{self.api}/package_search", source=self.source, page=label,
                    max_bytes=self.options.max_response_bytes,
                    params={"start": start, "rows": rows, "sort": SORT}, sink=sink,
                    follow_redirects=self.client.follow_redirects, deadline=self.options.deadline,
                )
                return rows, (got.body if sink is None else sink), label
            except SourceUnavailable as exc:
                if sink is not None:
                    sink.discard()
                failures += 1
                is_429 = exc.context.get("cause") == "HTTP 429"
                if is_429:
                    if failures >= policy.attempts * 2:
                        raise
                elif not sizer.shrink() and failures >= policy.attempts:
                    exc.context["attempts"] = failures
                    raise
                await asyncio.sleep(policy.delay(failures, exc) if is_429 else
                                    min(policy.backoff * failures, policy.max_backoff))
            except BaseException:
                if sink is not None:
                    sink.discard()
                raise

    def _submit(self, got: bytes | BlockWriter, label: str, count: int) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        limits, site, source = self.options.limits, self.site, self.source
        if self._pool is None and count >= self.options.pool_from and self._WORKERS > 0:
            self._pool = ProcessPoolExecutor(self._WORKERS, mp_context=mp.get_context("spawn"),
                                             initializer=worker_started, initargs=(self.options.known,))
        if isinstance(got, BlockWriter):
            block, size = got.block, got.size
        elif self._pool is not None:
            block, size = self._blocks.put(got), len(got)
        else:
            return loop.run_in_executor(None, encode_search_page, got, limits, site, source, label,
                                        self.options.known)
        assert block is not None
        self._last_size = size
        work = loop.run_in_executor(self._pool, encode_shared_page, block.name, size, limits, site,
                                    source, label)
        work.add_done_callback(lambda _: self._blocks.release(block))
        return work

    async def _produce(self, start: int, count: int | None, sizer: PageSizer, queue: asyncio.Queue[Any]
                       ) -> None:
        """Fetch pages from ``start`` and hand them to the workers. Only the first page (``count``
        unknown) is split here, to learn the count; after it, each page is taken to be full (or
        the last one) and the consumer restarts the producer when a worker finds otherwise."""
        try:
            while count is None or start < count:
                rows, got, label = await self._fetch(start, sizer)
                if count is None:
                    try:
                        count, raws = split(got.view() if isinstance(got, BlockWriter) else got,
                                            source=self.source, page=label)
                    except BaseException:
                        if isinstance(got, BlockWriter):
                            got.discard()
                        raise
                    expected = len(raws)
                    del raws
                    if expected == 0:
                        if isinstance(got, BlockWriter):
                            got.discard()
                        break
                    if expected < rows and start + expected < count:
                        sizer.cap(expected)
                    else:
                        sizer.grow()
                else:
                    expected = min(rows, count - start)
                    sizer.grow()
                work = self._submit(got, label, count)
                del got
                try:
                    await queue.put((start, rows, expected, sizer.rows, label, work))
                except BaseException:  # cancelled: the consumer restarts from elsewhere, or stops
                    work.cancel()
                    raise
                start += expected
            await queue.put(None)
        except Exception as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            await queue.put(exc)

    async def pages(self, cursor: Mapping[str, Any] | None) -> AsyncIterator[RawPage]:
        await self._status()
        start = int((cursor or {}).get("start", 0))
        sizer = PageSizer(int((cursor or {}).get("rows", self.options.rows)), self.options.rows)
        queue: asyncio.Queue[Any] = asyncio.Queue(self._AHEAD)
        producer = asyncio.create_task(self._produce(start, None, sizer, queue))
        pending: list[asyncio.Future[Any]] = []
        count: int | None = None
        try:
            while True:
                item = await queue.get()
                if item is None:
                    if count is None or start >= count:
                        return
                    # the catalogue grew during the harvest: on from where it is
                    producer = asyncio.create_task(self._produce(start, count, sizer, queue))
                    continue
                if isinstance(item, BrokenProcessPool):  # the pool broke before this page went to it
                    raise _lost_worker(self.source, "package_search", item) from item
                if isinstance(item, BaseException):
                    raise item
                first, rows, expected, next_rows, label, work = item
                pending.append(work)
                try:
                    count, served, encoded = await work
                except BrokenProcessPool as exc:
                    raise _lost_worker(self.source, label, exc) from exc
                pending.remove(work)
                if served == 0:
                    return
                start = first + served
                restart = served != expected
                if restart:  # fewer rows than asked (the server's rows_max), or the count changed
                    producer.cancel()
                    pending.extend(_drain(queue))
                    for stale in pending:
                        stale.cancel()
                    pending.clear()
                    sizer.rows = rows  # as it was for this page, whatever the pages read ahead did to it
                    if served < rows and start < count:
                        sizer.cap(served)
                    else:
                        sizer.grow()
                    next_rows = sizer.rows
                yield RawPage([], {"start": start, "rows": next_rows}, label, count, encoded=encoded)
                if restart:
                    producer = asyncio.create_task(self._produce(start, count, sizer, queue))
        finally:
            producer.cancel()
            pending.extend(_drain(queue))
            for work in pending:
                work.cancel()
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            self._blocks.close()
            if self._session is not None:
                session, self._session = self._session, None
                await session.close()


def _lost_worker(source: str, page: str, exc: BrokenProcessPool) -> WorkerLost:
    return WorkerLost("an encoding worker process ended abruptly (killed, or out of memory); the pages"
                      " before are stored: harvest again to resume", source=source, page=page,
                      cause=str(exc)[:300])


def _drain(queue: asyncio.Queue[Any]) -> list[asyncio.Future[Any]]:
    """The work of the pages still queued (their items taken out)."""
    out = []
    while not queue.empty():
        item = queue.get_nowait()
        if isinstance(item, tuple):
            out.append(item[-1])
    return out


class CkanFileHarvester:
    """A directory of package JSON files, or one JSON file of packages."""

    kind: SourceKind = "ckan"

    def __init__(self, source: str, options: Options) -> None:
        self.source = source
        self.path = Path(source)
        self.options = options
        self.meta = CatalogueMeta()
        self.notes: list[StageError] = []

    def normaliser(self) -> Normaliser:
        return functools.partial(normalise_page, site=None)

    def _load(self, path: Path) -> Any:
        try:
            return orjson.loads(read_file(path, self.options.max_response_bytes, source=self.source))
        except orjson.JSONDecodeError as exc:
            raise SourceFormatError("invalid JSON", source=self.source, page=str(path),
                                    cause=str(exc)) from exc

    async def pages(self, cursor: Mapping[str, Any] | None) -> AsyncIterator[RawPage]:
        offset = int((cursor or {}).get("offset", 0))
        size = self.options.page_size
        if self.path.is_dir():
            files = sorted(p for p in self.path.rglob("*.json") if p.is_file())
            for i in range(offset, len(files), size):
                batch = [unwrap_package(self._load(p)) for p in files[i : i + size]]
                yield RawPage([b for b in batch if b is not None], {"offset": i + len(batch)},
                              f"files {i}-{i + len(batch) - 1}", len(files))
            return
        packages = packages_of(self._load(self.path))
        if packages is None:
            raise SourceFormatError("not CKAN packages", source=self.source,
                                    cause="expected a package, a list of packages or a package_search answer")
        for i in range(offset, len(packages), size):
            batch = packages[i : i + size]
            yield RawPage(batch, {"offset": i + len(batch)}, f"records {i}-{i + len(batch) - 1}",
                          len(packages))


def unwrap_package(doc: Any) -> dict[str, Any] | None:
    """A package dict from itself or from a ``package_show`` answer."""
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict) and "success" in doc:
        doc = doc["result"]
    return doc if isinstance(doc, dict) else None


def packages_of(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        result = doc.get("result", doc)
        if isinstance(result, dict) and isinstance(result.get("results"), list):
            return list(result["results"])
        if isinstance(result, list):
            return result
        if isinstance(result, dict) and ("resources" in result or "name" in result):
            return [result]
    return None


def looks_like_ckan(doc: Any) -> bool:
    """True for a package, a package list or a CKAN API answer (used by kind detection)."""
    if isinstance(doc, dict):
        if "success" in doc and "result" in doc:
            return True
        return "resources" in doc and ("name" in doc or "notes" in doc)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict):
        return "resources" in doc[0] and "name" in doc[0]
    return False
