"""What every page shares: the Jinja2 environment, the language of a request,
and :func:`render`.

Templates are autoescaped everywhere. Harvested URLs become links only through
the ``http_url`` test (http and https schemes); any other URL is shown as text.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import URL

from govlens.report import html, i18n

if TYPE_CHECKING:
    from govlens.config import Settings
    from govlens.store import Store

LANG_COOKIE = "govlens_lang"


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link in the top navigation: a route name and a message key for its label."""

    route: str
    label: str


def environment() -> jinja2.Environment:
    """The report environment, with the app's own templates first."""
    return html.environment(jinja2.PackageLoader("govlens.serve", "templates"))


@dataclass(slots=True)
class Web:
    """The app's shared state, kept on ``app.state.web``."""

    settings: Settings
    store: Store
    env: jinja2.Environment
    nav: list[NavItem]


def web(request: Request) -> Web:
    return request.app.state.web  # type: ignore[no-any-return]


def store(request: Request) -> Store:
    return web(request).store


def site_language(request: Request) -> str:
    """Spanish when any catalogue is Spanish-language or Mexican (or none is known), else English."""
    cats = web(request).store.catalogues()
    if not cats:
        return i18n.DEFAULT_LANGUAGE
    langs = {i18n.catalogue_language(c.language, c.source) for c in cats}
    return "es" if "es" in langs else "en"


def language(request: Request, default: str | None = None) -> str:
    """The language asked for (``?lang=``), else remembered (cookie), else ``default``."""
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES:
        return asked
    kept = request.cookies.get(LANG_COOKIE)
    if kept in i18n.LANGUAGES:
        return kept
    return default or site_language(request)


def lang_url(url: URL, lang: str) -> str:
    """The current page's path and query with ``lang`` set (a relative URL)."""
    return url.path + "?" + url.include_query_params(lang=lang).query


def path_for(request: Request, route: str, /, **params: object) -> str:
    """The path of route ``name``, every parameter percent-encoded (harvested keys may hold
    any character)."""
    return str(request.app.url_path_for(route, **{k: quote(str(v), safe="") for k, v in params.items()}))


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    lang: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` in the request's language; remember an explicit ``?lang=``."""
    w = web(request)
    lang = lang or language(request)
    page = w.env.get_template(template).render(
        request=request,
        **html.helpers(lang),
        languages=[(code, i18n.LANGUAGE_NAMES[code], lang_url(request.url, code)) for code in i18n.LANGUAGES],
        nav=w.nav,
        path=functools.partial(path_for, request),
        **context,
    )
    response = HTMLResponse(page, status_code=status_code)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax")
    return response
