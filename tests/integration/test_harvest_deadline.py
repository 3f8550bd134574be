"""A server that trickles its answer, a byte at a time, never trips a read timeout; the
deadline of one answer (``Settings.harvest_deadline``) ends the wait with a clear error."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from govlens.config import Settings
from govlens.run.harvest import harvest
from helpers import options, settings


class _Trickle(BaseHTTPRequestHandler):
    """Answers every GET with a JSON body sent one byte every 50 ms (for at most 30 s)."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        body = b'{"dataset": [' + b" " * 10_000
        end = time.monotonic() + 30
        try:
            for i in range(len(body)):
                if time.monotonic() > end:
                    return
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def trickle() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_trickling_data_json_fails_at_the_deadline(sqlite_url: str, trickle: str) -> None:
    t0 = time.monotonic()
    info = harvest(Settings(db_url=sqlite_url, harvest_timeout=10.0, harvest_deadline=1.0),
                   trickle + "/data.json", kind="datajson")
    assert time.monotonic() - t0 < 20
    assert info.status == "failed"
    (err,) = info.errors
    assert err.error == "SourceUnavailable" and "more than 1 s to send one answer" in err.message
    assert err.source == trickle + "/data.json"


def test_a_trickling_ckan_page_fails_at_the_deadline_after_its_retries(sqlite_url: str, trickle: str) -> None:
    # Every answer trickles: status_show is skipped at its deadline, then each package_search
    # page fails at its own, is retried smaller, and the harvest fails naming the page.
    info = harvest(settings(sqlite_url), trickle + "/api/3", kind="ckan", options=options(deadline=0.5, rows=2))
    assert info.status == "failed"
    (err,) = info.errors
    assert err.error == "SourceUnavailable" and "more than 0.5 s" in err.message
    assert err.page is not None and "package_search" in err.page
