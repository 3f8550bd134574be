"""A real HTTP server on loopback: a CKAN-compatible Action API plus static files.

It serves the embedded demo catalogue for ``govlens review``, and any list of
CKAN packages for tests and benchmarks. It binds 127.0.0.1 on a free port and
runs in a background thread; use it as a context manager::

    with CkanServer(packages) as server:
        harvest(settings, server.url)

``faults`` lets a caller inject failures per request (status, headers, delay,
body), to exercise retries, page shrinking and Retry-After.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import orjson


@dataclass(frozen=True, slots=True)
class Reply:
    """A canned HTTP answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/octet-stream"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


#: ``fault(path, query, request_number) -> Reply | None``; a Reply replaces the normal answer.
Fault = Callable[[str, Mapping[str, str], int], Reply | None]


class _QuietServer(ThreadingHTTPServer):
    """Client disconnects are normal here (timeouts are tested): never print tracebacks."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _post_params(h: BaseHTTPRequestHandler) -> dict[str, str]:
    length = int(h.headers.get("Content-Length") or 0)
    body = h.rfile.read(length) if length else b""
    try:
        data = orjson.loads(body) if body else {}
    except orjson.JSONDecodeError:
        data = {k: v[-1] for k, v in parse_qs(body.decode("latin-1")).items()}
    if not isinstance(data, dict):
        return {}
    return {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in data.items()}


def _json(obj: Any, status: int = 200) -> Reply:
    return Reply(status, orjson.dumps(obj), "application/json;charset=utf-8")


class CkanServer:
    """CKAN Action API over ``packages`` (in the order given), plus ``files`` by path."""

    def __init__(
        self,
        packages: Sequence[dict[str, Any]] = (),
        *,
        files: Mapping[str, Reply] | None = None,
        fault: Fault | None = None,
        site_title: str = "CKAN",
        locale: str = "es",
        rows_max: int = 1000,
        base_path: str = "",
        port: int = 0,
    ) -> None:
        self.packages = list(packages)
        self.files = dict(files or {})
        self.fault = fault
        self.site_title = site_title
        self.locale = locale
        self.rows_max = rows_max
        self.base_path = base_path.rstrip("/")
        self.port = port
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}{self.base_path}"

    def start(self) -> Self:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self, head=True)

            def do_POST(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        try:
            self._httpd = _QuietServer(("127.0.0.1", self.port), Handler)
        except OSError:  # the preferred port is taken: any free one
            self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="govlens-loopback",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- requests -------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, head: bool = False) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path):] or "/"
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if h.command == "POST":
            query.update(_post_params(h))
        with self._lock:
            self.requests.append(h.path)
            number = len(self.requests)
        reply = self.fault(path, query, number) if self.fault else None
        if reply is None:
            reply = self.answer(path, query)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            h.send_response(reply.status)
            h.send_header("Content-Type", reply.content_type)
            h.send_header("Content-Length", str(len(reply.body)))
            for k, val in reply.headers.items():
                h.send_header(k, val)
            h.end_headers()
            if not head:
                h.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def answer(self, path: str, query: Mapping[str, str]) -> Reply:
        for prefix in ("/api/3/action/", "/api/action/"):
            if path.startswith(prefix):
                return self.action(path[len(prefix):].strip("/"), query)
        if path in self.files:
            return self.files[path]
        if path in ("/", ""):
            body = f"<html><head><title>{self.site_title}</title></head><body>CKAN</body></html>"
            return Reply(200, body.encode(), "text/html; charset=utf-8")
        return Reply(404, b"Not found", "text/plain")

    def action(self, name: str, query: Mapping[str, str]) -> Reply:
        if name == "status_show":
            return _json({"success": True, "result": {
                "site_title": self.site_title, "site_url": self.url, "ckan_version": "2.10.4",
                "locale_default": self.locale, "site_description": ""}})
        if name == "package_search":
            try:
                start = max(0, int(query.get("start", 0)))
                rows = max(0, min(self.rows_max, int(query.get("rows", 10))))
            except ValueError:
                return _json({"success": False, "error": {"message": "invalid start/rows"}}, 409)
            return self.search_page(start, rows)
        if name == "package_list":
            return _json({"success": True, "result": [p.get("name") for p in self.packages]})
        if name == "package_show":
            found = self._index().get(query.get("id") or "")
            if found is not None:
                return _json({"success": True, "result": found})
            return _json({"success": False, "error": {"message": "Not found", "__type": "Not Found Error"}}, 404)
        if name == "organization_list":
            names = ((p.get("organization") or {}).get("name") for p in self.packages)
            orgs = sorted({n for n in names if n is not None})
            return _json({"success": True, "result": orgs})
        return _json({"success": False, "error": {"message": f"Action name not known: {name}"}}, 400)

    def _index(self) -> dict[str, dict[str, Any]]:
        """Packages by id and by name (rebuilt when ``packages`` is replaced)."""
        if getattr(self, "_indexed", None) is not self.packages:
            index = {str(p.get("name")): p for p in self.packages}
            index.update((str(p.get("id")), p) for p in self.packages)
            self._by_key, self._indexed = index, self.packages
        return self._by_key

    def search_page(self, start: int, rows: int) -> Reply:
        return _json({"success": True, "result": {
            "count": len(self.packages), "sort": "metadata_created asc, id asc", "facets": {},
            "results": self.packages[start:start + rows]}})
