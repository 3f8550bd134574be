"""Fetching catalogue pages: size limits, error translation, Retry-After, retries.

Everything is fetched through httpx (:func:`fetch`) but CKAN's ``package_search`` pages
(17 MB for 1,000 datasets), read through aiohttp (:func:`fetch_pages`), which reads such a
body with a quarter of httpx's CPU time. Their errors never leave this module: they become
:class:`SourceUnavailable` (transient: timeouts, resets, 5xx, 429) or
:class:`SourceRejected` (terminal: other 4xx, responses over the size limit), each naming
the source, the page and the cause.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

import httpx

from govlens import __version__
from govlens.config import USER_AGENT
from govlens.errors import SourceRejected, SourceUnavailable

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    status: int
    content_type: str | None
    body: bytes


class Sink(Protocol):
    """Where ``fetch`` writes a body instead of returning it."""

    def expect(self, size: int) -> None: ...

    def write(self, chunk: bytes) -> None: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry a transient failure."""

    attempts: int = 5
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 300.0

    def delay(self, attempt: int, exc: BaseException) -> float:
        after = getattr(exc, "context", {}).get("retry_after")
        if isinstance(after, (int, float)):
            return min(float(after), self.max_retry_after)
        return min(self.backoff * 2.0 ** (attempt - 1), self.max_backoff)


#: Most seconds one answer may take in all, unless told (``Options.deadline``).
DEADLINE = 600.0


@contextlib.asynccontextmanager
async def within(seconds: float, ctx: Mapping[str, str]) -> AsyncIterator[None]:
    """Fail with :class:`SourceUnavailable` (cause ``deadline``) when the block takes longer
    than ``seconds`` in all: read timeouts only bound the wait between two bytes, so a
    server trickling its answer would otherwise hold the harvest for ever."""
    try:
        async with asyncio.timeout(seconds) as cm:
            yield
    except TimeoutError as exc:
        if not cm.expired():
            raise
        raise SourceUnavailable(f"the source took more than {seconds:g} s to send one answer", **ctx,
                                cause="deadline") from exc


def new_client(timeout: float, **kwargs: object) -> httpx.AsyncClient:
    """The client the harvesters use unless one is injected."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT.format(version=__version__)},
        limits=httpx.Limits(max_connections=8, max_keepalive_connections=4),
        **kwargs,  # type: ignore[arg-type]
    )


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    source: str,
    page: str,
    max_bytes: int,
    params: Mapping[str, str | int] | None = None,
    headers: Mapping[str, str] | None = None,
    sink: Sink | None = None,
    deadline: float = DEADLINE,
) -> Fetched:
    """GET ``url`` and read its body, up to ``max_bytes``; into ``sink`` when given (the
    returned ``body`` is then empty). The whole answer must come within ``deadline`` seconds."""
    ctx = {"source": source, "page": page}
    try:
        async with within(deadline, ctx), client.stream("GET", url, params=params, headers=headers) as resp:
            declared = _admit(resp.status_code, resp.headers.get, max_bytes, ctx)
            if sink is not None and declared is not None:
                sink.expect(declared)
            chunks = resp.aiter_bytes(None if sink is not None else 1 << 20)
            body = await _read(chunks, max_bytes, sink, ctx)
            return Fetched(str(resp.url), resp.status_code, resp.headers.get("content-type"), body)
    except httpx.TimeoutException as exc:
        raise SourceUnavailable("the source timed out", **ctx, cause=type(exc).__name__) from exc
    except httpx.TooManyRedirects as exc:
        raise SourceRejected("too many redirects", **ctx, cause=str(exc)) from exc
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise SourceUnavailable("the source could not be reached", **ctx,
                                cause=f"{type(exc).__name__}: {exc}") from exc
    except httpx.InvalidURL as exc:
        raise SourceRejected("invalid URL", **ctx, cause=str(exc)) from exc


def _admit(status: int, header: Callable[[str], str | None], max_bytes: int,
           ctx: dict[str, str]) -> int | None:
    """Raise for a refused or failed answer; the size the server declared, if any."""
    if status == 429:
        raise SourceUnavailable(
            "the source asks to slow down (HTTP 429)", **ctx, cause="HTTP 429",
            retry_after=retry_after_seconds(header("retry-after")),
        )
    if status >= 500:
        raise SourceUnavailable(f"the source failed (HTTP {status})", **ctx, cause=f"HTTP {status}")
    if status >= 400:
        raise SourceRejected(f"the source refused the request (HTTP {status})", **ctx,
                             cause=f"HTTP {status}")
    declared = header("content-length")
    if not (declared and declared.isdigit()):
        return None
    if int(declared) > max_bytes:
        raise SourceRejected("response too large", **ctx,
                             cause=f"{declared} bytes declared, limit {max_bytes}")
    return int(declared)


async def _read(chunks: AsyncIterator[bytes], max_bytes: int, sink: Sink | None,
                ctx: dict[str, str]) -> bytes:
    """The body from ``chunks``, up to ``max_bytes``; into ``sink`` (b"" returned) when given."""
    kept: list[bytes] = []
    total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > max_bytes:
            raise SourceRejected("response too large", **ctx, cause=f"over {max_bytes} bytes")
        if sink is None:
            kept.append(chunk)
        else:
            sink.write(chunk)
    return b"".join(kept)


async def fetch_pages(
    session: aiohttp.ClientSession,
    url: str,
    *,
    source: str,
    page: str,
    max_bytes: int,
    params: Mapping[str, str | int] | None = None,
    sink: Sink | None = None,
    follow_redirects: bool = True,
    deadline: float = DEADLINE,
) -> Fetched:
    """:func:`fetch` through aiohttp, for large catalogue pages: it reads a 17 MB body with
    a quarter of httpx's CPU time. Same checks, same errors (see :func:`page_session`)."""
    import aiohttp

    ctx = {"source": source, "page": page}
    try:
        async with within(deadline, ctx), session.get(url, params=params,
                                                      allow_redirects=follow_redirects) as resp:
            declared = _admit(resp.status, resp.headers.get, max_bytes, ctx)
            if sink is not None and declared is not None:
                sink.expect(declared)
            body = await _read(resp.content.iter_any(), max_bytes, sink, ctx)
            return Fetched(str(resp.url), resp.status, resp.headers.get("content-type"), body)
    except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
        raise SourceUnavailable("the source timed out", **ctx, cause=type(exc).__name__) from exc
    except aiohttp.TooManyRedirects as exc:
        raise SourceRejected("too many redirects", **ctx, cause=str(exc)) from exc
    except aiohttp.InvalidURL as exc:
        raise SourceRejected("invalid URL", **ctx, cause=str(exc)) from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise SourceUnavailable("the source could not be reached", **ctx,
                                cause=f"{type(exc).__name__}: {exc}") from exc


def page_session(client: httpx.AsyncClient) -> aiohttp.ClientSession:
    """An aiohttp session with ``client``'s timeouts, User-Agent and proxy settings
    (``trust_env``), for :func:`fetch_pages`. Open it in the running event loop."""
    import aiohttp

    t = client.timeout
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=t.connect, sock_read=t.read),
        headers={k: v for k, v in client.headers.items() if k.lower() == "user-agent"},
        trust_env=client.trust_env,
        connector=aiohttp.TCPConnector(limit=8),
    )


async def retrying(
    op: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[int, SourceUnavailable], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run ``op``, retrying :class:`SourceUnavailable` up to ``policy.attempts`` times."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return await op()
        except SourceUnavailable as exc:
            if attempt >= policy.attempts:
                exc.context["attempts"] = attempt
                raise
            if on_retry is not None:
                on_retry(attempt, exc)
            await sleep(policy.delay(attempt, exc))
