"""The link checker: one URL in, one :class:`~govlens.model.LinkCheck` out.

How a URL is checked:

1. The SSRF guard checks the URL (scheme, host, literal addresses); names are
   checked after resolution by the guarded resolver, which pins the address.
2. HEAD, following redirects by hand (up to ``max_redirects``; a URL visited a
   third time is a loop), each hop checked by the guard again.
3. A GET when HEAD is refused (405, 501), fails (timeout, reset, protocol
   error), answers an error status, an HTML page, or neither type nor length.
   The GET reads at most ``read_bytes`` and then closes the connection, so an
   endless body costs nothing; the bytes read look for soft failures.
4. The final answer is classified by :mod:`govlens.probe.policy`.

HEAD requests go through :mod:`govlens.probe.fasthead`, a light client built
for that one exchange; GET requests, and any HEAD answer the light client
leaves aside, go through aiohttp. On the loopback benchmark
(``benchmarks/probe.py``) aiohttp runs HEAD requests many times as fast as
httpx, and the checker with the light client spends less CPU per URL than a
bare aiohttp HEAD loop.
"""

from __future__ import annotations

import errno
import socket
import ssl
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Self
from urllib.parse import urljoin

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from govlens.errors import GuardRefused, InvalidTarget
from govlens.model import LinkCheck
from govlens.probe import fasthead, plainurl, policy, soft
from govlens.probe.guard import Guard
from govlens.probe.policy import ProbeSettings
from govlens.probe.transport import guarded_aiohttp_connector, refusal_of

_NOT_FOUND = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
_RESET = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}


class LinkChecker:
    """Checks URLs over one aiohttp session. Use as an async context manager."""

    def __init__(
        self,
        settings: ProbeSettings,
        *,
        guard: Guard | None = None,
        ssl_context: ssl.SSLContext | None = None,
        light_head: bool = True,
    ) -> None:
        self.settings = settings
        self._light_head = light_head
        self._head: fasthead.HeadClient | None = None
        self.guard = guard or Guard(settings.allow_hosts)
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None
        self._timeout = aiohttp.ClientTimeout(
            total=settings.timeout, sock_connect=settings.connect_timeout
        )
        #: Requests sent (a HEAD, a GET and each redirect hop count one each).
        self.requests = 0

    async def __aenter__(self) -> Self:
        s = self.settings
        connector = guarded_aiohttp_connector(
            self.guard,
            limit=s.concurrency,
            limit_per_host=0,
            ssl=self._ssl if self._ssl is not None else True,
            enable_cleanup_closed=False,
        )
        # Identity encoding, and no decompression: a GET reads a few raw KB, never a gzip bomb.
        headers = {"User-Agent": s.user_agent, "Accept": "*/*", "Accept-Encoding": "identity",
                   **dict(s.extra_headers)}
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=headers,
            timeout=self._timeout,
            trust_env=False,
            cookie_jar=aiohttp.CookieJar(),
            raise_for_status=False,
            auto_decompress=False,
        )
        if self._light_head:
            self._head = fasthead.HeadClient(
                self.guard, headers=headers, timeout=s.timeout, connect_timeout=s.connect_timeout,
                limit=s.concurrency, ssl_context=self._ssl, cookie_jar=self._session.cookie_jar,
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._head is not None:
            self._head.close()
            self._head = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def check(self, url: str, *, expect_file: bool = False) -> LinkCheck:
        """Check ``url``; ``expect_file`` says the catalogue declared a downloadable file."""
        started = time.perf_counter()
        try:
            target = plainurl.checked(self.guard, url)
        except InvalidTarget as exc:
            return LinkCheck(url, "broken", f"invalid URL: {exc.message}", "invalid-url", requested=False)
        except GuardRefused as exc:
            return LinkCheck(url, "unknown", f"refused by the SSRF guard: {exc.message}", "ssrf",
                             requested=False)
        result = await self._chain("HEAD", url, target, expect_file, started)
        why = policy.get_fallback(result)
        if why is not None:
            result = await self._chain("GET", url, target, expect_file, started)
            result = replace(result, reason=f"{result.reason} (GET; {why})")
        return result

    # -- one chain of requests, following redirects ----------------------------------------

    async def _chain(
        self, method: str, url: str, target: plainurl.RequestURL, expect_file: bool, started: float
    ) -> LinkCheck:
        assert self._session is not None, "use LinkChecker as an async context manager"
        current = url
        visits = {url: 1}
        redirects = 0
        deadline = started + self.settings.timeout * 3
        while True:
            if time.perf_counter() > deadline:
                return LinkCheck(url, "unknown", "timed out: the check took too long", "timeout",
                                 final_url=current, redirects=redirects, method=method, elapsed_ms=_ms(started))
            self.requests += 1
            try:
                light = await self._light(method, target)
                if light is not None:
                    status, headers = light
                    location = headers.get("Location") if 300 <= status < 400 else None
                    if not location:
                        return self._result(status, headers, b"", _int(headers.get("Content-Length")), url,
                                            current, method, redirects, expect_file, started)
                else:
                    request = self._session.request(method, plainurl.as_url(target), allow_redirects=False)
                    async with request as resp:
                        status = resp.status
                        location = resp.headers.get("Location") if 300 <= status < 400 else None
                        if not location:
                            return await self._answer(resp, url, current, method, redirects, expect_file, started)
                nxt = urljoin(current, location)
                redirects += 1
                hop = self._redirect_problem(url, nxt, visits, redirects)
                if isinstance(hop, LinkCheck):
                    return replace(hop, status=status, final_url=nxt, redirects=redirects,
                                   method=method, elapsed_ms=_ms(started))
                current, target = nxt, hop
            except Exception as exc:  # noqa: BLE001 - every failure is classified, none escapes
                return self._error(url, current, method, redirects, exc, started)

    async def _light(self, method: str, target: plainurl.RequestURL) -> tuple[int, CIMultiDictProxy[str]] | None:
        """A HEAD answer from the light client, or ``None`` when aiohttp is to send the request."""
        if method != "HEAD" or self._head is None:
            return None
        try:
            return await self._head.head(target)
        except fasthead.Unsupported:
            self.requests += 1
            return None

    def _redirect_problem(self, url: str, nxt: str, visits: dict[str, int], n: int) -> LinkCheck | URL:
        """The result when a redirect cannot be followed, else the checked next URL."""
        if n > self.settings.max_redirects:
            return LinkCheck(url, "broken", f"more than {self.settings.max_redirects} redirects",
                             "too-many-redirects")
        try:
            target = self.guard.url(nxt)
        except InvalidTarget as exc:
            return LinkCheck(url, "broken", f"redirect to an invalid URL: {exc.message}", "invalid-url")
        except GuardRefused as exc:
            return LinkCheck(url, "unknown", f"refused by the SSRF guard: redirect to {exc.message}",
                             "ssrf")
        visits[nxt] = visits.get(nxt, 0) + 1
        if visits[nxt] > 2:
            return LinkCheck(url, "broken", f"redirect loop at {nxt}", "redirect-loop")
        return target

    async def _answer(
        self, resp: aiohttp.ClientResponse, url: str, final: str, method: str, redirects: int,
        expect_file: bool, started: float,
    ) -> LinkCheck:
        body = b""
        length = _int(resp.headers.get("Content-Length"))
        if method == "GET":
            body, complete = await _read_head(resp, self.settings.read_bytes)
            if complete and length is None:
                length = len(body)
            if not complete:
                resp.close()
        return self._result(resp.status, resp.headers, body, length, url, final, method, redirects, expect_file,
                            started)

    def _result(
        self, status: int, h: CIMultiDictProxy[str], body: bytes, length: int | None, url: str, final: str,
        method: str, redirects: int, expect_file: bool, started: float,
    ) -> LinkCheck:
        """Classify a final answer (status, headers and the first bytes of a GET's body)."""
        content_type = h.get("Content-Type")
        wait = h.get("Retry-After")
        retry_after = None if wait is None else policy.retry_after_seconds(wait, datetime.now(UTC))
        found = soft.detect(
            status=status, content_type=content_type, body=body, headers=h,
            url=url, final_url=final, expect_file=expect_file,
        ) if (body or redirects or "cf-mitigated" in h) else None
        verdict, error_class, reason = policy.classify_answer(
            status, retry_after=retry_after, content_type=content_type,
            expect_file=expect_file, soft=found,
        )
        return LinkCheck(
            url=url,
            verdict=verdict,
            reason=reason,
            error_class=error_class,
            status=status,
            final_url=final,
            redirects=redirects,
            method=method,
            content_type=content_type[:200] if content_type else None,
            content_length=length,
            last_modified=h.get("Last-Modified"),
            etag=h.get("ETag"),
            elapsed_ms=_ms(started),
            retry_after=retry_after,
        )

    def _error(
        self, url: str, final: str, method: str, redirects: int, exc: BaseException, started: float
    ) -> LinkCheck:
        error_class, reason = classify_exception(exc)
        return LinkCheck(
            url=url,
            verdict=policy.ERROR_VERDICTS[error_class],
            reason=reason,
            error_class=error_class,
            final_url=final if redirects else None,
            redirects=redirects,
            method=method,
            elapsed_ms=_ms(started),
        )


def classify_exception(exc: BaseException) -> tuple[str, str]:
    """The error class and reason for a failed request."""
    refusal = refusal_of(exc)
    if isinstance(refusal, InvalidTarget):
        return "invalid-url", f"invalid URL: {refusal.message}"
    if refusal is not None:
        return "ssrf", f"refused by the SSRF guard: {refusal.message}"
    if isinstance(exc, (aiohttp.ConnectionTimeoutError, fasthead.ConnectTimeout)):
        return "connect-timeout", "timed out while connecting"
    if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError)):
        return "timeout", "timed out waiting for the answer"
    if isinstance(exc, aiohttp.InvalidURL):
        return "invalid-url", f"invalid URL: {exc}"
    if isinstance(exc, (aiohttp.ClientConnectorDNSError, socket.gaierror)):
        err = exc.os_error if isinstance(exc, aiohttp.ClientConnectorDNSError) else exc
        if isinstance(err, socket.gaierror) and err.errno in _NOT_FOUND:
            return "dns", f"DNS: the name does not resolve ({err.strerror})"
        return "dns-temporary", f"DNS lookup failed ({err})"
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError)):
        return "tls", f"TLS error: {_short(exc)}"
    if isinstance(exc, (aiohttp.ClientConnectorError, fasthead.ConnectFailed)):
        code = exc.os_error.errno
        if code == errno.ECONNREFUSED:
            return "refused", "connection refused"
        if code in _RESET:
            return "reset", "connection reset while connecting"
        return "connect", f"cannot connect: {exc.os_error.strerror or exc.os_error}"
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, fasthead.Disconnected)):
        return "reset", "connection closed by the server before a complete answer"
    if isinstance(exc, (aiohttp.ClientOSError, ConnectionError)) and getattr(exc, "errno", None) in _RESET:
        return "reset", "connection reset by the server"
    return "protocol", f"HTTP protocol error: {_short(exc)}"


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


async def _read_head(resp: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes of the body; ``True`` when that was all of it."""
    chunks: list[bytes] = []
    n = 0
    while n < limit:
        chunk = await resp.content.read(limit - n)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        n += len(chunk)
    return b"".join(chunks), resp.content.at_eof()


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if n >= 0 else None


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
