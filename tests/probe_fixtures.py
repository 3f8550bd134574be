"""Fixtures for the link-checker tests: the loopback server, a stub resolver, and a tripwire
that fails any attempt to connect outside loopback (import them into a test module)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from linkserver import LinkServer


class Tripwire:
    """Records every socket connection attempt and refuses those outside loopback."""

    def __init__(self) -> None:
        self.attempts: list[Any] = []

    def outside(self) -> list[Any]:
        return [a for a in self.attempts if not _loopback(a)]


def _loopback(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # Unix sockets
    try:
        return ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def tripwire(monkeypatch: pytest.MonkeyPatch) -> Iterator[Tripwire]:
    wire = Tripwire()
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> Any:
        wire.attempts.append(address)
        if not _loopback(address):
            raise ConnectionRefusedError(f"test tripwire: no traffic outside loopback ({address!r})")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        wire.attempts.append(address)
        if not _loopback(address):
            raise ConnectionRefusedError(f"test tripwire: no traffic outside loopback ({address!r})")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield wire
    assert wire.outside() == [], "a connection outside loopback was attempted"


@pytest.fixture(scope="module")
def server() -> Iterator[LinkServer]:
    with LinkServer() as s:
        yield s


class StubResolver:
    """DNS answers from a table; names not in it do not exist. Counts lookups."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.table[host])
