"""Guarded HTTP clients (httpx and aiohttp) and TLS: pinned addresses, right Host and SNI."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator

import pytest
import trustme

from govlens.errors import GuardRefused
from govlens.probe import Guard, ProbeSettings
from govlens.probe.links import LinkChecker
from govlens.probe.transport import refusal_of
from linkserver import LinkServer
from probe_fixtures import StubResolver, Tripwire, tripwire  # noqa: F401 - fixture


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_server(ca: trustme.CA) -> Iterator[LinkServer]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("files.example").configure_cert(ctx)
    with LinkServer(tls=ctx) as s:
        yield s


def _client_ctx(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


DNS = {"files.example": ["127.0.0.1"], "intranet.example": ["10.9.8.7"]}


def test_httpx_client_pins_the_checked_address_and_keeps_host_and_sni(
    tls_server: LinkServer, ca: trustme.CA, tripwire: Tripwire  # noqa: F811
) -> None:
    guard = Guard(["127.0.0.1"], resolver=StubResolver(DNS))

    async def go() -> tuple[int, str, int]:
        async with guard.httpx_client(verify=_client_ctx(ca)) as client:
            r = await client.get(f"https://files.example:{tls_server.tls_port}/echo-host")
            plain = await client.get(f"http://files.example:{tls_server.port}/ok.csv")
            return r.status_code, r.text, plain.status_code

    status, host, plain = asyncio.run(go())
    # The certificate is only valid for files.example: TLS verified the name, not the IP.
    assert (status, host, plain) == (200, f"files.example:{tls_server.tls_port}", 200)
    assert {a[0] for a in tripwire.attempts} == {"127.0.0.1"}


def test_httpx_client_refuses_private_targets_and_redirects_to_them(
    tls_server: LinkServer, tripwire: Tripwire  # noqa: F811
) -> None:
    guard = Guard(["127.0.0.1"], resolver=StubResolver(DNS))

    async def go() -> list[GuardRefused]:
        out = []
        async with guard.httpx_client(follow_redirects=True) as client:
            for url in ("http://intranet.example/x", f"http://127.0.0.2:{tls_server.port}/ok.csv",
                        f"http://127.0.0.1:{tls_server.port}/to?url=http://intranet.example/x"):
                with pytest.raises(GuardRefused) as info:
                    await client.get(url)
                out.append(info.value)
        return out

    refusals = asyncio.run(go())
    assert "private" in str(refusals[0]) and "loopback" in str(refusals[1]) and "private" in str(refusals[2])
    assert tripwire.outside() == [] and {a[0] for a in tripwire.attempts} <= {"127.0.0.1"}


def test_httpx_transport_refuses_proxies() -> None:
    from govlens.errors import ConfigError

    with pytest.raises(ConfigError):
        Guard().httpx_transport(proxy="http://proxy.example:3128")


def test_aiohttp_session_checks_every_hop(tls_server: LinkServer, tripwire: Tripwire) -> None:  # noqa: F811
    guard = Guard(["127.0.0.1"], resolver=StubResolver(DNS))

    async def go() -> list[BaseException]:
        out: list[BaseException] = []
        async with guard.aiohttp_session() as session:
            async with session.get(tls_server.url("/ok.csv")) as r:
                assert r.status == 200
            for url in (tls_server.url(f"/to?url=http://127.0.0.2:{tls_server.port}/ok.csv"),
                        tls_server.url("/to?url=http://intranet.example/x")):
                try:
                    async with session.get(url):
                        pass
                except Exception as exc:  # noqa: BLE001 - inspected below
                    out.append(exc)
        return out

    errors = asyncio.run(go())
    assert len(errors) == 2 and all(refusal_of(e) is not None for e in errors)
    assert tripwire.outside() == []


def test_checker_tls_errors_and_verified_names(tls_server: LinkServer, ca: trustme.CA) -> None:
    guard = Guard(["127.0.0.1"], resolver=StubResolver(DNS))
    s = ProbeSettings(timeout=2.0, allow_hosts=("127.0.0.1",))

    async def go(ctx: ssl.SSLContext | None, url: str) -> tuple[str, str | None, int | None]:
        async with LinkChecker(s, guard=guard, ssl_context=ctx) as checker:
            got = await checker.check(url)
            return got.verdict, got.error_class, got.status

    url = f"https://files.example:{tls_server.tls_port}/ok.csv"
    assert asyncio.run(go(_client_ctx(ca), url)) == ("ok", None, 200)
    # Not trusted by the system's store: a TLS error, a failure the persistence rule handles.
    assert asyncio.run(go(None, url)) == ("failure", "tls", None)
    # Trusted CA, but the certificate does not name 127.0.0.1.
    assert asyncio.run(go(_client_ctx(ca), f"https://127.0.0.1:{tls_server.tls_port}/ok.csv"))[1] == "tls"


def test_sync_httpx_client_is_guarded_too(tls_server: LinkServer, ca: trustme.CA, tripwire: Tripwire) -> None:  # noqa: F811
    table = {"files.example": ["127.0.0.1"], "intranet.example": ["10.9.8.7"]}

    def dns(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such name")
        return table[host]

    guard = Guard(["127.0.0.1"], sync_resolver=dns)
    with guard.httpx_sync_client(verify=_client_ctx(ca), follow_redirects=True) as client:
        r = client.get(f"https://files.example:{tls_server.tls_port}/echo-host")
        assert (r.status_code, r.text) == (200, f"files.example:{tls_server.tls_port}")
        for url in ("http://intranet.example/x", tls_server.url("/to?url=http://intranet.example/x"),
                    tls_server.url(f"/to?url=http://127.0.0.2:{tls_server.port}/")):
            with pytest.raises(GuardRefused):
                client.get(url)
    assert tripwire.outside() == [] and {a[0] for a in tripwire.attempts} == {"127.0.0.1"}
