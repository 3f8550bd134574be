"""Politeness against a real loopback server: per-host cap, interval, Retry-After, host failures."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from itertools import pairwise

from govlens.model import LinkCheck
from govlens.probe import Guard, ProbeSettings
from govlens.probe.links import LinkChecker
from govlens.probe.scheduler import Job, Scheduler
from linkserver import LinkServer
from probe_fixtures import StubResolver, Tripwire, server, tripwire  # noqa: F401 - fixtures


def run(urls: list[str], s: ProbeSettings, guard: Guard | None = None) -> dict[str, LinkCheck]:
    results: dict[str, LinkCheck] = {}

    async def jobs() -> AsyncIterator[Job]:
        for u in urls:
            yield Job(u)

    async def go() -> None:
        async with LinkChecker(s, guard=guard) as checker:
            async def check(job: Job) -> LinkCheck:
                return await checker.check(job.url)

            await Scheduler(check, lambda job, r: results.__setitem__(job.url, r), s).run(jobs())

    asyncio.run(go())
    assert len(results) == len(set(urls))
    return results


def settings(**kw: object) -> ProbeSettings:
    base: dict[str, object] = {"allow_hosts": ("127.0.0.1",), "timeout": 5.0, "min_interval": 0.0}
    base.update(kw)
    return ProbeSettings(**base)  # type: ignore[arg-type]


def test_per_host_cap_holds_under_a_larger_global_cap(server: LinkServer) -> None:  # noqa: F811
    server.peak = 0
    urls = [server.url(f"/slow?delay=0.05&n={i}") for i in range(30)]
    got = run(urls, settings(concurrency=20, per_host=3))
    assert {r.verdict for r in got.values()} == {"ok"}
    assert server.peak == 3


def test_global_cap_holds_across_hosts(server: LinkServer, tripwire: Tripwire) -> None:  # noqa: F811
    # Eight host names, all resolved by a stub to the loopback server: the per-host cap alone
    # would allow 8 x 3 requests at once; the global cap allows 5.
    dns = StubResolver({f"h{i}.example": ["127.0.0.1"] for i in range(8)})
    server.peak = 0
    urls = [server.url(f"/slow?delay=0.05&n={i}", host=f"h{i % 8}.example") for i in range(48)]
    got = run(urls, settings(concurrency=5, per_host=3), Guard(["127.0.0.1"], resolver=dns))
    assert {r.verdict for r in got.values()} == {"ok"}
    assert server.peak == 5
    assert set(dns.calls) == set(dns.table) and {a[0] for a in tripwire.attempts} == {"127.0.0.1"}


def test_minimum_interval_between_requests_to_a_host(server: LinkServer) -> None:  # noqa: F811
    start = len(server.log)
    run([server.url(f"/f/interval-{i}.csv") for i in range(4)], settings(per_host=4, min_interval=0.2))
    times = [t for t, _, p in server.log[start:] if p.startswith("/f/interval-")]
    assert len(times) == 4
    assert all(b - a > 0.15 for a, b in pairwise(times))


def test_retry_after_is_honoured_for_the_whole_host(server: LinkServer) -> None:  # noqa: F811
    start = len(server.log)
    urls = [server.url("/retry-after/503?after=1"), server.url("/f/after-1.csv")]
    got = run(urls, settings(per_host=1, retries=1))
    first = got[urls[0]]
    assert (first.verdict, first.error_class, first.retry_after) == ("unknown", "unavailable", 1.0)
    log = server.log[start:]
    waits = [t for t, _, p in log if p == "/retry-after/503"]
    other = [t for t, _, p in log if p == "/f/after-1.csv"]
    assert len(waits) == 2 and waits[1] - waits[0] >= 0.9  # retried once, after Retry-After
    assert other and other[0] - waits[0] >= 0.9  # the host's other URL waited too
    assert got[urls[1]].verdict == "ok"


def test_a_long_retry_after_defers_the_host_for_this_run(server: LinkServer) -> None:  # noqa: F811
    before = server.requests_to("/f/deferred-1.csv")
    urls = [server.url("/retry-after/429?after=3600"), server.url("/f/deferred-1.csv")]
    got = run(urls, settings(per_host=1))
    assert got[urls[0]].error_class == "rate-limited"
    skipped = got[urls[1]]
    assert (skipped.verdict, skipped.error_class, skipped.requested) == ("unknown", "deferred", False)
    assert "asked to wait 3600 s" in skipped.reason
    assert server.requests_to("/f/deferred-1.csv") == before


def test_a_host_that_refuses_connections_is_given_up(tripwire: Tripwire) -> None:  # noqa: F811
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    urls = [f"http://127.0.0.1:{port}/f/{i}.csv" for i in range(10)]
    got = run(urls, settings(per_host=1, host_failures=3))
    requested = [r for r in got.values() if r.requested]
    assert len(requested) == 3 and {r.error_class for r in requested} == {"refused"}
    skipped = [r for r in got.values() if not r.requested]
    assert len(skipped) == 7 and all(r.verdict == "failure" and "3 connections" in r.reason for r in skipped)
    assert sum(1 for a in tripwire.attempts if a[1] == port) == 3
