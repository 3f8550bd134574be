"""Links newly broken since the previous harvest, on an institution's page and in the API, over real
link checks against a loopback server; the same count ``govlens publishers`` prints."""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx
import pytest
from click.testing import CliRunner

from govlens.cli import main
from govlens.config import Settings
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.probe.guard import Guard
from govlens.probe.policy import ProbeSettings
from govlens.run.probe import probe_catalogues
from govlens.serve import create_app
from govlens.store import Store
from linkserver import LinkServer
from probe_fixtures import server, tripwire  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio

SETTINGS = ProbeSettings(min_interval=0.0, retries=0, timeout=5.0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def harvest(store: Store, urls: dict[str, Sequence[str]]) -> None:
    cat = store.ensure_catalogue(Catalogue(name="mx", source="https://datos.gob.mx", kind="ckan"))
    opened = store.open_run(cat, cat.source, "ckan")
    page = [
        Dataset(identifier=f"{pub}-{i}", title=f"Datos {pub} {i}", publisher=Publisher(pub, pub.upper()),
                distributions=(Distribution(id=f"{pub}-{i}-d", format="CSV", download_urls=(u,)),))
        for pub, group in urls.items()
        for i, u in enumerate(group)
    ]
    store.save_page(opened.run, page, {}, opened.next_seq)
    store.finish_run(opened.run)


async def test_newly_broken_links_on_the_institution_page_and_api(
    db_url: str, server: LinkServer,  # noqa: F811
) -> None:
    rot = f"web-rot-{db_url.split(':', 1)[0]}"
    server.states[rot] = 200
    urls = {"shcp": [server.url("/f/web-ok.csv"), server.url(f"/state/{rot}"), server.url("/status/404")],
            "inegi": [server.url("/f/web-inegi.csv")]}
    store = Store.open(db_url)
    try:
        app = create_app(Settings(db_url=store.engine.url.render_as_string(hide_password=False)), store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            harvest(store, urls)
            unchecked = (await c.get("/catalogues/mx/publishers/shcp", params={"lang": "en"})).text
            assert "newly broken" not in unchecked
            assert (await c.get("/api/catalogues/mx/links", params={"publisher": "shcp"})).json()["newly_broken"] is None

            [first] = await probe_catalogues(store, SETTINGS, catalogue="mx", guard=Guard(["127.0.0.1"]))
            assert (first.checked, first.broken) == (4, 1)
            page = (await c.get("/catalogues/mx/publishers/shcp", params={"lang": "en"})).text
            assert "1 links newly broken since the previous harvest" in page  # the 404, new in this run

            server.states[rot] = 410  # one more link breaks by the next harvest
            harvest(store, urls)
            [second] = await probe_catalogues(store, SETTINGS, catalogue="mx", guard=Guard(["127.0.0.1"]))
            assert (second.checked, second.broken) == (4, 2)

            page = (await c.get("/catalogues/mx/publishers/shcp", params={"lang": "en"})).text
            section = page.split("<h2>Links</h2>", 1)[1].split("</section>", 1)[0]
            assert "1 links newly broken since the previous harvest" in section  # the 404 was broken before
            assert "outcome=broken" in section and "publisher=shcp" in section
            es = (await c.get("/catalogues/mx/publishers/shcp", params={"lang": "es"})).text
            assert "1 enlaces se han roto desde la cosecha anterior" in es
            other = (await c.get("/catalogues/mx/publishers/inegi", params={"lang": "en"})).text
            assert "0 links newly broken since the previous harvest" in other

            api = (await c.get("/api/catalogues/mx/links", params={"publisher": "shcp", "outcome": "all"})).json()
            assert (api["counts"]["broken"], api["newly_broken"]) == (2, 1)
            whole = (await c.get("/api/catalogues/mx/links")).json()
            assert whole["counts"]["broken"] == 2 and whole["newly_broken"] is None
            spec = (await c.get("/api/openapi.json")).json()
            assert "newly_broken" in spec["components"]["schemas"]["LinkPage"]["properties"]
    finally:
        store.close()

    runner = CliRunner()
    res = runner.invoke(main, ["assess", "--executor", "serial", "--no-shacl", "--db", db_url])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["publishers", "--db", db_url, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    cards = {c["publisher_key"]: c for c in map(json.loads, res.output.splitlines())}
    assert (cards["shcp"]["links_newly_broken"], cards["inegi"]["links_newly_broken"]) == (1, 0)
