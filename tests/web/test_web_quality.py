"""Metadata quality on the dashboard: the overview, the ranking, the scorecard and the dataset page,
read from the per-run roll-ups, in Spanish and English, with harvested text escaped."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from seed import EVIL_PUBLISHER, IMG, SCRIPT, seed
from webtools import client, seeded  # noqa: F401 - fixtures

from govlens.aggregate.quality import N_BINS
from govlens.config import Settings
from govlens.model import LinkState
from govlens.run.assess import assess_run
from govlens.run.quality import publisher_summaries
from govlens.serve import create_app
from govlens.store import Store, quality_stats

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def section(html: str) -> str:
    """The page's quality section (nested sections included)."""
    start = html.index('<section class="quality" id="quality">')
    depth = 0
    for m in re.finditer(r"<(/?)section\b", html[start:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[start:start + m.end()]
    raise AssertionError("unclosed section")


def marks(svg_class: str, html: str) -> int:
    """Data marks inside the charts of one kind."""
    return sum(chart.count('class="mark"') for chart in re.findall(
        rf'<svg[^>]*class="chart {svg_class}".*?</svg>', html, flags=re.DOTALL))


def reassess_with_links(store: Store, publisher: str) -> None:
    """Assess the latest run again with the download URLs of one publisher's datasets answering 200."""
    run = store.latest_run("mx")
    urls = {u for sd in store.iter_datasets(run.id) if sd.publisher_key == publisher
            for d in sd.dataset.distributions for u in d.download_urls}
    assess_run(store, run, links={u: LinkState(u, "ok", 200) for u in urls})


async def test_overview_shows_the_government_quality(client: httpx.AsyncClient, seeded: Store) -> None:
    run = seeded.latest_run("mx")
    group = quality_stats.run_group(seeded, run.id)
    assert group is not None
    summary = group.tally.summary()
    html = (await client.get("/", params={"lang": "en"})).text
    q = section(html)
    assert "Metadata quality (EU MQA)" in q and f"{summary.mqa_mean:,.1f}" in q
    assert f"band-{summary.mqa_rating}" in q
    assert marks("chart-histogram", q) == N_BINS  # one bar per score bin, its count in its title
    hist = re.search(r'<svg[^>]*class="chart chart-histogram".*?</svg>', q, flags=re.DOTALL)
    assert hist and sum(int(n) for n in re.findall(r":\s([\d,]+)</title></rect>", hist.group(0))) == 8
    assert marks("chart-share", q) == sum(1 for _, c in summary.ratings if c)  # bands
    assert marks("chart-grouped", q) == 10  # five dimensions: mean and maximum
    assert marks("chart-bar", q) == 6 + 1  # stars 0..5, the catalogue's mean
    assert marks("chart-line", q) == 2  # both runs assessed
    es = section((await client.get("/", params={"lang": "es"})).text)
    assert "Calidad de los metadatos (MQA de la UE)" in es and "Localizabilidad" in es


async def test_ranking_sorts_and_filters_by_quality(client: httpx.AsyncClient, seeded: Store) -> None:
    reassess_with_links(seeded, "shcp")  # shcp's download URLs answer: +30 points each
    means = {p.publisher_key: p.summary.mqa_mean for p in publisher_summaries(seeded, "mx")}
    assert means["shcp"] > means[EVIL_PUBLISHER.key]  # type: ignore[operator]

    def order(html: str) -> list[str]:
        return re.findall(r'/catalogues/mx/publishers/([^"]+)"', html)

    best = (await client.get("/institutions", params={"sort": "mqa", "order": "desc", "lang": "en"})).text
    assert order(best) == ["shcp", quote(EVIL_PUBLISHER.key, safe="")]
    assert "MQA mean" in best and f"{means['shcp']:,.1f}" in best
    worst = (await client.get("/institutions", params={"sort": "mqa", "order": "asc"})).text
    assert order(worst) == [quote(EVIL_PUBLISHER.key, safe=""), "shcp"]
    only = (await client.get("/institutions", params={"band": "excellent"})).text
    assert order(only) == []
    none = (await client.get("/institutions", params={"band": "none"})).text
    assert order(none) == []
    assert (await client.get("/institutions", params={"band": "great"})).status_code == 422


async def test_scorecard_compares_with_the_catalogue_and_lists_fixes(client: httpx.AsyncClient,
                                                                     seeded: Store) -> None:
    reassess_with_links(seeded, "shcp")
    html = (await client.get("/catalogues/mx/publishers/shcp", params={"lang": "en"})).text
    q = section(html)
    assert marks("chart-grouped", q) == 15  # five dimensions: institution, catalogue, maximum
    assert "This institution" in q and "Catalogue mean" in q
    assert marks("chart-line", q) == 2
    fixes = re.findall(r'<span class="fix-text">(.*?)</span>', q)
    assert fixes and "add a theme (category) to 4 datasets: +30 points each, mean +30.0" in fixes
    assert 'href="/catalogues/mx/datasets/ds-1"' in q
    rows = re.findall(r"<tr><td>([^<]+)</td><td>[A-Z][a-z]+</td><td>(datasets|distributions)</td>"
                      r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', q)
    by = {(name, level): (int(y), int(n)) for name, level, y, n in rows}
    assert by[("Keywords", "datasets")] == (4, 0)
    assert by[("Download URL answers", "distributions")] == (4, 0)  # checked for shcp: all answer
    assert len(rows) == 27  # every metric
    es = section((await client.get("/catalogues/mx/publishers/shcp", params={"lang": "es"})).text)
    assert "Qué corregir primero" in es and "añadir un tema (categoría) a 4 conjuntos de datos" in es


async def test_dataset_page_explains_every_metric(client: httpx.AsyncClient) -> None:
    q = section((await client.get("/catalogues/mx/datasets/ds-1", params={"lang": "en"})).text)
    rows = re.findall(r'<tr><td>([^<]+)</td><td><span class="verdict-(\w+)[^"]*">[^<]*</span>[^<]*(?:<code>\d+</code>)?'
                      r'</td><td class="num">(-?\d+) / (\d+)</td><td class="why">([^<]*)</td></tr>', q)
    assert len(rows) == 11 + 2 * 16  # dataset metrics, then each of the two distributions
    why = {(m, r[4]) for r in rows for m in [r[0]]}
    assert ("Media type", "no media type declared (−5 points)") in why
    assert ("Download URL answers", "download URL not checked yet (0 points until the link checker runs)") in why
    assert ("Format and media type from the vocabularies",
            "format CSV mapped to CSV, but no media type declared") in why
    assert ("Licence", "licence cc-by-4.0 (the dataset&#39;s)") in why
    assert ("Date of issue", "no issue date") in why
    assert sum(int(r[2]) for r in rows if r[0] in {"Keywords", "Contact point"}) == 50
    assert "the scored one" in q and "udata criteria" in q
    es = section((await client.get("/catalogues/mx/datasets/ds-1", params={"lang": "es"})).text)
    assert "no se declara el tipo de medio (−5 puntos)" in es


async def test_harvested_text_in_quality_sections_is_escaped(client: httpx.AsyncClient) -> None:
    evil = (await client.get("/catalogues/mx/datasets/" + quote(f"ds-0-{IMG}", safe=""))).text
    q = section(evil)
    assert "palabras clave: presupuesto, &lt;script&gt;window.__xss=1;alert(&#39;xss&#39;)&lt;/script&gt;" in q
    assert SCRIPT not in q and IMG not in q
    card = section((await client.get("/catalogues/mx/publishers/" + quote(EVIL_PUBLISHER.key, safe=""))).text)
    assert IMG not in card and quote(f"ds-0-{IMG}", safe="") in card  # the example link, percent-encoded
    ranking = (await client.get("/institutions", params={"sort": "mqa"})).text
    assert IMG not in ranking and "&lt;img src=x onerror=" in ranking


async def test_pages_before_any_assessment(db_url: str) -> None:
    with Store.open(db_url) as store:
        seed(store, assess=False)
        app = create_app(Settings(db_url=db_url), store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            said = {"/": "Not assessed yet: run govlens assess.",
                    "/catalogues/mx/publishers/shcp": "Not assessed yet: run govlens assess.",
                    "/catalogues/mx/datasets/ds-1": "This dataset has not been assessed in the latest run",
                    "/institutions": '<td class="empty">Not assessed</td>'}
            for path, text in said.items():
                r = await c.get(path, params={"lang": "en", "sort": "mqa"})
                assert r.status_code == 200 and text in r.text, path
                if path != "/institutions":
                    assert 'class="mark"' not in section(r.text), path
