"""Bounded downloads through the SSRF guard: a size cap, a time cap, redirects hop by hop.

Every connection goes through :class:`govlens.probe.guard.Guard`, the guard the
link checker uses: the host's addresses are checked after DNS resolution and
the connection is pinned to a checked address, so private, loopback,
link-local and reserved targets are refused (unless allow-listed: tests allow
``127.0.0.1``) on the first request and on every redirect hop. A body larger
than ``max_bytes`` is cut there and the download says so; the inspection then
covers the part received and its report says how much of the file that was.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from govlens import __version__
from govlens.config import USER_AGENT
from govlens.errors import InspectError
from govlens.inspect.files import MAX_BYTES, TIMEOUT
from govlens.probe.guard import Guard
from govlens.probe.transport import refusal_of

MAX_REDIRECTS = 10


@dataclass(frozen=True, slots=True)
class Download:
    """A body saved to ``path``: possibly cut at the size cap (``truncated``)."""

    url: str
    final_url: str
    status: int
    path: Path
    bytes: int
    content_type: str | None
    content_length: int | None
    truncated: bool
    redirects: int
    seconds: float


def download(
    url: str,
    dest: Path,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    allow_hosts: Collection[str] = (),
    guard: Guard | None = None,
) -> Download:
    """Save ``url``'s body to ``dest`` (at most ``max_bytes``, within ``timeout`` seconds).

    Runs its own event loop: call :func:`download_async` from async code.
    """
    return asyncio.run(download_async(url, dest, max_bytes=max_bytes, timeout=timeout,
                                      guard=guard or Guard(allow_hosts)))


async def download_async(
    url: str, dest: Path, *, max_bytes: int, timeout: float, guard: Guard
) -> Download:
    started = time.monotonic()
    written = 0
    try:
        async with asyncio.timeout(timeout), guard.httpx_client(
            timeout=httpx.Timeout(min(timeout, 60.0), connect=min(timeout, 15.0)),
            follow_redirects=False, headers={"User-Agent": USER_AGENT.format(version=__version__)},
        ) as http:
            current, redirects = url, 0
            while True:
                guard.parse(current)  # scheme and literal addresses; names on connecting
                async with http.stream("GET", current) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        redirects += 1
                        if redirects > MAX_REDIRECTS:
                            raise InspectError("too many redirects", url=url)
                        current = urljoin(current, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise InspectError("the server answered with an error", url=current,
                                           status=resp.status_code)
                    length = _int(resp.headers.get("content-length"))
                    with open(dest, "wb") as out:  # noqa: ASYNC230 - a local file, written as it arrives
                        truncated = False
                        async for chunk in resp.aiter_raw():
                            room = max_bytes - written
                            out.write(chunk[:room])
                            written += min(len(chunk), room)
                            if len(chunk) > room or (len(chunk) == room and await _more(resp)):
                                truncated = True
                                break
                    return Download(
                        url=url, final_url=current, status=resp.status_code, path=dest,
                        bytes=written, content_type=resp.headers.get("content-type"),
                        content_length=length, truncated=truncated, redirects=redirects,
                        seconds=time.monotonic() - started,
                    )
    except TimeoutError as exc:
        raise InspectError("the download took longer than the time cap", url=url,
                           bytes=written, seconds=timeout) from exc
    except httpx.HTTPError as exc:
        refusal = refusal_of(exc)
        if refusal is not None:
            raise refusal from exc
        raise InspectError("the download failed", url=url,
                           cause=f"{type(exc).__name__}: {exc}") from exc


async def _more(resp: httpx.Response) -> bool:
    async for chunk in resp.aiter_raw(1):
        if chunk:
            return True
    return False


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
