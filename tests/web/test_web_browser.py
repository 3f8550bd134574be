"""The dashboard in a real browser: Debian chromium driven by Playwright, against uvicorn.

Checks that every page loads without console errors, charts draw marks, the
language switch works, and no XSS payload runs. Keeps a screenshot of the
overview at ``artifacts/overview.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from seed import PAGES, seed
from webtools import LiveServer

from conftest import require
from govlens.config import Settings
from govlens.serve import create_app
from govlens.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(CHROMIUM.exists() or shutil.which("chromium") is not None,
            "Debian chromium is not installed (scripts/ci-system-deps installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                              headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.sqlite'}"
    store = Store.open(url)
    seed(store)
    with LiveServer(create_app(Settings(db_url=url), store=store)) as base:
        yield base
    store.close()


class Watch:
    """Console errors, page errors, dialogs and requests leaving the app, for one page."""

    def __init__(self, page: Any, base: str) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dismiss)
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.foreign.append(r.url))

    def _dismiss(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_loads_clean_and_payloads_stay_inert(browser: Any, site: str, lang: str) -> None:
    page = browser.new_page()
    watch = Watch(page, site)
    for path in PAGES:
        resp = page.goto(site + path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert resp is not None and resp.status == 200, path
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__xss") is None, path
        injected = page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(e =>
                 e.tagName === 'SCRIPT' || e.tagName === 'IMG' ||
                 [...e.attributes].some(a => a.name.startsWith('on')) ||
                 (e.tagName === 'A' && /^\\s*javascript:/i.test(e.getAttribute('href') || ''))
               ).map(e => e.outerHTML)"""
        )
        assert injected == [], (path, injected)
    assert watch.errors == [], watch.errors
    assert watch.dialogs == [], watch.dialogs
    assert watch.foreign == [], watch.foreign
    page.close()


def test_charts_render_marks_and_overview_screenshot(browser: Any, site: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/?lang=es")
    charts = page.locator("svg.chart")
    assert charts.count() >= 3
    assert page.locator("svg.chart .mark").count() >= 4
    boxes = [page.locator("svg.chart-bar .mark").nth(i).bounding_box()
             for i in range(page.locator("svg.chart-bar .mark").count())]
    assert any(b is not None and b["width"] > 0 and b["height"] > 0 for b in boxes)  # a zero bar is 0 wide
    out = ROOT / "artifacts" / "overview.png"
    out.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000
    page.close()


def test_language_switch(browser: Any, site: str) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(site + "/catalogues/mx")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h2").first.inner_text() == "Instituciones"
    page.click("a[data-lang=en]")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2").first.inner_text() == "Institutions"
    page.click("header nav >> text=Overview")
    assert page.locator("h1").inner_text() == "Whole-government overview"
    page.click("a[data-lang=es]")
    assert page.locator("h1").inner_text() == "Panorama de todo el gobierno"
    ctx.close()


#: The quality charts each page draws (SVG class of the chart).
QUALITY_CHARTS = {
    "/": ("chart-share", "chart-histogram", "chart-grouped", "chart-bar", "chart-line"),
    "/catalogues/mx/publishers/shcp": ("chart-grouped", "chart-line", "chart-share", "chart-histogram",
                                       "chart-bar"),
}
QUALITY_TITLE = {"es": "Calidad de los metadatos (MQA de la UE)", "en": "Metadata quality (EU MQA)"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_quality_charts_draw_visible_marks(browser: Any, site: str, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, site)
    for path, kinds in QUALITY_CHARTS.items():
        page.goto(f"{site}{path}?lang={lang}")
        quality = page.locator("section#quality")
        assert quality.locator("h2").first.inner_text() == QUALITY_TITLE[lang]
        for kind in kinds:
            areas = quality.locator(f"svg.{kind} .mark").evaluate_all(
                "els => els.map(e => { const b = e.getBoundingClientRect(); return b.width * b.height; })")
            assert areas and max(areas) > 0, (path, kind)
    page.goto(f"{site}/catalogues/mx/datasets/ds-1?lang={lang}")
    rows = page.locator("section#quality table.measurements tbody tr:not(.group)")
    assert rows.count() == 11 + 2 * 16
    why = page.locator("section#quality td.why").all_inner_texts()
    assert ("no media type declared (−5 points)" if lang == "en" else "no se declara el tipo de medio (−5 puntos)") in why
    page.goto(f"{site}/institutions?sort=mqa&lang={lang}")
    assert page.locator("table.ranking .band").count() == 2
    assert watch.errors == [] and watch.dialogs == [] and watch.foreign == []
    page.close()
