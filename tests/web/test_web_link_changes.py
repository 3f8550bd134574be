"""Links newly broken since the previous harvest, on an institution's page, in the API and in the
reports, over real link checks against a loopback server; the same count ``govlens publishers`` prints."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from govlens.cli import main
from govlens.config import Settings
from govlens.model import Catalogue, Dataset, Distribution, ProbeInfo, Publisher
from govlens.probe.guard import Guard
from govlens.probe.policy import ProbeSettings
from govlens.run.probe import probe_catalogues
from govlens.run.report import gather, write_report
from govlens.serve import create_app
from govlens.store import Store
from linkserver import LinkServer
from probe_fixtures import server, tripwire  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio

SETTINGS = ProbeSettings(min_interval=0.0, retries=0, timeout=5.0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def harvest(store: Store, urls: Mapping[str, Sequence[str]]) -> None:
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


def rotting_links(server: LinkServer, rot: str) -> dict[str, Sequence[str]]:
    """Each institution's links: shcp's ``/state/{rot}`` answers 200 until the test breaks it, its
    ``/status/404`` is broken from the start; inegi's one link works."""
    server.states[rot] = 200
    return {"shcp": [server.url("/f/web-ok.csv"), server.url(f"/state/{rot}"), server.url("/status/404")],
            "inegi": [server.url("/f/web-inegi.csv")]}


async def probe(store: Store) -> ProbeInfo:
    [info] = await probe_catalogues(store, SETTINGS, catalogue="mx", guard=Guard(["127.0.0.1"]))
    return info


async def test_newly_broken_links_on_the_institution_page_and_api(
    db_url: str, server: LinkServer,
) -> None:
    rot = f"web-rot-{db_url.split(':', 1)[0]}"
    urls = rotting_links(server, rot)
    store = Store.open(db_url)
    try:
        app = create_app(Settings(db_url=store.engine.url.render_as_string(hide_password=False)), store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            harvest(store, urls)
            unchecked = (await c.get("/catalogues/mx/publishers/shcp", params={"lang": "en"})).text
            assert "newly broken" not in unchecked
            assert (await c.get("/api/catalogues/mx/links", params={"publisher": "shcp"})).json()["newly_broken"] is None

            first = await probe(store)
            assert (first.checked, first.broken) == (4, 1)
            page = (await c.get("/catalogues/mx/publishers/shcp", params={"lang": "en"})).text
            assert "1 links newly broken since the previous harvest" in page  # the 404, new in this run

            server.states[rot] = 410  # one more link breaks by the next harvest
            harvest(store, urls)
            second = await probe(store)
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


def institution_row(doc: str, name: str) -> list[str]:
    """The cells of an institution's row in the government report's table of institutions."""
    row = next(r for r in doc.split("<tr>") if f"<td>{name}</td>" in r)
    return [c.split(">", 1)[1] for c in row.split("</tr>")[0].split("</td>") if ">" in c]


async def test_newly_broken_links_in_the_reports(db_url: str, server: LinkServer, tmp_path: Path,
                                                 ) -> None:
    rot = f"report-rot-{db_url.split(':', 1)[0]}"
    urls = rotting_links(server, rot)
    settings = Settings(db_url=db_url)
    store = Store.open(db_url)
    try:
        harvest(store, urls)
        unchecked = gather(store)
        assert [(i.key, i.newly_broken) for i in unchecked.institutions] == [("shcp", None), ("inegi", None)]
        assert gather(store, publisher="shcp").institution.newly_broken is None  # type: ignore[union-attr]
        out, _ = write_report(settings, tmp_path / "before.html", publisher="shcp", lang="en")
        assert "newly broken" not in out.read_text("utf-8")

        assert (await probe(store)).broken == 1  # the 404, new in this run
        server.states[rot] = 410  # one more link breaks by the next harvest
        harvest(store, urls)
        assert (await probe(store)).broken == 2
        report = gather(store)
        assert [(i.key, i.newly_broken) for i in report.institutions] == [("shcp", 1), ("inegi", 0)]
    finally:
        store.close()

    one = write_report(settings, tmp_path / "shcp.html", publisher="shcp", lang="en")[0].read_text("utf-8")
    links = one.split("<h2>Link health</h2>", 1)[1].split("<h2>", 1)[0]
    assert "1 links newly broken since the previous harvest" in links  # the 404 was broken before
    es = write_report(settings, tmp_path / "shcp-es.html", publisher="shcp", lang="es")[0].read_text("utf-8")
    assert "1 enlaces se han roto desde la cosecha anterior" in es
    inegi = write_report(settings, tmp_path / "inegi.html", publisher="inegi", lang="en")[0].read_text("utf-8")
    assert "0 links newly broken since the previous harvest" in inegi

    for lang, header in (("en", "Newly broken links"), ("es", "Enlaces recién rotos")):
        doc = write_report(settings, tmp_path / f"gov-{lang}.html", lang=lang)[0].read_text("utf-8")
        table = doc.rsplit(f'<th class="num">{header}</th>', 1)[1]
        assert institution_row(table, "SHCP")[-1] == "1" and institution_row(table, "INEGI")[-1] == "0"
