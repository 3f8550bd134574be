"""The files page and API over real inspections: the inspector downloads CSVs from a loopback server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from seed import IMG, PAYLOADS
from test_web_pages import Markup

from govlens.config import Settings
from govlens.inspect.catalogue import inspect_catalogue
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.serve import create_app
from govlens.store import Store

pytestmark = pytest.mark.anyio

FILES = {
    "ok.csv": "id,name,amount\n1,Sonora,10\n2,Jalisco,20\n",
    "ragged.csv": "id,name,amount\n1,Sonora,10,extra\n2\n3,Yucatán,5\n",
    f"evil{quote(IMG)}.csv": "a,b\n1,2\n",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def files_server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    for name, body in FILES.items():
        (root / name.replace("%", "_")).write_text(body, encoding="utf-8")
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def inspected(db_url: str, files_server: str) -> Iterator[Store]:
    store = Store.open(db_url)
    cat = store.ensure_catalogue(Catalogue(name="arch", source="https://datos.gob.mx", kind="ckan"))
    opened = store.open_run(cat, cat.source, "ckan")
    pubs = [Publisher("inegi", "INEGI"), Publisher("evil", f"Evil {IMG}")]
    urls = [f"{files_server}/ok.csv", f"{files_server}/ragged.csv", f"{files_server}/missing.csv",
            f"{files_server}/evil{quote(IMG).replace('%', '_')}.csv"]
    page = [
        Dataset(identifier=f"f{i}", title=f"Archivo {i} {PAYLOADS[i % 3]}", publisher=pubs[i // 2],
                distributions=(Distribution(id=f"d{i}", format="CSV", download_urls=(u,)),))
        for i, u in enumerate(urls)
    ]
    store.save_page(opened.run, page, {}, opened.next_seq)
    store.finish_run(opened.run)
    done = inspect_catalogue(store, "arch", allow_hosts=["127.0.0.1"])
    assert (done.targets, done.inspected, done.failed) == (4, 3, 1)
    yield store
    store.close()


@pytest.fixture
def files_client(inspected: Store) -> httpx.AsyncClient:
    app = create_app(Settings(db_url=inspected.engine.url.render_as_string(hide_password=False)), store=inspected)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_files_page_lists_problems_first(files_client: httpx.AsyncClient) -> None:
    r = await files_client.get("/catalogues/arch/files", params={"status": "all", "lang": "en"})
    assert r.status_code == 200
    html = r.text
    found = Markup.parse(html)
    assert not found.handlers and not found.tags & {"script", "img"}
    assert html.index("missing.csv") < html.index("ragged.csv") < html.index("ok.csv")
    assert "unreadable" in html and "invalid" in html
    assert html.count('class="mark"') == 3  # valid, invalid, unreadable shares
    problems = (await files_client.get("/catalogues/arch/files")).text
    assert "ragged.csv" in problems and "/ok.csv" not in problems
    mine = (await files_client.get("/catalogues/arch/files", params={"publisher": "inegi", "status": "all"})).text
    assert "ok.csv" in mine and "missing.csv" not in mine


async def test_files_api(files_client: httpx.AsyncClient) -> None:
    r = await files_client.get("/api/catalogues/arch/files", params={"status": "all"})
    assert r.status_code == 200
    body = r.json()
    assert body["counts"] == {"files": 4, "valid": 2, "invalid": 1, "unreadable": 1, "format_mismatch": 0}
    by_url = {f["url"].rsplit("/", 1)[1]: f for f in body["items"]}
    assert by_url["ragged.csv"]["status"] == "invalid" and by_url["ragged.csv"]["errors"] >= 2
    assert by_url["ok.csv"]["dataset"] == "f0" and by_url["ok.csv"]["publisher_key"] == "inegi"
    assert by_url["missing.csv"]["failure"]


async def test_scorecard_shows_the_institutions_invalid_files(files_client: httpx.AsyncClient) -> None:
    html = (await files_client.get("/catalogues/arch/publishers/inegi", params={"lang": "en"})).text
    assert "ragged.csv" in html and "/ok.csv" not in html.split("Files", 1)[1].split("all files")[0]
    other = (await files_client.get("/catalogues/arch/publishers/evil")).text
    assert "missing.csv" in other and "ragged.csv" not in other
    assert not Markup.parse(other).handlers


@pytest.fixture
def probed(inspected: Store) -> Store:
    from govlens.probe.guard import Guard
    from govlens.probe.policy import ProbeSettings
    from govlens.run.probe import probe

    [info] = probe(inspected, ProbeSettings(min_interval=0.0, retries=0, timeout=5.0),
                   catalogue="arch", guard=Guard(["127.0.0.1"]))
    assert info.checked == 4
    return inspected


async def test_links_page_api_and_scorecard(probed: Store) -> None:
    app = create_app(Settings(db_url=probed.engine.url.render_as_string(hide_password=False)), store=probed)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        body = (await c.get("/api/catalogues/arch/links", params={"outcome": "all"})).json()
        assert {k: body["counts"][k] for k in ("urls", "checked", "ok", "broken")} == {
            "urls": 4, "checked": 4, "ok": 3, "broken": 1}
        assert body["items"][0]["url"].endswith("/missing.csv") and body["items"][0]["status"] == 404
        assert body["items"][0]["dataset"] == "f2" and body["items"][0]["publisher_key"] == "evil"
        page = await c.get("/catalogues/arch/links", params={"lang": "en"})
        assert page.status_code == 200 and "missing.csv" in page.text and "/ok.csv" not in page.text
        assert page.text.count('class="mark"') == 2 and not Markup.parse(page.text).handlers
        mine = (await c.get("/api/catalogues/arch/links", params={"publisher": "inegi", "outcome": "all"})).json()
        assert mine["counts"]["urls"] == 2 and mine["counts"]["ok"] == 2 and mine["counts"]["broken"] == 0
        card = (await c.get("/catalogues/arch/publishers/evil", params={"lang": "en"})).text
        links_section = card.split("<h2>Links</h2>", 1)[1].split("</section>", 1)[0]
        assert "missing.csv" in links_section and "broken" in links_section
