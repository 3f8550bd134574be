"""The scheduler with a stand-in check function: memory bound, caps, interleaving, failures."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from govlens.model import LinkCheck
from govlens.probe import ProbeSettings
from govlens.probe.scheduler import Job, Scheduler, host_of


def run(urls: list[str], s: ProbeSettings, fail_on: str | None = None) -> dict[str, int]:
    stats = Counter[str]()
    active = Counter[str]()

    async def jobs() -> AsyncIterator[Job]:
        for u in urls:
            stats["taken"] += 1
            stats["ahead"] = max(stats["ahead"], stats["taken"] - stats["done"])
            yield Job(u)

    async def check(job: Job) -> LinkCheck:
        host = host_of(job.url)
        active[host] += 1
        active["*"] += 1
        stats["peak_host"] = max(stats["peak_host"], active[host])
        stats["peak_all"] = max(stats["peak_all"], active["*"])
        await asyncio.sleep(0.001)
        active[host] -= 1
        active["*"] -= 1
        if job.url == fail_on:
            raise RuntimeError("boom")
        return LinkCheck(job.url, "ok", "HTTP 200 OK", status=200)

    def done(job: Job, result: LinkCheck) -> None:
        stats["done"] += 1

    asyncio.run(Scheduler(check, done, s).run(jobs()))
    return dict(stats)


def test_buffer_bounds_what_is_taken_ahead_of_the_checks() -> None:
    urls = [f"http://h{i % 3}.example/{i}" for i in range(300)]
    stats = run(urls, ProbeSettings(buffer=20, concurrency=8, per_host=2, min_interval=0))
    assert stats["done"] == 300
    assert stats["ahead"] <= 20 + 1  # the buffer, plus the one job the feeder holds
    assert stats["peak_host"] <= 2 and stats["peak_all"] <= 6


def test_global_cap() -> None:
    urls = [f"http://h{i}.example/x" for i in range(100)]
    stats = run(urls, ProbeSettings(concurrency=5, per_host=4, min_interval=0))
    assert stats["done"] == 100 and stats["peak_all"] == 5


def test_a_failing_check_stops_the_run_with_its_error() -> None:
    urls = [f"http://h.example/{i}" for i in range(50)]
    with pytest.raises(RuntimeError, match="boom"):
        run(urls, ProbeSettings(concurrency=4, per_host=4, min_interval=0), fail_on=urls[10])


@pytest.mark.parametrize(
    ("url", "host"),
    [("http://A.Example.org./x", "a.example.org"), ("https://u:p@h.example:8080/x?y", "h.example"),
     ("http://[::1]:80/", "[::1]"), ("http://h?x", "h"), ("not a url", "")],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host
