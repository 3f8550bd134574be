"""The harvest pipeline: source → harvester pages → normalise → store, a few pages per commit.

A run resumes from the cursor committed with its last page; a failed or
interrupted run keeps every page it stored and is resumed by the next harvest
of the same source. When the source is exhausted the store closes the run
(datasets gone since the previous complete run are marked withdrawn).
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from govlens.config import Settings
from govlens.errors import ConfigError, GovlensError, SourceError
from govlens.harvest._http import new_client
from govlens.harvest.base import Harvester, Options
from govlens.harvest.sources import detect, make_harvester
from govlens.model import SOURCE_KINDS, Catalogue, HarvestInfo, SourceKind, StageError
from govlens.normalise.guards import Limits
from govlens.store import Store
from govlens.store.pages import EncodedPage, encode_page
from govlens.store.writes import PageWrite

#: Most datasets written in one transaction when pages come faster than the database takes them.
BATCH = 4_000
#: Pages a transaction gathers while more are coming: a one-page commit costs the writer
#: nearly twice the CPU per page of a four-page one (most index pages are dirtied either way).
GATHER = 4
#: Longest a ready page waits for others before it is written anyway (seconds), so a slow
#: source still commits every page promptly.
GATHER_WAIT = 2.0

#: ``progress(done, total)``: datasets stored so far in this run, and the total if known.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class PageEvent:
    """Reported after each committed page (for progress bars and tests)."""

    run: int
    page: str
    stored: int
    total: int | None


def options_from(settings: Settings) -> Options:
    return Options(
        rows=min(1000, max(1, settings.ckan_rows)),
        max_response_bytes=settings.max_response_bytes,
        limits=Limits(settings.max_keywords, settings.max_distributions, settings.max_record_bytes),
        deadline=settings.harvest_deadline,
    )


def catalogue_name(source: str) -> str:
    """A default catalogue name: the host (and port) of a URL, or a file's stem."""
    if source.startswith(("http://", "https://")):
        parts = urlsplit(source)
        name = parts.netloc
    else:
        p = Path(source)
        name = p.stem if p.is_file() else p.name
    return re.sub(r"[^A-Za-z0-9._:-]+", "-", name).strip("-") or "catalogue"


def harvest(
    settings: Settings,
    source: str,
    kind: SourceKind | None = None,
    catalogue: str | None = None,
    progress: Progress | None = None,
    *,
    client: httpx.AsyncClient | None = None,
    options: Options | None = None,
    executor: Executor | None = None,
    interrupted: Callable[[HarvestInfo], None] | None = None,
) -> HarvestInfo:
    """Harvest ``source`` into the store named by ``settings``. Never raises for a
    source failure: the returned :class:`HarvestInfo` has status ``failed`` and errors.
    An interruption (Ctrl-C, a signal turned into ``SystemExit``) is raised on, after the run
    is marked failed and ``interrupted`` is given that failed run's summary."""
    return asyncio.run(
        aharvest(settings, source, kind, catalogue, progress, client=client, options=options,
                 executor=executor, interrupted=interrupted)
    )


async def aharvest(
    settings: Settings,
    source: str,
    kind: SourceKind | None = None,
    catalogue: str | None = None,
    progress: Progress | None = None,
    *,
    client: httpx.AsyncClient | None = None,
    options: Options | None = None,
    executor: Executor | None = None,
    interrupted: Callable[[HarvestInfo], None] | None = None,
) -> HarvestInfo:
    if kind is not None and kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown kind {kind!r}; use one of {', '.join(SOURCE_KINDS)}")
    source = _canonical_source(source)
    opts = options or options_from(settings)
    own_client = client is None
    http = client or new_client(settings.harvest_timeout)
    started = time.monotonic()
    # The objects made before the harvest (imports, the caller's) are left out of the garbage
    # collector's passes while it runs: its full passes then scan only the harvest's own objects.
    gc.freeze()
    try:
        with Store.open(settings.db_url) as store:
            return await _run(store, http, opts, source, kind, catalogue, progress, executor, started,
                              interrupted)
    finally:
        gc.unfreeze()
        if own_client:
            await http.aclose()


def _canonical_source(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return source.strip()
    return str(Path(source).expanduser().resolve())


async def _run(
    store: Store,
    http: httpx.AsyncClient,
    opts: Options,
    source: str,
    kind: SourceKind | None,
    catalogue: str | None,
    progress: Progress | None,
    executor: Executor | None,
    started: float,
    interrupted: Callable[[HarvestInfo], None] | None = None,
) -> HarvestInfo:
    name = catalogue or catalogue_name(source)
    try:
        kind = kind or await detect(source, http, opts)
    except SourceError as exc:
        return _unharvested(name, source, kind, exc, started)
    cat = store.ensure_catalogue(Catalogue(name=name, source=source, kind=kind))
    opened = store.open_run(cat, source, kind)
    run = opened.run
    previous = store.previous_run(run)
    if previous is not None:  # what it stored need not be compressed again
        opts = replace(opts, known=store.record_digests(previous))
    harvester = make_harvester(source, kind, http, opts)
    cursor = orjson.loads(run.cursor) if run.cursor else None
    seq = opened.next_seq
    stored = 0
    total: int | None = None
    loop = asyncio.get_running_loop()
    # One writer thread for the whole run (one connection, one malloc arena).
    writer = ThreadPoolExecutor(1, thread_name_prefix="govlens-writer")

    def write(batch: list[PageWrite]) -> asyncio.Future[int]:
        return loop.run_in_executor(writer, store.write_pages, run, batch)

    pending: asyncio.Future[int] | None = None
    ready: list[PageWrite] = []  # encoded pages waiting for the writer
    waiting = 0
    since = 0.0  # when the oldest of them was ready
    pages = aiter(harvester.pages(cursor))
    nxt: asyncio.Task[Any] | None = None
    try:
        stored = await _count(store, run.id) if opened.resumed else 0
        nxt = asyncio.create_task(_next(pages))
        # One write in flight while the next pages are fetched and encoded. The writer takes the
        # pages ready when it is free, once there are GATHER of them (or BATCH datasets), the oldest
        # has waited GATHER_WAIT seconds, or the source is exhausted.
        while nxt is not None or ready:
            timeout = None
            if pending is None and ready:
                timeout = 0.0 if nxt is None else max(0.0, since + GATHER_WAIT - time.monotonic())
            waits = {f for f in (nxt, pending) if f is not None}
            if waits and timeout != 0.0:
                await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if nxt is not None and nxt.done():
                page = nxt.result()
                nxt = None
                if page is not None:
                    encoded = page.encoded
                    if encoded is None:
                        normalise = harvester.normaliser()
                        encoded = await loop.run_in_executor(executor, _encode, normalise, page.records,
                                                             opts.limits, opts.known)
                    if not ready:
                        since = time.monotonic()
                    ready.append((encoded, page.cursor, seq))
                    waiting += encoded.size
                    seq += encoded.size
                    total = page.total
                    nxt = asyncio.create_task(_next(pages))
            if pending is not None and (pending.done() or waiting >= BATCH):
                stored += await pending
                pending = None
                if progress is not None:
                    progress(stored, total)
            if pending is None and ready and (nxt is None or len(ready) >= GATHER or waiting >= BATCH
                                              or time.monotonic() >= since + GATHER_WAIT):
                pending = write(ready)
                ready, waiting = [], 0
        if pending is not None:
            stored += await pending
            pending = None
        if progress is not None:
            progress(stored, total)
    except (GovlensError, OSError) as exc:
        settled = await _settle(pending)
        if settled is not None:  # the pages before are stored: the ones ready can follow
            stored += settled + await _flush(write, ready)
        err = _stage_error(exc, source)
        failed = store.fail_run(run, [err])
        return _info(failed, harvester, opened.resumed, started, "failed", (err,), stored)
    except BaseException as exc:  # interrupted: keep what is stored, say why, go on stopping
        stored += await _settle(pending) or 0
        # Ctrl-C, SIGTERM (the console script's SystemExit), or the loop cancelling this task
        # when either reached it elsewhere: the task cannot tell which, the exit status does.
        err = StageError("Interrupted", f"harvest interrupted ({type(exc).__name__})", source)
        failed = store.fail_run(run, [err])
        if interrupted is not None:
            interrupted(_info(failed, harvester, opened.resumed, started, "failed", (err,), stored))
        raise
    finally:
        if nxt is not None:  # a page being read when the run ends is left (the run resumes before it)
            if nxt.done() and not nxt.cancelled():
                nxt.exception()
            nxt.cancel()
        writer.shutdown(wait=False)
    notes = tuple(harvester.notes)
    done = store.finish_run(run, notes)
    store.update_catalogue(name, title=harvester.meta.title, language=harvester.meta.language)
    return _info(done, harvester, opened.resumed, started, "complete", notes)


async def _next(pages: AsyncIterator[Any]) -> Any:
    """The next page, or None once the source is exhausted."""
    try:
        return await anext(pages)
    except StopAsyncIteration:
        return None


def _encode(normalise: Any, records: Any, limits: Limits, known: frozenset[bytes]) -> EncodedPage:
    return encode_page(normalise(records, limits), known)


async def _flush(write: Callable[[list[PageWrite]], Awaitable[int]], ready: list[PageWrite]) -> int:
    """Write the encoded pages still waiting when the source fails (they are whole pages)."""
    if not ready:
        return 0
    try:
        return await write(ready)
    except GovlensError:
        return 0


async def _settle(pending: asyncio.Future[int] | None) -> int | None:
    """Wait for a write in flight (it commits or not as a whole); None if it failed."""
    if pending is None:
        return 0
    try:
        return await pending
    except Exception:  # noqa: BLE001 - the pages are simply not stored; the run resumes before them
        return None


async def _count(store: Store, run_id: int) -> int:
    import sqlalchemy as sa

    from govlens.store import schema as t

    def q() -> int:
        with store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.run_datasets)
                                    .where(t.run_datasets.c.run_id == run_id)).scalar_one())

    return await asyncio.to_thread(q)


def _stage_error(exc: BaseException, source: str) -> StageError:
    if isinstance(exc, GovlensError):
        ctx: dict[str, Any] = exc.context
        cause = ctx.get("cause")
        msg = exc.message + (f": {cause}" if cause else "")
        return StageError(type(exc).__name__, msg, str(ctx.get("source") or source),
                          str(ctx["page"]) if ctx.get("page") is not None else None)
    return StageError(type(exc).__name__, str(exc), source)


def _unharvested(name: str, source: str, kind: str | None, exc: GovlensError, started: float) -> HarvestInfo:
    err = _stage_error(exc, source)
    return HarvestInfo(run=0, catalogue=name, source=source, kind=kind or "unknown", status="failed",
                       datasets=0, distributions=0, publishers=0, warnings=0, withdrawn=0,
                       resumed=False, errors=(err,), seconds=time.monotonic() - started)


def _info(run: Any, harvester: Harvester, resumed: bool, started: float, status: str,
          errors: tuple[StageError, ...], stored: int | None = None) -> HarvestInfo:
    """The run's counts; for a failed run, ``datasets`` is what is stored so far."""
    return HarvestInfo(
        run=run.id, catalogue=run.catalogue, source=run.source, kind=harvester.kind, status=status,
        datasets=run.datasets if stored is None else stored, distributions=run.distributions, publishers=run.publishers,
        warnings=run.warnings, withdrawn=run.withdrawn, resumed=resumed, errors=errors,
        seconds=round(time.monotonic() - started, 3),
    )
