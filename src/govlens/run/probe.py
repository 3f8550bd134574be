"""The probe pipeline: URLs of the latest harvest run → polite checks → the store.

One probe run per harvest run checks each distinct URL once. Results are
written in batches from a background thread while the checks go on; an
interrupted probe keeps every batch written and the next ``probe`` resumes
with the URLs not yet done.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Protocol

from govlens.aggregate.links import link_health
from govlens.model import LinkCheck, LinkHealth, ProbeInfo
from govlens.probe.guard import Guard
from govlens.probe.links import LinkChecker
from govlens.probe.policy import ProbeSettings, Streak, persist
from govlens.probe.scheduler import Job, Scheduler
from govlens.store import RunRow, Store
from govlens.store import links as stored

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Progress(Protocol):
    """What the pipeline reports while it works (the CLI draws a progress bar)."""

    def start(self, run: RunRow, total: int, done: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def stop(self) -> None: ...


class _Writer:
    """Collects result rows and writes them in bulk from a worker thread.

    When the database falls behind (a WAL checkpoint, a slow disk), :meth:`room`
    makes the feeder wait until at most ``backlog`` rows are waiting, so memory
    stays bounded however long the probe.
    """

    def __init__(self, store: Store, batch: int, backlog: int) -> None:
        self._store = store
        self._batch = batch
        self._backlog = max(backlog, batch)
        self._rows: list[tuple[Any, ...]] = []
        self._task: asyncio.Future[None] | None = None

    @property
    def waiting(self) -> int:
        return len(self._rows)

    async def room(self) -> None:
        """Return once fewer than ``backlog`` rows wait to be written."""
        while len(self._rows) >= self._backlog and self._task is not None:
            await asyncio.wait([self._task])
            self._flush()

    def _save(self, rows: list[tuple[Any, ...]]) -> None:
        stored.save_check_values(self._store, ROW_COLUMNS, rows)

    def add(self, row: tuple[Any, ...]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self._batch:
            self._flush()

    def _flush(self) -> None:
        """Start writing the waiting rows unless a write is still going on."""
        if self._task is not None and self._task.done():
            self._task.result()  # surface a failed write now
            self._task = None
        if self._task is None and self._rows:
            rows, self._rows = self._rows, []
            self._task = asyncio.ensure_future(asyncio.to_thread(self._save, rows))

    async def drain(self) -> None:
        if self._task is not None:
            await self._task
            self._task = None
        rows, self._rows = self._rows, []
        await asyncio.to_thread(self._save, rows)

    def drain_now(self) -> None:
        """Write what is left without the event loop (after cancellation)."""
        rows, self._rows = self._rows, []
        self._save(rows)


#: The ``link_checks`` columns of the rows :func:`_row` makes.
ROW_COLUMNS = (
    "probe_run_id", "url_id", "checked_at", "outcome", "verdict", "status", "final_url", "redirects", "method",
    "content_type", "content_length", "last_modified", "etag", "elapsed_ms", "error_class", "reason",
    "failures", "failing_since", "streak_error",
)


def _row(probe_run_id: int, q: stored.QueuedURL, check: LinkCheck, now: datetime, s: ProbeSettings
         ) -> tuple[Any, ...]:
    """The ``link_checks`` row of one check (:data:`ROW_COLUMNS`), after the persistence rule."""
    prior = Streak(q.failures, q.failing_since, q.last_error) if q.failures else None
    outcome, streak, note = persist(check.verdict, check.error_class, prior, now, s)
    return (
        probe_run_id, q.url_id, now, outcome, check.verdict, check.status, check.final_url, check.redirects,
        check.method, check.content_type, check.content_length, check.last_modified, check.etag,
        check.elapsed_ms, check.error_class, check.reason + note, streak.failures, streak.since,
        streak.error_class,
    )


async def probe_run(
    store: Store,
    run: RunRow,
    checker: LinkChecker,
    *,
    again: bool = False,
    clock: Clock = utcnow,
    progress: Progress | None = None,
    write_batch: int = 1000,
) -> ProbeInfo:
    """Check the URLs of harvest run ``run`` not yet checked by its probe run."""
    s = checker.settings
    started = time.perf_counter()
    requests_before = checker.requests
    opened = await asyncio.to_thread(
        stored.open_probe, store, run.id, again=again, settings=_settings_json(s)
    )
    probe = opened.probe
    if opened.done:
        return await asyncio.to_thread(_info, store, run, probe.id, False, 0, started)
    done = (await asyncio.to_thread(stored.outcome_counts, store, probe.id))["checked"]
    if progress is not None:
        progress.start(run, probe.urls, done)
    writer = _Writer(store, write_batch, backlog=4 * write_batch)

    def on_result(job: Job, check: LinkCheck) -> None:
        writer.add(_row(probe.id, job.ctx, check, clock(), s))
        if progress is not None:
            progress.advance()

    async def check(job: Job) -> LinkCheck:
        return await checker.check(job.url, expect_file=job.expect_file)

    async def jobs() -> AsyncIterator[Job]:
        pages = stored.pending(store, probe.id)
        while (page := await asyncio.to_thread(next, pages, None)) is not None:
            for q in page:
                if writer.waiting >= write_batch:
                    await writer.room()
                yield Job(q.url, q.download, q)

    try:
        await Scheduler(check, on_result, s).run(jobs())
        await writer.drain()
    except BaseException:
        writer.drain_now()
        stored.finish_probe(store, probe.id, complete=False)
        raise
    finally:
        if progress is not None:
            progress.stop()
    await asyncio.to_thread(stored.finish_probe, store, probe.id, complete=True)
    return await asyncio.to_thread(
        _info, store, run, probe.id, opened.resumed, checker.requests - requests_before, started
    )


def _info(store: Store, run: RunRow, probe_run_id: int, resumed: bool, requests: int, started: float) -> ProbeInfo:
    row = next(p for p in stored.probe_runs(store, run.id) if p.id == probe_run_id)
    counts = stored.outcome_counts(store, probe_run_id)
    return ProbeInfo(
        probe_run=row.id,
        run=run.id,
        catalogue=run.catalogue,
        status=row.status,
        urls=row.urls,
        checked=counts["checked"],
        resumed=resumed,
        ok=counts["ok"],
        broken=counts["broken"],
        failing=counts["failing"],
        unknown=counts["unknown"],
        refused=counts["refused"],
        newly_broken=stored.newly_broken_in_probe(store, probe_run_id),
        requests=requests,
        seconds=round(time.perf_counter() - started, 3),
    )


def _settings_json(s: ProbeSettings) -> str:
    return json.dumps(asdict(s), default=list, sort_keys=True)


async def probe_catalogues(
    store: Store,
    settings: ProbeSettings,
    *,
    catalogue: str | None = None,
    again: bool = False,
    guard: Guard | None = None,
    ssl_context: ssl.SSLContext | None = None,
    clock: Clock = utcnow,
    progress: Progress | None = None,
) -> list[ProbeInfo]:
    """Probe the latest complete run of each catalogue (or of the one named)."""
    runs = await asyncio.to_thread(store.latest_runs, catalogue)
    out = []
    async with LinkChecker(settings, guard=guard, ssl_context=ssl_context) as checker:
        for run in runs:
            out.append(await probe_run(store, run, checker, again=again, clock=clock, progress=progress))
    return out


def publisher_link_health(store: Store, run_id: int, *, publisher: str | None = None
                          ) -> dict[str | None, LinkHealth]:
    """Link health of each publisher of a harvest run (or of the one with key ``publisher``): its
    distinct URLs by latest outcome, and those newly broken since the catalogue's previous complete run."""
    per, _ = link_health(stored.publisher_links(store, run_id, publisher=publisher))
    return per


def newly_broken_links(store: Store, run_id: int, publisher: str) -> int:
    """How many of a publisher's links in a run are newly broken since the catalogue's previous
    complete run (``govlens publishers``' ``links_newly_broken``)."""
    return publisher_link_health(store, run_id, publisher=publisher).get(publisher, LinkHealth()).newly_broken


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (the checker's HEAD client needs less CPU on it),
    else asyncio's own; ``GOVLENS_EVENT_LOOP=asyncio`` asks for asyncio's."""
    if os.environ.get("GOVLENS_EVENT_LOOP", "").lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def probe(store: Store, settings: ProbeSettings, **kwargs: Any) -> list[ProbeInfo]:
    """Synchronous entry point for :func:`probe_catalogues`."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(probe_catalogues(store, settings, **kwargs))
