"""HTTP clients that enforce the SSRF guard: httpx and aiohttp adapters.

Both adapters resolve a host through :meth:`Guard.resolve`, which checks every
address, and then connect to one of those checked addresses, never to a name
(so DNS cannot change its answer between the check and the connection). The
original host name stays in the Host header and in TLS SNI and certificate
checks. Use them through :meth:`Guard.httpx_client`, :meth:`Guard.httpx_transport`,
:meth:`Guard.aiohttp_session` or :meth:`Guard.aiohttp_connector`.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import aiohttp
import httpcore
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

from govlens.errors import ConfigError, GuardRefused

if TYPE_CHECKING:
    from govlens.probe.guard import Guard


class RefusedByGuard(OSError):
    """Carries a :class:`GuardRefused` through aiohttp's resolver error path."""

    def __init__(self, refusal: GuardRefused) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def refusal_of(exc: BaseException) -> GuardRefused | None:
    """The guard's refusal behind an exception raised by a guarded client, if any."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, GuardRefused):
            return cur
        if isinstance(cur, RefusedByGuard):
            return cur.refusal
        os_error = getattr(cur, "os_error", None)
        if isinstance(os_error, RefusedByGuard):
            return os_error.refusal
        cur = cur.__cause__ or cur.__context__
    return None


# -- httpx ---------------------------------------------------------------------------------


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the guard checked."""

    def __init__(self, guard: Guard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._guard.resolve(host, port)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise GuardRefused("Unix sockets are not reachable through the guard", path=path)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_httpx_transport(guard: Guard, **kwargs: Any) -> httpx.AsyncHTTPTransport:
    for forbidden in ("proxy", "uds", "trust_env"):
        if forbidden in kwargs:
            raise ConfigError(f"{forbidden} cannot be used with the SSRF guard")
    verify = kwargs.pop("verify", True)
    limits = kwargs.pop("limits", httpx.Limits(max_connections=100, max_keepalive_connections=20))
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False, **kwargs)
    ssl_context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(
        verify=verify, trust_env=False
    )
    # Same pool as httpx builds, with the guarded network backend.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=kwargs.get("http1", True),
        http2=kwargs.get("http2", False),
        retries=kwargs.get("retries", 0),
        network_backend=GuardedBackend(guard),
    )
    return transport


# -- aiohttp -------------------------------------------------------------------------------


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver returning only addresses the guard accepts."""

    def __init__(self, guard: Guard) -> None:
        self._guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            addresses = await self._guard.resolve(host, port)
        except GuardRefused as exc:
            raise RefusedByGuard(exc) from exc
        return [
            {
                "hostname": host,
                "host": a,
                "port": port,
                "family": socket.AF_INET6 if ":" in a else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            }
            for a in addresses
        ]

    async def close(self) -> None:
        return None


def guarded_aiohttp_connector(guard: Guard, **kwargs: Any) -> aiohttp.TCPConnector:
    kwargs.setdefault("ttl_dns_cache", 60)
    return aiohttp.TCPConnector(resolver=GuardedResolver(guard), **kwargs)


def guard_middleware(guard: Guard) -> Any:
    """An aiohttp client middleware checking each request's URL, redirect hops included.

    Names are checked by the connector's resolver; this catches IP literals,
    which aiohttp connects to without resolving, and schemes.
    """

    async def middleware(
        request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise GuardRefused("only http(s) URLs may be fetched", url=str(url))
        guard.check_host(url.raw_host or "", str(url))
        return await handler(request)

    return middleware


def guarded_aiohttp_session(guard: Guard, **kwargs: Any) -> aiohttp.ClientSession:
    if "connector" in kwargs or kwargs.get("trust_env"):
        raise ConfigError("the guarded session makes its own connector and ignores proxies")
    middlewares = (guard_middleware(guard), *kwargs.pop("middlewares", ()))
    return aiohttp.ClientSession(
        connector=guarded_aiohttp_connector(guard), middlewares=middlewares, trust_env=False, **kwargs
    )
