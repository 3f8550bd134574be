"""URL inspection against a real HTTP server on loopback: caps, redirects, the SSRF guard."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
from click.testing import CliRunner

from govlens.cli import main
from govlens.errors import GuardRefused, InspectError
from govlens.inspect import inspect_url
from govlens.probe import Guard
from probe_fixtures import StubResolver

BIG = b"clave,monto\n" + b"".join(b"%d,%d.5\n" % (i, i) for i in range(200_000))


def _zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return out.getvalue()


# Random-looking values, so the compressed files are larger than the cap used below.
NOISY = b"id,hash\n" + b"".join(b"%d,%s\n" % (i, hashlib.sha256(b"%d" % i).hexdigest().encode())
                                for i in range(40_000))
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/ok.csv": (200, {"Content-Type": "text/csv"},
                ("id;nombre\n1;Año\n2\n" + "".join(f"{i};Niño {i}\n" for i in range(3, 13))).encode()),
    "/big.csv": (200, {"Content-Type": "text/csv"}, BIG),
    "/noisy.csv.gz": (200, {"Content-Type": "application/gzip"}, gzip.compress(NOISY)),
    "/noisy.zip": (200, {"Content-Type": "application/zip"}, _zipped("datos.csv", NOISY)),
    "/page.csv": (200, {"Content-Type": "text/html"}, b"<html><body>Mantenimiento</body></html>"),
    "/moved": (302, {"Location": "/ok.csv"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-private": (302, {"Location": "http://intranet.example/secret.csv"}, b""),
    "/to-metadata": (302, {"Location": "http://metadata.example/latest"}, b""),
    "/gone.csv": (404, {}, b"no"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.csv":
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"1,2\n" * 10)
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as the time cap test wants; print nothing
            return
        status, headers, body = ROUTES[self.path]
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The time-cap test hangs up on /slow.csv while it is still being sent; the
        # handler's BrokenPipeError would otherwise be printed on whatever sys.stderr is
        # then (a later CLI test's captured output).
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


ALLOW = ("127.0.0.1",)


def test_url_report(base: str) -> None:
    r = inspect_url(f"{base}/ok.csv", allow_hosts=ALLOW)
    assert (r.format, r.dialect.delimiter, r.media_type, r.source) == (
        "csv", ";", "text/csv", f"{base}/ok.csv")
    assert [(e.type, e.row_number, e.field_number) for e in r.errors] == [("missing-cell", 3, 2)]
    assert r.coverage.complete


def test_size_cap_gives_partial_coverage(base: str) -> None:
    r = inspect_url(f"{base}/big.csv", allow_hosts=ALLOW, max_bytes=100_000)
    cov = r.coverage
    assert not cov.complete and cov.bytes_total == len(BIG)
    assert cov.bytes_checked <= 100_000 and cov.rows_total is None
    assert cov.fraction is not None and 0 < cov.fraction < 0.1
    assert r.errors == ()  # the cut last line is not mistaken for a short record
    assert not r.valid or r.coverage.reason


@pytest.mark.parametrize(("path", "compression"), [("/noisy.csv.gz", "gzip"), ("/noisy.zip", "zip")])
def test_size_cap_on_compressed_file_checks_the_part_read(base: str, path: str, compression: str) -> None:
    total = len(ROUTES[path][2])
    r = inspect_url(f"{base}{path}", allow_hosts=ALLOW, max_bytes=200_000)
    assert total > 400_000
    assert (r.format, r.compression) == ("csv", compression)
    cov = r.coverage
    assert not cov.complete and cov.rows_total is None and cov.bytes_total == total
    assert cov.fraction is not None and 0 < cov.bytes_checked <= 200_000 and 0 < cov.fraction < 1
    assert 1000 < r.rows < 40_000 and r.errors == ()  # the cut last line is left out, not an error
    assert [f.type for f in r.fields] == ["integer", "string"]


def test_redirect_followed_and_capped(base: str) -> None:
    r = inspect_url(f"{base}/moved", allow_hosts=ALLOW)
    assert r.rows == 12 and any("redirected" in w for w in r.warnings)
    with pytest.raises(InspectError, match="too many redirects"):
        inspect_url(f"{base}/loop", allow_hosts=ALLOW)


def test_timeout(base: str) -> None:
    with pytest.raises(InspectError, match="time cap"):
        inspect_url(f"{base}/slow.csv", allow_hosts=ALLOW, timeout=1.0)


def test_html_served_for_csv(base: str) -> None:
    r = inspect_url(f"{base}/page.csv", allow_hosts=ALLOW, declared_format="CSV")
    assert (r.format, r.format_matches, r.valid) == ("html", False, False)


def test_guard_refuses_loopback_without_allow_list(base: str) -> None:
    with pytest.raises(GuardRefused):
        inspect_url(f"{base}/ok.csv")


#: The names the redirects point at, as a stub DNS answers them: no real lookup, no traffic.
HOSTILE_DNS = {"intranet.example": ["10.1.2.3"], "metadata.example": ["::ffff:169.254.169.254"]}


@pytest.mark.parametrize(("path", "host"), [("/to-private", "intranet.example"), ("/to-metadata", "metadata.example")])
def test_guard_checks_every_redirect_hop(base: str, path: str, host: str) -> None:
    # the first hop is allowed (loopback on the allow-list); the next resolves to a private or
    # link-local address and is refused before connecting
    dns = StubResolver(HOSTILE_DNS)
    with pytest.raises(GuardRefused, match="private|link-local"):
        inspect_url(f"{base}{path}", guard=Guard(ALLOW, resolver=dns), timeout=5)
    assert dns.calls == [host]


def test_http_error(base: str) -> None:
    with pytest.raises(InspectError, match="error"):
        inspect_url(f"{base}/gone.csv", allow_hosts=ALLOW)


def test_cli_json_contract(base: str) -> None:
    res = CliRunner().invoke(main, ["inspect", f"{base}/ok.csv", "--json", "--allow-host",
                                    "127.0.0.1"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout)
    assert {"valid", "format", "encoding", "dialect", "stats", "errors", "errors_omitted"} <= set(out)
    assert {"rows", "bytes", "fields", "coverage"} <= set(out["stats"])
    assert out["dialect"]["delimiter"] == ";"
    assert out["errors"] == [{"type": "missing-cell", "rowNumber": 3, "fieldNumber": 2, "note": ""}]


def test_cli_refusal_is_a_clear_error(base: str) -> None:
    res = CliRunner().invoke(main, ["inspect", f"{base}/ok.csv"])
    assert res.exit_code == 2
    assert "govlens: error:" in res.output
