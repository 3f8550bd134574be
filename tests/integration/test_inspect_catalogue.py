"""Catalogue mode end to end: a stored run, a loopback server, inspections stored and read back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
from click.testing import CliRunner

from govlens.aggregate.tables import by_publisher, summarise
from govlens.cli import main
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.store import Store
from govlens.store.tables import inspection_facts, stored_report

FILES = {
    "/ok.csv": ("text/csv", b"id,monto\n1,2.5\n2,3\n"),
    "/ragged.csv": ("text/csv", b"id,monto\n1,2.5\n2\n3,4,5\n"),
    "/html.csv": ("text/html", b"<html><body>error</body></html>"),
    "/latin.csv": ("text/csv", "estado,clave\nMéxico,1\nNuevo León,2\n".encode("latin-1")),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path not in FILES:
            self.send_response(404)
            self.end_headers()
            return
        ctype, body = FILES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _harvested(store: Store, base: str) -> int:
    def ds(ident: str, pub: str, paths: list[tuple[str, str]]) -> Dataset:
        return Dataset(
            identifier=ident, title=ident, publisher=Publisher(key=pub, name=pub.upper()),
            distributions=tuple(
                Distribution(id=f"{ident}-{i}", download_urls=(f"{base}{p}",), format=f)
                for i, (p, f) in enumerate(paths)),
        )

    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    run = store.open_run(cat, "demo", "ckan")
    store.save_page(run.run, [
        ds("a", "shcp", [("/ok.csv", "CSV"), ("/ragged.csv", "CSV"), ("/doc.pdf", "PDF")]),
        ds("b", "inegi", [("/html.csv", "CSV"), ("/latin.csv", "csv"), ("/missing.csv", "CSV")]),
    ], {}, 0)
    return store.finish_run(run.run).id


def test_catalogue_mode_end_to_end(db_url: str, base: str) -> None:
    with Store.open(db_url) as store:
        run_id = _harvested(store, base)
    res = CliRunner().invoke(main, ["inspect", "--catalogue", "mx", "--db", db_url, "--json",
                                    "--allow-host", "127.0.0.1"])
    assert res.exit_code == 0, res.output
    summary = orjson.loads(res.output)
    assert (summary["targets"], summary["inspected"], summary["failed"]) == (5, 4, 1)
    assert (summary["valid"], summary["invalid"], summary["format_mismatch"]) == (2, 2, 1)

    with Store.open(db_url) as store:
        facts = inspection_facts(store.engine, run_id)
        ok, ragged = facts[f"{base}/ok.csv"], facts[f"{base}/ragged.csv"]
        html, latin = facts[f"{base}/html.csv"], facts[f"{base}/latin.csv"]
        missing = facts[f"{base}/missing.csv"]
        assert (ok.valid, ok.format_match, ok.rows, ok.complete) == (True, True, 2, True)
        assert dict(ragged.error_counts) == {"missing-cell": 1, "extra-cell": 1}
        assert (html.valid, html.served_format, html.format_match) == (False, "html", False)
        assert (latin.valid, latin.encoding) == (True, "iso-8859-1")
        assert missing.valid is None and "404" in (missing.failure or "")
        report = stored_report(store.engine, run_id, f"{base}/ragged.csv")
        assert report is not None
        assert [e["rowNumber"] for e in report["errors"]] == [3, 4]

    s = summarise(facts.values())
    assert (s.files, s.inspected, s.valid, s.unreadable, s.share_valid) == (5, 4, 2, 1, 0.5)
    assert dict(s.top_errors) == {"missing-cell": 1, "extra-cell": 1, "format-error": 1}
    pubs = by_publisher([("shcp", ok), ("shcp", ragged), ("inegi", html)])
    assert pubs["shcp"].share_valid == 0.5 and pubs["inegi"].format_mismatch == 1


def test_catalogue_mode_sample_and_rerun_replaces(db_url: str, base: str) -> None:
    with Store.open(db_url) as store:
        run_id = _harvested(store, base)
    args = ["inspect", "--catalogue", "mx", "--db", db_url, "--json", "--allow-host",
            "127.0.0.1", "--sample", "2"]
    for _ in range(2):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        assert orjson.loads(res.output)["targets"] == 2
    with Store.open(db_url) as store:
        assert len(inspection_facts(store.engine, run_id)) == 2


def test_unknown_catalogue_is_a_clear_error(db_url: str) -> None:
    res = CliRunner().invoke(main, ["inspect", "--catalogue", "nope", "--db", db_url])
    assert res.exit_code == 2 and "govlens: error:" in res.output
