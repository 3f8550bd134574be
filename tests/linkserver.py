"""A real loopback HTTP server with every behaviour the link checker must classify.

It runs an aiohttp application in a background thread (its own event loop) on
127.0.0.1, port 0, optionally with a TLS site too. It records every request
(method, path, time) and the peak number of requests in flight, so tests can
assert what the checker did without timing it.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from typing import Any, Self

from aiohttp import web

CSV = b"a,b\n1,2\n"
SOFT_404 = b"<!doctype html><html><head><title>P\xc3\xa1gina no encontrada</title></head><body>x</body></html>"
LOGIN = b"<html><head><title>Iniciar sesi\xc3\xb3n</title></head><body><form><input type='password'></form></body></html>"
WAF = b"<html><head><title>Just a moment...</title></head><body><div id='cf-chl-widget'></div></body></html>"
LANDING = b"<html><head><title>Presupuesto 2024</title></head><body><h1>Presupuesto</h1></body></html>"


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (64 << 20), 1)


class LinkServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.hits: Counter[tuple[str, str]] = Counter()
        self.log: list[tuple[float, str, str]] = []
        self.states: dict[str, int] = {}
        self.agents: Counter[str] = Counter()
        self.streams_closed = 0
        self.in_flight = 0
        self.peak = 0
        self._tls = tls
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.port = 0
        self.tls_port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("link server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._ready.set()
        self._loop.run_forever()

    async def _start(self) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        if self._tls is not None:
            tls_site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self._tls)
            await tls_site.start()
            self.tls_port = tls_site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def requests_to(self, path: str) -> int:
        return sum(n for (_, p), n in self.hits.items() if p == path)

    def times(self, path: str | None = None) -> list[float]:
        return [t for t, _, p in self.log if path is None or p == path]

    # -- behaviours --------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.hits[(request.method, request.path)] += 1
        self.agents[request.headers.get("User-Agent", "")] += 1
        self.log.append((time.monotonic(), request.method, request.path))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            response: web.StreamResponse = await handler(request)
            return response
        finally:
            self.in_flight -= 1

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        parts = request.path.strip("/").split("/")
        head, rest = parts[0], parts[1:]
        q = request.query
        if head in ("ok.csv", "file") or request.path.endswith(".csv") and head == "f":
            return web.Response(body=CSV, content_type="text/csv",
                                headers={"Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT", "ETag": '"abc"'})
        if head == "status":
            return web.Response(status=int(rest[0]), text="status\n")
        if head == "state":
            return web.Response(status=self.states.get(rest[0], 200), body=CSV, content_type="text/csv")
        if head == "retry-after":
            return web.Response(status=int(rest[0]), headers={"Retry-After": q.get("after", "1")}, text="wait\n")
        if head == "redirect":
            n = int(rest[0])
            raise web.HTTPFound(f"/redirect/{n - 1}" if n > 1 else "/ok.csv")
        if head == "loop":
            raise web.HTTPFound("/loop/b" if rest[0] == "a" else "/loop/a")
        if head == "to":
            raise web.HTTPFound(q["url"])
        if head == "head-405":
            if request.method == "HEAD":
                return web.Response(status=405)
            return web.Response(body=CSV, content_type="text/csv")
        if head == "head":  # HEAD answers /head/STATUS (or an HTML page for /head/html); GET the file
            if request.method == "HEAD":
                if rest[0] == "html":
                    return web.Response(content_type="text/html")
                return web.Response(status=int(rest[0]))
            return web.Response(body=CSV, content_type="text/csv")
        if head == "endless":
            if request.method == "HEAD":
                return web.Response(status=405)
            resp = web.StreamResponse(headers={"Content-Type": "text/csv"})
            await resp.prepare(request)
            try:
                while True:
                    await resp.write(b"x" * 65536)
            finally:  # the client closed the connection
                self.streams_closed += 1
        if head == "hang":
            await asyncio.sleep(3600)
        if head == "slowf":
            await asyncio.sleep(0.05)
            return web.Response(body=CSV, content_type="text/csv")
        if head == "slow":
            await asyncio.sleep(float(q.get("delay", "0.3")))
            return web.Response(body=CSV, content_type="text/csv")
        if head == "reset":
            sock = request.transport.get_extra_info("socket")  # type: ignore[union-attr]
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            request.transport.close()  # type: ignore[union-attr]
            await asyncio.sleep(3600)
        pages = {"soft404.csv": SOFT_404, "login.csv": LOGIN, "landing": LANDING}
        if head in pages:
            return web.Response(body=pages[head], content_type="text/html")
        if head == "waf":
            return web.Response(status=403, body=WAF, content_type="text/html",
                                headers={"cf-mitigated": "challenge"})
        if head == "bomb":  # gzip of 64 MB of zeros, whatever the client asked for
            return web.Response(body=_bomb(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip",
                                                    "X-Accept-Encoding": request.headers.get("Accept-Encoding", "")})
        if head == "echo-host":
            return web.Response(text=request.host)
        return web.Response(status=404, text="no such behaviour\n")
