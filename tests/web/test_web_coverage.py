"""Missing priority datasets in the dashboard's coverage page and in the HTML/PDF reports, es and en."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader
from seed import GOOD_PUBLISHER
from test_web_pages import Markup
from webtools import client, seeded  # noqa: F401 - fixtures

from govlens.config import Settings
from govlens.coverage.service import coverage
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.run.report import gather, render, with_coverage, write_report
from govlens.store import Store

TAX = builtin_taxonomy()


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def recommend(category: str, lang: str) -> str:
    return escape(TAX[category].recommend.get(lang))


@pytest.mark.anyio
async def test_the_coverage_page_says_what_to_publish(client: httpx.AsyncClient, seeded: Store) -> None:
    present = {x.category for x in coverage(seeded).government if x.status == "present"}
    assert {"odc.budgets", "g8.finance-contracts"} <= present  # the seeded budgets, by a finance ministry
    async with client as c:
        page = await c.get("/catalogues/mx/coverage")
        assert page.status_code == 200 and not Markup.parse(page.text).handlers
        row = next(r for r in page.text.split("<tr>") if TAX["odc.lobbying-register"].label.es in r)
        assert "ausente" in row and recommend("odc.lobbying-register", "es") in row
        for category in present:  # nothing to publish for what is there
            assert recommend(category, "es") not in page.text, category
        mine = await c.get("/catalogues/mx/coverage", params={"publisher": GOOD_PUBLISHER.key, "lang": "en"})
        assert mine.status_code == 200 and recommend("odc.spending", "en") in mine.text


def test_government_report_lists_the_missing_priority_datasets(seeded: Store, tmp_path: Path) -> None:
    out, lang = write_report(Settings(db_url=url_of(seeded)), tmp_path / "r.html")
    doc = out.read_text("utf-8")
    assert lang == "es" and "Conjuntos prioritarios ausentes: qué publicar" in doc
    for category in ("odc.lobbying-register", "odc.asset-declarations", "odc.contracts-register"):
        assert recommend(category, "es") in doc, category
    assert recommend("g8.finance-contracts", "es") not in doc  # published as open data
    assert TAX["g8.finance-contracts"].label.es in doc.split("Conjuntos prioritarios publicados</h3>")[1]
    found = Markup.parse(doc)
    assert not found.tags & {"script", "img", "link", "iframe"} and not found.handlers

    out, _ = write_report(Settings(db_url=url_of(seeded)), tmp_path / "e.html", lang="en")
    doc = out.read_text("utf-8")
    assert "Missing priority datasets: what to publish" in doc and recommend("odc.lobbying-register", "en") in doc


def test_institution_report_asks_only_for_its_own_datasets(seeded: Store, tmp_path: Path) -> None:
    out, _ = write_report(Settings(db_url=url_of(seeded)), tmp_path / "i.html", publisher=GOOD_PUBLISHER.key,
                          lang="en")
    doc = out.read_text("utf-8")
    # a finance ministry is asked for spending data, not for the lobbying register
    assert recommend("odc.spending", "en") in doc
    assert recommend("odc.lobbying-register", "en") not in doc
    published = doc.split("Priority datasets published</h3>")[1]
    for category in ("odc.budgets", "g8.finance-contracts"):  # its budget, published openly
        assert recommend(category, "en") not in doc and TAX[category].label.en in published


def test_pdf_report_has_the_coverage_section(seeded: Store) -> None:
    report = with_coverage(seeded, gather(seeded))
    assert report.coverage is not None and report.coverage.missing
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render(report, "pdf", "en"))).pages)
    assert "Missing priority datasets" in text and "Priority datasets published" in text
    assert "lobbying register" in " ".join(text.split())
    # a report gathered without the section renders without it
    assert "Missing priority datasets" not in render(gather(seeded), "html", "en").decode()
