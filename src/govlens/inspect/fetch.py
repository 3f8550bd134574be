"""Bounded downloads: a size cap, a time cap, redirects checked hop by hop.

Every hop's host goes through the SSRF policy before any byte is sent to it:
private, loopback, link-local and reserved addresses are refused unless the
host is on the allow-list (tests allow ``127.0.0.1``). A body larger than
``max_bytes`` is cut there and the download says so; the inspection then
covers the prefix and its report says how much of the file that was.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from govlens import __version__
from govlens.config import USER_AGENT
from govlens.errors import GuardRefused, InspectError

MAX_BYTES = 100 * 1024 * 1024
TIMEOUT = 120.0
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


def check_target(url: str, allow_hosts: Collection[str] = ()) -> None:
    """Refuse URLs whose host is not public, unless it is allow-listed."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise GuardRefused("only http and https URLs are fetched", url=url)
    host = (parts.hostname or "").lower()
    if not host:
        raise GuardRefused("the URL has no host", url=url)
    if host in {h.lower() for h in allow_hosts}:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InspectError("the host name does not resolve", url=url, cause=str(exc)) from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global or addr.is_multicast:
            raise GuardRefused("the host resolves to a non-public address", url=url,
                               address=str(addr))


def download(
    url: str,
    dest: Path,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    allow_hosts: Collection[str] = (),
    client: httpx.Client | None = None,
) -> Download:
    """Save ``url``'s body to ``dest`` (at most ``max_bytes``, within ``timeout`` seconds)."""
    started = time.monotonic()
    own = client is None
    http = client or httpx.Client(
        timeout=httpx.Timeout(min(timeout, 60.0), connect=min(timeout, 15.0)),
        follow_redirects=False, headers={"User-Agent": USER_AGENT.format(version=__version__)},
        trust_env=False,
    )
    current, redirects = url, 0
    try:
        while True:
            check_target(current, allow_hosts)
            with http.stream("GET", current) as resp:
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
                written, truncated = _save(resp, dest, max_bytes, started + timeout, url)
                return Download(
                    url=url, final_url=current, status=resp.status_code, path=dest,
                    bytes=written, content_type=resp.headers.get("content-type"),
                    content_length=length, truncated=truncated, redirects=redirects,
                    seconds=time.monotonic() - started,
                )
    except httpx.HTTPError as exc:
        raise InspectError("the download failed", url=current, cause=f"{type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            http.close()


def _save(resp: httpx.Response, dest: Path, cap: int, deadline: float, url: str) -> tuple[int, bool]:
    written = 0
    with open(dest, "wb") as out:
        for chunk in resp.iter_raw():
            if time.monotonic() > deadline:
                raise InspectError("the download took longer than the time cap", url=url,
                                   bytes=written)
            room = cap - written
            if len(chunk) >= room:
                out.write(chunk[:room])
                return written + room, len(chunk) > room or _more(resp)
            out.write(chunk)
            written += len(chunk)
    return written, False


def _more(resp: httpx.Response) -> bool:
    for chunk in resp.iter_raw(1):
        if chunk:
            return True
    return False


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
