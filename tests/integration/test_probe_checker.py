"""The link checker against a real loopback server: every behaviour, classified."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from typing import Any

import pytest

from govlens.model import LinkCheck
from govlens.probe import Guard, ProbeSettings
from govlens.probe.links import LinkChecker
from linkserver import LinkServer
from probe_fixtures import StubResolver, Tripwire, server, tripwire  # noqa: F401 - fixtures

FAST = ProbeSettings(timeout=1.0, connect_timeout=1.0, allow_hosts=("127.0.0.1",), min_interval=0, retries=0)


def check(url: str, settings: ProbeSettings = FAST, *, expect_file: bool = True, **kw: Any) -> LinkCheck:
    async def go() -> LinkCheck:
        async with LinkChecker(settings, **kw) as checker:
            return await checker.check(url, expect_file=expect_file)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("path", "verdict", "status", "error_class"),
    [
        ("/ok.csv", "ok", 200, None),
        ("/status/404", "broken", 404, None),
        ("/status/410", "broken", 410, None),
        ("/status/500", "failure", 500, None),
        ("/status/429", "unknown", 429, "rate-limited"),
        ("/retry-after/503?after=2", "unknown", 503, "unavailable"),
        ("/retry-after/429?after=2", "unknown", 429, "rate-limited"),
        ("/redirect/3", "ok", 200, None),
        ("/redirect/10", "ok", 200, None),
        ("/redirect/11", "broken", 302, "too-many-redirects"),
        ("/loop/a", "broken", 302, "redirect-loop"),
        ("/head-405", "ok", 200, None),
        ("/head/501", "ok", 200, None),
        ("/head/404", "ok", 200, None),
        ("/head/html", "ok", 200, None),
        ("/endless", "ok", 200, None),
        ("/soft404.csv", "broken", 200, "soft-404"),
        ("/login.csv", "unknown", 200, "login"),
        ("/waf", "unknown", 403, "waf"),
        ("/landing", "ok", 200, None),
        ("/slow?delay=0.3", "ok", 200, None),
        ("/hang", "unknown", None, "timeout"),
        ("/reset", "unknown", None, "reset"),
    ],
)
def test_each_behaviour_is_classified(server: LinkServer, path: str, verdict: str, status: int | None,  # noqa: F811
                                      error_class: str | None) -> None:
    got = check(server.url(path))
    assert (got.verdict, got.status, got.error_class) == (verdict, status, error_class), got.reason


def test_answer_details_are_recorded(server: LinkServer) -> None:  # noqa: F811
    got = check(server.url("/redirect/2"))
    assert got.final_url == server.url("/ok.csv")
    assert (got.redirects, got.method, got.content_type, got.content_length) == (2, "HEAD", "text/csv", 8)
    assert (got.last_modified, got.etag) == ("Wed, 21 Oct 2015 07:28:00 GMT", '"abc"')
    assert got.elapsed_ms >= 0 and got.reason == "HTTP 200 OK"


def test_head_refused_falls_back_to_get(server: LinkServer) -> None:  # noqa: F811
    before = server.hits[("GET", "/head-405")]
    got = check(server.url("/head-405"))
    assert got.method == "GET" and "HEAD refused (405)" in got.reason
    assert server.hits[("GET", "/head-405")] == before + 1


@pytest.mark.parametrize(
    ("path", "why"),
    [("/head/501", "HEAD refused (501)"), ("/head/404", "HEAD answered 404"),
     ("/head/500", "HEAD answered 500"), ("/head/html", "HEAD answered an HTML page")],
)
def test_an_unreliable_head_is_confirmed_with_a_get(server: LinkServer, path: str, why: str) -> None:  # noqa: F811
    before = server.hits[("GET", path)]
    got = check(server.url(path))
    assert (got.verdict, got.status, got.method, got.content_type) == ("ok", 200, "GET", "text/csv")
    assert got.reason == f"HTTP 200 OK (GET; {why})"
    assert server.hits[("HEAD", path)] >= 1 and server.hits[("GET", path)] == before + 1


def test_a_trusted_head_is_not_followed_by_a_get(server: LinkServer) -> None:  # noqa: F811
    before = server.hits[("GET", "/file/trusted.csv")]
    got = check(server.url("/file/trusted.csv"))
    assert (got.verdict, got.method) == ("ok", "HEAD")
    assert server.hits[("GET", "/file/trusted.csv")] == before


def test_endless_body_is_read_only_a_few_kb(server: LinkServer) -> None:  # noqa: F811
    # The body never ends: only reading a few KB and closing lets the check finish at all.
    closed = server.streams_closed
    got = check(server.url("/endless"), replace(FAST, read_bytes=4096, timeout=5.0))
    assert (got.verdict, got.method, got.content_length) == ("ok", "GET", None), got.reason
    # ...and the connection was closed: the server's endless write loop ended.
    deadline = time.monotonic() + 10
    while server.streams_closed == closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.streams_closed == closed + 1


def test_compressed_bodies_are_not_inflated(server: LinkServer) -> None:  # noqa: F811
    got = check(server.url("/bomb"))
    # The GET read 8 KB of the raw gzip stream (a 64 MB page if inflated) and stopped.
    assert (got.verdict, got.method, got.status) == ("ok", "GET", 200), got.reason


def test_hang_is_a_timeout_not_a_wait(server: LinkServer) -> None:  # noqa: F811
    got = check(server.url("/hang"), ProbeSettings(timeout=0.3, connect_timeout=0.3, allow_hosts=("127.0.0.1",)))
    assert got.error_class == "timeout" and "GET" in got.reason  # HEAD timed out, GET confirmed it


def test_connect_timeout() -> None:
    # A listening socket whose accept queue is full: the kernel drops new SYNs, so connecting hangs.
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    try:
        got = check(f"http://127.0.0.1:{port}/x.csv", replace(FAST, connect_timeout=0.3, timeout=5.0))
    finally:
        for c in fillers:
            c.close()
        listener.close()
    assert (got.verdict, got.status, got.error_class) == ("unknown", None, "connect-timeout"), got.reason
    assert got.reason == "timed out while connecting"


def test_connection_refused_and_unknown_names() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    got = check(f"http://127.0.0.1:{port}/x.csv")
    assert (got.verdict, got.error_class) == ("failure", "refused")
    dns = StubResolver({})
    got = check("http://no-such-host.example/x.csv", guard=Guard(resolver=dns))
    assert (got.verdict, got.error_class) == ("broken", "dns") and dns.calls == ["no-such-host.example"]


def test_invalid_urls_are_broken_without_a_request(server: LinkServer) -> None:  # noqa: F811
    for url in ("not a url", "javascript:void(0)", "http:///x.csv", "http://127.1/x"):
        got = check(url)
        assert (got.verdict, got.error_class, got.requested) == ("broken", "invalid-url", False), url


# -- the SSRF guard in the checker ---------------------------------------------------------------


def test_loopback_is_refused_without_an_allow_list(server: LinkServer, tripwire: Tripwire) -> None:  # noqa: F811
    before = sum(server.hits.values())
    for host in ("127.0.0.1", "127.0.0.2"):
        got = check(server.url("/ok.csv", host=host), ProbeSettings(timeout=1.0))
        assert (got.verdict, got.error_class) == ("unknown", "ssrf")
        assert got.reason.startswith("refused by the SSRF guard") and "loopback" in got.reason
    assert sum(server.hits.values()) == before
    assert tripwire.attempts == []


def test_names_resolving_to_private_ranges_are_refused_without_connecting(tripwire: Tripwire) -> None:  # noqa: F811
    dns = StubResolver({"intranet.example": ["10.1.2.3"], "meta.example": ["169.254.169.254"],
                        "both.example": ["93.184.216.34", "192.168.1.20"]})
    reasons = {}
    for host in dns.table:
        got = check(f"http://{host}/data.csv", guard=Guard(resolver=dns))
        assert (got.verdict, got.error_class, got.status) == ("unknown", "ssrf", None), got.reason
        reasons[host] = got.reason
    assert reasons == {
        "intranet.example": "refused by the SSRF guard: intranet.example resolves to 10.1.2.3, a private address",
        "meta.example": "refused by the SSRF guard: meta.example resolves to 169.254.169.254, a link-local address",
        "both.example": "refused by the SSRF guard: both.example resolves to 192.168.1.20, a private address",
    }
    assert tripwire.attempts == []  # nothing was even tried


def test_redirects_to_refused_targets_are_refused(server: LinkServer, tripwire: Tripwire) -> None:  # noqa: F811
    dns = StubResolver({"intranet.example": ["10.1.2.3"]})
    guard = Guard(["127.0.0.1"], resolver=dns)
    for target in (f"http://127.0.0.2:{server.port}/ok.csv", "http://intranet.example/secret",
                   "http://[::ffff:169.254.169.254]/latest"):
        got = check(server.url(f"/to?url={target}"), guard=guard)
        assert (got.verdict, got.error_class, got.redirects) == ("unknown", "ssrf", 1), got.reason
        assert "refused by the SSRF guard" in got.reason
    assert tripwire.outside() == []
    assert all(a[0] == "127.0.0.1" for a in tripwire.attempts)


def test_allowed_name_is_pinned_to_the_checked_address(server: LinkServer, tripwire: Tripwire) -> None:  # noqa: F811
    dns = StubResolver({"files.example": ["127.0.0.1"]})
    got = check(f"http://files.example:{server.port}/ok.csv", guard=Guard(["127.0.0.1"], resolver=dns))
    assert got.verdict == "ok"
    assert {a[0] for a in tripwire.attempts} == {"127.0.0.1"}


def test_user_agent_names_govlens_and_a_contact_url(server: LinkServer) -> None:  # noqa: F811
    before = server.agents.copy()
    check(server.url("/f/agent-default.csv"))
    check(server.url("/f/agent-custom.csv"), replace(FAST, user_agent="govlens/9 (+https://example.org/bot)"))
    sent = server.agents - before
    assert set(sent) == {FAST.user_agent, "govlens/9 (+https://example.org/bot)"}
    assert re.fullmatch(r"govlens/[\w.]+ \(\+https://\S+; open-data observatory\)", FAST.user_agent)
