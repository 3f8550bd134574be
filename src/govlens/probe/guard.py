"""The SSRF guard: which network targets govlens may connect to.

govlens fetches URLs written by strangers. Without a guard, a catalogue entry
pointing at ``http://169.254.169.254/`` or ``http://10.0.0.5:8080/admin`` would
turn the link checker into a tool for reaching the observatory's own network.

The guard refuses, unless the host is explicitly allowed:

* URLs that are not valid http(s) URLs (:class:`~govlens.errors.InvalidTarget`);
* ftp and other schemes it does not check;
* any target whose address is loopback, private, link-local, multicast,
  reserved, unspecified or otherwise not globally routable, including the
  IPv4-mapped, 6to4, Teredo and NAT64 IPv6 forms that embed such an address.

Addresses are checked *after* DNS resolution, and the connection is then made
to the very address that was checked (the IP is pinned), so a name that
resolves to a public address at check time and to a private one at connect
time (DNS rebinding) cannot slip through. The Host header and TLS SNI keep the
original name. Every redirect hop is a new request and is checked again.

Usage::

    guard = Guard(allow_hosts=["127.0.0.1", "data.intranet.example"])
    target = await guard.check("https://example.org/file.csv")  # ResolvedTarget
    async with guard.httpx_client() as client:   # every connection checked and pinned
        ...
    with guard.httpx_sync_client() as client:    # the same for synchronous code
        ...
    async with guard.aiohttp_session() as session:
        ...

Entries of ``allow_hosts`` are host names (``data.intranet.example``, or
``*.intranet.example`` for every subdomain), IP addresses (``127.0.0.1``) or
networks (``10.20.0.0/16``). An allowed name may resolve to any address; an
allowed address or network is accepted whatever name led to it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yarl import URL

from govlens.errors import ConfigError, GuardRefused, InvalidTarget

if TYPE_CHECKING:
    import aiohttp
    import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: ``await resolver(host, port)`` returns the host's IP addresses as strings.
#: It raises :class:`socket.gaierror` when the name cannot be resolved.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
#: The same for synchronous clients.
SyncResolver = Callable[[str, int], Sequence[str]]

SCHEMES = ("http", "https")
#: Schemes that may serve a file but are not checked: refused, not invalid.
UNCHECKED_SCHEMES = ("ftp", "ftps", "sftp")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_CONTROL = frozenset(chr(c) for c in range(0x21)) | {"\x7f"}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]*))*\.?$", re.IGNORECASE)
_HOST_CHARS = re.compile(r"^[^\x00-\x2c/:;<=>?@\[\\\]^`{|}~\x7f%]+$")


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed the static checks: http(s), a valid host and port."""

    url: str
    scheme: str
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    """A checked target and the addresses a connection to it may use."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the operating system's resolver (``getaddrinfo``)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def system_resolver_sync(host: str, port: int) -> list[str]:
    """:func:`system_resolver` for synchronous clients."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def forbidden_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be reached by default (``"private"``, ``"loopback"``...), or ``None``."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        for form, v4 in embedded:
            kind = forbidden_kind(v4)
            if kind:
                return f"{form} {kind}"
        if embedded:
            return None
    for kind, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    ):
        if flag:
            return kind
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    if ip.ipv4_mapped is not None:
        return [("IPv4-mapped", ip.ipv4_mapped)]
    if ip.sixtofour is not None:
        return [("6to4", ip.sixtofour)]
    if ip.teredo is not None:
        return [("Teredo", ip.teredo[0]), ("Teredo", ip.teredo[1])]
    if any(ip in net for net in _NAT64):
        return [("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))]
    return []


def _ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


class Guard:
    """Decides which targets may be reached; see the module documentation."""

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        resolver: Resolver | None = None,
        sync_resolver: SyncResolver | None = None,
    ) -> None:
        self._names: set[str] = set()
        self._suffixes: list[str] = []
        self._networks: list[IPNetwork] = []
        for entry in allow_hosts:
            self._add_allowed(entry)
        self._resolve = resolver or system_resolver
        self._resolve_sync = sync_resolver or system_resolver_sync
        self._hosts: dict[str, GuardRefused | None] = {}

    def _add_allowed(self, entry: str) -> None:
        name = entry.strip().lower().rstrip(".").strip("[]")
        if not name:
            raise ConfigError("empty entry in the list of allowed hosts")
        try:
            self._networks.append(ipaddress.ip_network(name, strict=False))
            return
        except ValueError:
            pass
        if name.startswith("*."):
            self._suffixes.append(name[1:])
        elif "/" in name or any(c in _CONTROL for c in name):
            raise ConfigError("not a host name, address or network", allow_host=entry)
        else:
            self._names.add(name)

    @property
    def allow_hosts(self) -> tuple[str, ...]:
        return (*sorted(self._names), *(f"*{s}" for s in self._suffixes), *map(str, self._networks))

    # -- decisions --------------------------------------------------------------------

    def host_allowed(self, host: str) -> bool:
        """Whether ``host`` (a name) was explicitly allowed to reach any address."""
        h = host.lower().rstrip(".")
        return h in self._names or any(h.endswith(s) for s in self._suffixes)

    def address_allowed(self, ip: IPAddress) -> bool:
        candidates = [ip, *(v4 for _, v4 in _embedded_ipv4(ip))] if ip.version == 6 else [ip]
        return any(c in net for c in candidates for net in self._networks if c.version == net.version)

    def check_address(self, host: str, address: str) -> None:
        """Raise :class:`GuardRefused` unless ``host`` may connect to ``address``."""
        ip = _ip(address)
        if ip is None:
            raise GuardRefused("resolver returned something that is not an IP address",
                               host=host, address=address)
        kind = forbidden_kind(ip)
        if kind and not (self.host_allowed(host) or self.address_allowed(ip)):
            shown = host if host == address else f"{host} resolves to {address}"
            raise GuardRefused(f"{shown}, a {kind} address", host=host)

    def url(self, url: str) -> URL:
        """Check ``url`` without network access and return it as aiohttp will request it.

        Raises :class:`InvalidTarget` for a URL that is not a valid http(s)
        URL and :class:`GuardRefused` for a scheme that is not checked or a
        literal address that may not be reached. Names are checked when they
        are resolved (:meth:`resolve`).
        """
        text = url.strip()
        if not text:
            raise InvalidTarget("empty URL")
        if _CONTROL_RE.search(text):
            raise InvalidTarget("control characters in the URL", url=url)
        try:
            parsed = URL(text)
            port = parsed.port
        except (ValueError, TypeError, IndexError) as exc:  # yarl raises IndexError for "http://[::1]@"
            raise InvalidTarget(f"unparsable URL: {exc}", url=url) from exc
        scheme = parsed.scheme
        if scheme not in SCHEMES:
            if scheme in UNCHECKED_SCHEMES:
                raise GuardRefused(f"{scheme} links are not checked", url=url)
            raise InvalidTarget(f"scheme {scheme!r} is not http(s)" if scheme else "no scheme", url=url)
        host = parsed.raw_host
        if not host:
            raise InvalidTarget("no host", url=url)
        self.check_host(host, url)
        if not port:
            raise InvalidTarget("port 0", url=url)
        return parsed

    def parse(self, url: str) -> Target:
        """:meth:`url`, as a plain :class:`Target`."""
        parsed = self.url(url)
        return Target(url.strip(), parsed.scheme, parsed.raw_host or "", parsed.port or 0)

    def check_host(self, host: str, url: str | None = None) -> None:
        """Check a host as a client will use it: an IP literal is checked now, a name
        must be well formed (its addresses are checked by :meth:`resolve`)."""
        try:
            known = self._hosts[host]
        except KeyError:
            known = None
            try:
                self._check_host(host)
            except GuardRefused as exc:
                known = exc
            if len(self._hosts) >= 50_000:
                self._hosts.clear()
            self._hosts[host] = known
        if known is not None:
            raise type(known)(known.message, **{**known.context, "url": url})

    def _check_host(self, host: str) -> None:
        literal = _ip(host)
        if literal is not None:
            self.check_address(host, str(literal))
            return
        if _NUMERIC_HOST.match(host):
            raise InvalidTarget("not a canonical IP address", host=host)
        if not _HOST_CHARS.match(host):
            raise InvalidTarget("invalid characters in the host name", host=host)
        try:
            host.rstrip(".").encode("idna")
        except UnicodeError as exc:
            raise InvalidTarget("invalid host name", host=host) from exc

    async def resolve(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses ``host`` may be reached at, all checked.

        Raises :class:`socket.gaierror` when the name does not resolve and
        :class:`GuardRefused` when any of its addresses may not be reached
        (a name with one public and one private address is refused).
        """
        literal = _ip(host)
        if literal is not None:
            self.check_address(host, str(literal))
            return (str(literal),)
        return self._checked(host, tuple(await self._resolve(host, port)))

    def resolve_sync(self, host: str, port: int) -> tuple[str, ...]:
        """:meth:`resolve` for synchronous clients (uses ``sync_resolver``)."""
        literal = _ip(host)
        if literal is not None:
            self.check_address(host, str(literal))
            return (str(literal),)
        return self._checked(host, tuple(self._resolve_sync(host, port)))

    def _checked(self, host: str, addresses: tuple[str, ...]) -> tuple[str, ...]:
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "the name has no address")
        for address in addresses:
            self.check_address(host, address)
        return addresses

    async def check(self, url: str) -> ResolvedTarget:
        """Parse ``url``, resolve its host and check every address."""
        t = self.parse(url)
        addresses = await self.resolve(t.host, t.port)
        return ResolvedTarget(t.url, t.scheme, t.host, t.port, addresses)

    # -- clients that enforce the guard ----------------------------------------------------

    def httpx_transport(self, **kwargs: Any) -> httpx.AsyncHTTPTransport:
        """An httpx transport that checks and pins every connection it opens.

        Keyword arguments go to :class:`httpx.AsyncHTTPTransport` (``verify``,
        ``limits``, ``http2``...); proxies and Unix sockets are not accepted.
        """
        from govlens.probe.transport import guarded_httpx_transport

        return guarded_httpx_transport(self, **kwargs)

    def httpx_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An :class:`httpx.AsyncClient` over :meth:`httpx_transport`.

        ``trust_env`` is off, so proxy variables cannot route around the guard.
        """
        import httpx

        transport_kw = {k: kwargs.pop(k) for k in ("verify", "limits", "http2") if k in kwargs}
        return httpx.AsyncClient(transport=self.httpx_transport(**transport_kw), trust_env=False, **kwargs)

    def httpx_sync_client(self, **kwargs: Any) -> httpx.Client:
        """A synchronous :class:`httpx.Client`, checked and pinned like :meth:`httpx_client`."""
        import httpx

        from govlens.probe.transport import guarded_httpx_sync_transport

        transport_kw = {k: kwargs.pop(k) for k in ("verify", "limits", "http2") if k in kwargs}
        return httpx.Client(transport=guarded_httpx_sync_transport(self, **transport_kw), trust_env=False,
                            **kwargs)

    def aiohttp_connector(self, **kwargs: Any) -> aiohttp.TCPConnector:
        """An aiohttp connector whose resolver checks every address it returns.

        IP literals do not go through a resolver in aiohttp: use
        :meth:`aiohttp_session` (or call :meth:`parse` on each URL) as well.
        """
        from govlens.probe.transport import guarded_aiohttp_connector

        return guarded_aiohttp_connector(self, **kwargs)

    def aiohttp_session(self, **kwargs: Any) -> aiohttp.ClientSession:
        """An :class:`aiohttp.ClientSession` checking every request and redirect hop."""
        from govlens.probe.transport import guarded_aiohttp_session

        return guarded_aiohttp_session(self, **kwargs)
