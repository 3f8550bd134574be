"""The SSRF guard without any network: address classes, URL parsing, resolution through a stub."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest

from govlens.errors import ConfigError, GuardRefused, InvalidTarget
from govlens.probe import Guard, forbidden_kind
from probe_fixtures import StubResolver, Tripwire, tripwire  # noqa: F401 - fixture


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "IPv4-mapped private"),
        ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
        ("2002:a00:1::", "6to4 private"),
        ("2002:7f00:1::", "6to4 loopback"),
        ("64:ff9b::a9fe:a9fe", "NAT64 link-local"),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo private"),
    ],
)
def test_forbidden_address_classes(address: str, kind: str) -> None:
    assert forbidden_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["8.8.8.8", "200.57.1.1", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_kind(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "", "datos.gob.mx/file.csv", "javascript:alert(1)", "mailto:x@example.org", "file:///etc/passwd",
        "http://", "http://exa mple.org/", "http://example.org:99999/", "http://example.org:0/",
        "http://%31%32%37.0.0.1/", "http://127.1/", "http://0x7f000001/", "http://2130706433/",
        "http://exa\x00mple.org/", "http://a..b/", "http://[::1]@",
    ],
)
def test_invalid_urls_are_invalid_targets(url: str) -> None:
    with pytest.raises(InvalidTarget):
        Guard().parse(url)


def test_unchecked_schemes_are_refused_not_invalid() -> None:
    with pytest.raises(GuardRefused) as info:
        Guard().parse("ftp://ftp.example.org/data.csv")
    assert not isinstance(info.value, InvalidTarget)
    assert "ftp" in str(info.value)


def test_literal_private_addresses_are_refused_unless_allowed() -> None:
    with pytest.raises(GuardRefused, match="127.0.0.2, a loopback address"):
        Guard().parse("http://127.0.0.2:8080/x.csv")
    with pytest.raises(GuardRefused, match="IPv4-mapped"):
        Guard().parse("http://[::ffff:10.0.0.1]/x")
    assert Guard(["127.0.0.2"]).parse("http://127.0.0.2:8080/x.csv").port == 8080
    assert Guard(["127.0.0.0/8"]).parse("http://127.0.0.9/").host == "127.0.0.9"
    with pytest.raises(GuardRefused):
        Guard(["127.0.0.1"]).parse("http://127.0.0.2/")


def test_names_resolving_to_private_ranges_are_refused(tripwire: Tripwire) -> None:  # noqa: F811
    dns = StubResolver({
        "intranet.example": ["10.20.30.40"],
        "mixed.example": ["93.184.216.34", "192.168.0.10"],
        "metadata.example": ["169.254.169.254"],
        "v6.example": ["fd00::5"],
        "public.example": ["93.184.216.34", "2606:2800:220:1::"],
    })
    guard = Guard(resolver=dns)

    async def go() -> None:
        for host, kind in [("intranet.example", "private"), ("mixed.example", "private"),
                           ("metadata.example", "link-local"), ("v6.example", "private")]:
            with pytest.raises(GuardRefused, match=kind):
                await guard.check(f"https://{host}/data.csv")
        target = await guard.check("https://public.example/data.csv")
        assert target.addresses == ("93.184.216.34", "2606:2800:220:1::")
        assert (target.host, target.port, target.scheme) == ("public.example", 443, "https")
        with pytest.raises(socket.gaierror):
            await guard.check("http://no-such-name.example/")

    asyncio.run(go())
    assert dns.calls[-1] == "no-such-name.example"
    assert tripwire.attempts == []  # resolving and checking never connects


def test_allowed_names_and_suffixes_may_resolve_anywhere() -> None:
    dns = StubResolver({"files.intranet.example": ["10.0.0.5"], "db.other.example": ["10.0.0.6"]})
    guard = Guard(["*.intranet.example", "db.other.example."], resolver=dns)

    async def go() -> None:
        assert (await guard.check("http://files.intranet.example/x")).addresses == ("10.0.0.5",)
        assert (await guard.check("http://DB.other.example/x")).addresses == ("10.0.0.6",)

    asyncio.run(go())
    assert guard.allow_hosts == ("db.other.example", "*.intranet.example")


def test_literal_hosts_are_not_resolved() -> None:
    dns = StubResolver({})
    asyncio.run(Guard(["127.0.0.1"], resolver=dns).check("http://127.0.0.1:9/"))
    assert dns.calls == []


@pytest.mark.parametrize("entry", ["", "a/b/c", "bad host"])
def test_bad_allow_list_entries(entry: str) -> None:
    with pytest.raises(ConfigError):
        Guard([entry])
