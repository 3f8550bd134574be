"""Every page renders, escapes harvested text, sends a strict CSP, and speaks Spanish and English."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest
from seed import IMG, JS_URL, PAGES
from webtools import client, seeded  # noqa: F401 - fixtures

from govlens.serve.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.anyio


class Markup(HTMLParser):
    """What a browser would build from a page: element names, handlers, link targets, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.handlers: list[tuple[str, str]] = []
        self.urls: list[str] = []
        self.styles: list[str] = []

    @classmethod
    def parse(cls, html: str) -> Markup:
        m = cls()
        m.feed(html)
        m.close()
        return m

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in {"href", "src", "action", "formaction"} and value is not None:
                self.urls.append(value.strip().lower())
            if name == "style" or tag == "style":
                self.styles.append(tag)



@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize("path", PAGES)
async def test_page_renders_escaped_under_csp(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"
    found = Markup.parse(r.text)
    # No payload survives as markup: no script or img element, no handler, no javascript: link.
    assert not found.tags & {"script", "img", "iframe", "object", "embed"}, found.tags
    assert not found.handlers, found.handlers
    assert not [u for u in found.urls if not u.startswith(("/", "?", "#", "http://", "https://"))]
    assert not found.styles, "inline styles break the CSP"


async def test_payloads_are_shown_as_text(client: httpx.AsyncClient) -> None:
    html = (await client.get("/catalogues/mx/datasets/" + quote(f"ds-0-{IMG}", safe=""))).text
    assert "&lt;script&gt;window.__xss=1;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=&#34;window.__xss=1;alert(1)&#34;&gt;" in html
    # A javascript: URL is shown, never linked.
    assert JS_URL in html and f'href="{JS_URL}' not in html
    assert 'href="https://datos.gob.mx/dataset/ds-1"' not in html  # other datasets' links absent
    good = (await client.get("/catalogues/mx/datasets/ds-1")).text
    assert 'href="https://datos.gob.mx/dataset/ds-1" rel="nofollow noopener noreferrer"' in good


async def test_language_default_switch_and_cookie(client: httpx.AsyncClient) -> None:
    es = await client.get("/")
    assert '<html lang="es">' in es.text and "Panorama de todo el gobierno" in es.text
    en = await client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in en.text and "Whole-government overview" in en.text
    assert "govlens_lang=en" in en.headers["set-cookie"]
    kept = await client.get("/institutions")  # the client keeps the cookie
    assert '<html lang="en">' in kept.text
    back = await client.get("/institutions", params={"lang": "es"})
    assert "Instituciones" in back.text and '<html lang="es">' in back.text


async def test_charts_are_svg_with_marks(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') >= 3
    assert html.count('class="mark"') >= 4
    assert 'role="img"' in html


async def test_unknown_pages_are_html_404(client: httpx.AsyncClient) -> None:
    for path in ("/nope", "/catalogues/nope", "/catalogues/mx/publishers/nobody", "/catalogues/mx/datasets/zz"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html")
        assert "Error 404" in r.text


async def test_static_assets_are_local(client: httpx.AsyncClient) -> None:
    r = await client.get("/static/app.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    html = (await client.get("/")).text
    assert not re.search(r'(src|href)="(https?:)?//', html), "no asset from another origin"
