"""Politeness: which URL is requested when.

URLs arrive from a stream and wait in one queue per host. Each host has at
most ``per_host`` requests in flight and a minimum interval between request
starts; all hosts together have at most ``concurrency``. A host that answers
with Retry-After is left alone until then; one that fails to connect
``host_failures`` times in a row, or asks for a longer pause than
``max_wait``, is not requested again in this run (its remaining URLs get a
result saying why). At most ``buffer`` URLs wait in memory, whatever the size
of the stream. The decisions themselves are in :mod:`govlens.probe.policy`.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from govlens.model import LinkCheck
from govlens.probe import policy
from govlens.probe.policy import ProbeSettings


@dataclass(slots=True)
class Job:
    """A URL to check, with whatever its caller needs back (``ctx``)."""

    url: str
    expect_file: bool = False
    ctx: Any = None
    attempt: int = 0


class _Host:
    __slots__ = ("blocked_until", "failures", "last", "next_start", "pending", "stop", "workers")

    def __init__(self) -> None:
        self.pending: deque[Job] = deque()
        self.workers = 0
        self.next_start = 0.0
        self.blocked_until = 0.0
        self.failures = 0
        self.last: LinkCheck | None = None
        self.stop: str | None = None

    @property
    def idle(self) -> bool:
        return not self.pending and not self.workers and self.failures == 0 and self.stop is None


def host_of(url: str) -> str:
    """The host part of ``url``, for grouping requests (fast; the guard does the real parsing)."""
    start = url.find("//")
    if start < 0:
        return ""
    end = len(url)
    for sep in "/?#":
        i = url.find(sep, start + 2)
        if 0 <= i < end:
            end = i
    netloc = url[start + 2 : end].rpartition("@")[2]
    if netloc.startswith("["):
        return netloc[: netloc.find("]") + 1].lower()
    return netloc.partition(":")[0].rstrip(".").lower()


class Scheduler:
    """Runs ``check`` over a stream of jobs politely and hands each result to ``on_result``."""

    def __init__(
        self,
        check: Callable[[Job], Awaitable[LinkCheck]],
        on_result: Callable[[Job, LinkCheck], None],
        settings: ProbeSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._check = check
        self._on_result = on_result
        self._s = settings
        self._clock = clock
        self._sleep = sleep
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._room = asyncio.Semaphore(settings.buffer)
        self._hosts: dict[str, _Host] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._done = asyncio.Event()
        self._done.set()
        self._failed: BaseException | None = None

    async def run(self, jobs: AsyncIterable[Job]) -> None:
        """Check every job of the stream; returns when all results were handed over."""
        try:
            async for job in jobs:
                await self._room.acquire()
                if self._failed is not None:
                    break
                self._add(job)
            await self._done.wait()
        finally:
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._failed is not None:
            raise self._failed

    def _add(self, job: Job) -> None:
        key = host_of(job.url)
        h = self._hosts.get(key)
        if h is None:
            h = self._hosts[key] = _Host()
        h.pending.append(job)
        if h.workers < self._s.per_host:
            h.workers += 1
            task = asyncio.get_running_loop().create_task(self._worker(key, h))
            self._tasks.add(task)
            self._done.clear()
            task.add_done_callback(self._reap)

    def _reap(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None and self._failed is None:
            self._failed = task.exception()
            self._room.release()  # wake the feeder so it sees the failure
        if not self._tasks:
            self._done.set()

    async def _worker(self, key: str, h: _Host) -> None:
        try:
            while h.pending:
                job = h.pending.popleft()
                if h.stop is not None:
                    assert h.last is not None
                    self._finish(job, policy.not_requested(job.url, h.last, h.stop))
                    continue
                await self._slot(h)
                try:
                    result = await self._check(job)
                finally:
                    self._slots.release()
                if self._after(key, h, job, result):
                    self._finish(job, result)
        finally:
            h.workers -= 1
            if h.idle:
                self._hosts.pop(key, None)

    async def _slot(self, h: _Host) -> None:
        """Wait until the host may be requested again, then take a global slot."""
        while True:
            wait = max(h.next_start, h.blocked_until) - self._clock()
            if wait > 0:
                await self._sleep(wait)
                continue
            await self._slots.acquire()
            now = self._clock()
            if max(h.next_start, h.blocked_until) > now:
                self._slots.release()
                continue
            h.next_start = now + self._s.min_interval
            return

    def _after(self, key: str, h: _Host, job: Job, result: LinkCheck) -> bool:
        """Update the host's state; ``False`` when the job was queued again for a retry."""
        s = self._s
        if not result.requested:
            return True
        if policy.counts_against_host(result):
            h.failures += 1
            h.last = result
            if h.failures >= s.host_failures and h.stop is None:
                h.stop = f"{key} failed {h.failures} connections in a row"
        elif result.status is not None:
            h.failures = 0
        delay = policy.retry_delay(result, job.attempt, s)
        if delay is not None:
            job.attempt += 1
            h.blocked_until = max(h.blocked_until, self._clock() + delay)
            h.pending.appendleft(job)
            return False
        if policy.defers_host(result, s) and h.stop is None:
            h.last = result
            h.stop = f"{key} asked to wait {result.retry_after:g} s"
        elif result.retry_after is not None:
            h.blocked_until = max(h.blocked_until, self._clock() + min(result.retry_after, s.max_wait))
        return True

    def _finish(self, job: Job, result: LinkCheck) -> None:
        self._room.release()
        self._on_result(job, result)
