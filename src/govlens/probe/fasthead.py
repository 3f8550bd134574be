"""A light HTTP/1.1 client for the checker's HEAD requests.

Most checks are one HEAD request answered by a status and a few headers.
aiohttp spends most of a check's CPU on machinery such an exchange does not
need (middlewares, tracing, request and response objects, stream readers).
This client does only that exchange: an asyncio protocol per connection, the
answer parsed by ``httptools`` (llhttp, the parser Node.js uses), keep-alive
connections reused per host, and nothing else.

It keeps what the checker relies on:

* every connection goes to an address the SSRF guard checked (names through
  :meth:`Guard.resolve`, pinned; literal addresses were checked by the
  checker before the request);
* connect and total timeouts, as aiohttp's ``sock_connect`` and ``total``;
* TLS with the checker's context, SNI and certificate checks on the name;
* the session's cookie jar, read and updated as aiohttp does;
* one more attempt when the connection drops before the answer, as aiohttp
  does for idempotent requests.

Anything it does not handle (an informational 1xx answer, an answer the parser
rejects, oversized headers, credentials in the URL) raises
:class:`Unsupported`, and the checker sends that request through aiohttp.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httptools
from multidict import CIMultiDict, CIMultiDictProxy

from govlens.probe import plainurl

if TYPE_CHECKING:
    from aiohttp.abc import AbstractCookieJar

    from govlens.probe.guard import Guard

#: Bytes of status line and headers accepted before the answer is left to aiohttp.
MAX_HEAD = 64 * 1024
#: Seconds an idle connection is kept for reuse (aiohttp's keep-alive default).
KEEPALIVE = 15.0
#: Seconds a resolved name is reused (the aiohttp connector's ``ttl_dns_cache``).
DNS_TTL = 60.0

Headers = CIMultiDictProxy[str]


class Unsupported(Exception):
    """An answer or URL this client leaves to aiohttp."""


class ConnectTimeout(TimeoutError):
    """The connection (TCP and TLS handshake) took longer than the connect timeout."""


class ConnectFailed(OSError):
    """The connection could not be opened; ``os_error`` says why."""

    def __init__(self, os_error: OSError) -> None:
        super().__init__(os_error.errno, os_error.strerror or str(os_error))
        self.os_error = os_error


class Disconnected(ConnectionError):
    """The server closed the connection before a complete answer."""


class _Conn(asyncio.Protocol):
    """One connection: sends a request, parses the answer's head."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self._waiter: asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bool]] | None = None
        self._parser: Any = None
        self._raw: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []
        self._size = 0

    # -- asyncio.Protocol ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.abort()  # bytes nobody asked for (a body sent after a HEAD answer): not reusable
            return
        self._size += len(data)
        self._chunks.append(data)
        if self._size > MAX_HEAD:
            self._fail(Unsupported("answer headers larger than 64 KB"))
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(Unsupported(f"answer not parsed: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc if isinstance(exc, OSError) else Disconnected(
                "connection closed by the server before a complete answer"))

    # -- httptools callbacks ---------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self._raw.append((name, value))

    def on_headers_complete(self) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        status = self._parser.get_status_code()
        if status < 200:
            self._fail(Unsupported(f"informational answer {status}"))
            return
        # A HEAD answer ends with its headers. The connection is reused only when the
        # server keeps it open and sent nothing after them.
        head = self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)
        reusable = self._parser.should_keep_alive() and head.find(b"\r\n\r\n") == len(head) - 4
        waiter.set_result((status, self._raw, reusable))

    # -- the client's side -----------------------------------------------------------------

    def _fail(self, exc: BaseException) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)
        self.abort()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    async def exchange(self, request: bytes, deadline: float) -> tuple[int, list[tuple[bytes, bytes]], bool]:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bool]] = loop.create_future()
        self._waiter = waiter
        self._parser = httptools.HttpResponseParser(self)
        self._raw, self._chunks, self._size = [], [], 0
        timer = loop.call_at(deadline, self._fail, TimeoutError("timed out waiting for the answer"))
        try:
            assert self.transport is not None
            self.transport.write(request)
            return await waiter
        except BaseException:
            self.abort()
            raise
        finally:
            timer.cancel()
            self._waiter = None


class HeadClient:
    """Sends HEAD requests over kept-alive connections; see the module documentation."""

    def __init__(
        self,
        guard: Guard,
        *,
        headers: Mapping[str, str],
        timeout: float,
        connect_timeout: float,
        limit: int,
        ssl_context: ssl.SSLContext | None = None,
        cookie_jar: AbstractCookieJar | None = None,
    ) -> None:
        self._guard = guard
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._limit = limit
        self._ssl = ssl_context
        self._jar = cookie_jar
        self._fixed = "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode("latin-1")
        self._idle: dict[tuple[str, str, int], deque[_Conn]] = {}
        self._open: set[_Conn] = set()
        self._dns: dict[tuple[str, int], tuple[float, tuple[str, ...]]] = {}

    async def head(self, url: plainurl.RequestURL) -> tuple[int, Headers]:
        """Status and headers of the answer to ``HEAD url`` (not following redirects)."""
        if url.raw_user is not None or url.raw_password is not None:
            raise Unsupported("credentials in the URL")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        request = self._request(url)
        key = (url.scheme, url.raw_host or "", url.port or 0)
        for attempt in (0, 1):
            conn = await self._acquire(key, deadline)
            try:
                status, raw, reusable = await conn.exchange(request, deadline)
            except ConnectionError:  # dropped before the answer: once more, as aiohttp does
                self._open.discard(conn)
                if attempt:
                    raise
                continue
            except BaseException:
                self._open.discard(conn)
                raise
            if reusable and not conn.closed:
                conn.idle_since = loop.time()
                self._idle.setdefault(key, deque()).append(conn)
            else:
                conn.abort()
                self._open.discard(conn)
            headers = CIMultiDictProxy(CIMultiDict(
                (n.decode("latin-1"), v.decode("utf-8", "surrogateescape")) for n, v in raw))
            if self._jar is not None and "Set-Cookie" in headers:
                self._jar.update_cookies_from_headers(headers.getall("Set-Cookie"), plainurl.as_url(url))
            return status, headers
        raise AssertionError("unreachable")

    def _request(self, url: plainurl.RequestURL) -> bytes:
        start = f"HEAD {url.raw_path_qs or '/'} HTTP/1.1\r\nHost: {url.host_port_subcomponent}\r\n"
        cookie = b""
        if self._jar is not None and len(self._jar):
            found = self._jar.filter_cookies(plainurl.as_url(url))
            if found:
                text = "; ".join(f"{name}={m.coded_value}" for name, m in found.items())
                cookie = f"Cookie: {text}\r\n".encode("latin-1", "replace")
        return start.encode("utf-8", "surrogateescape") + cookie + self._fixed + b"\r\n"

    async def _acquire(self, key: tuple[str, str, int], deadline: float) -> _Conn:
        loop = asyncio.get_running_loop()
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if not conn.closed and loop.time() - conn.idle_since < KEEPALIVE:
                return conn
            conn.abort()
            self._open.discard(conn)
        conn = await self._connect(key, deadline)
        self._open.add(conn)
        self._evict()
        return conn

    def _evict(self) -> None:
        """Close the longest-idle connections while more than ``limit`` are open."""
        while len(self._open) > self._limit:
            oldest = min((q[0] for q in self._idle.values() if q), key=lambda c: c.idle_since, default=None)
            if oldest is None:
                return
            for q in self._idle.values():
                if q and q[0] is oldest:
                    q.popleft()
                    break
            oldest.abort()
            self._open.discard(oldest)

    async def _resolve(self, host: str, port: int) -> tuple[str, ...]:
        now = asyncio.get_running_loop().time()
        hit = self._dns.get((host, port))
        if hit is not None and hit[0] > now:
            return hit[1]
        addresses = await self._guard.resolve(host, port)
        if len(self._dns) >= 10_000:
            self._dns.clear()
        self._dns[(host, port)] = (now + DNS_TTL, addresses)
        return addresses

    async def _connect(self, key: tuple[str, str, int], deadline: float) -> _Conn:
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        remaining = deadline - loop.time()
        limit = min(self._connect_timeout, remaining)
        tls = self._tls() if scheme == "https" else None
        try:
            async with asyncio.timeout(limit):
                addresses = await self._resolve(host, port)
                last: OSError | None = None
                for address in addresses:
                    try:
                        sock = await _open_socket(loop, address, port)
                    except OSError as exc:
                        last = exc
                        continue
                    try:
                        _, conn = await loop.create_connection(
                            _Conn, sock=sock, ssl=tls, server_hostname=host if tls else None)
                    except BaseException:
                        sock.close()
                        raise
                    return conn
                assert last is not None
                raise ConnectFailed(last)
        except TimeoutError as exc:
            if self._connect_timeout <= remaining:
                raise ConnectTimeout("timed out while connecting") from exc
            raise

    def _tls(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl.create_default_context()
        return self._ssl

    def close(self) -> None:
        for conn in self._open:
            conn.abort()
        self._open.clear()
        self._idle.clear()



async def _open_socket(loop: asyncio.AbstractEventLoop, address: str, port: int) -> socket.socket:
    """A TCP socket connected to ``address`` (a checked IP address), through the socket module
    as aiohttp's connector does, whatever the event loop."""
    sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await loop.sock_connect(sock, (address, port))
    except BaseException:
        sock.close()
        raise
    return sock
