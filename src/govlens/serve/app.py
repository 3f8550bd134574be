"""The web app: dashboard pages and the REST API over one govlens database.

``create_app(settings)`` builds a FastAPI application. Pages and API routers
are listed in :data:`govlens.serve.pages.PAGE_MODULES` and
:data:`govlens.serve.api.API_MODULES`; each module exposes ``router`` (and a
page module may expose ``NAV``, its entries in the top navigation). See
``docs/web.md`` for how to add one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from govlens import __version__
from govlens.config import Settings
from govlens.errors import GovlensError, NotFound
from govlens.serve import api, pages
from govlens.serve.security import SecurityHeaders
from govlens.serve.throttle import SignInThrottle
from govlens.serve.web import Web, environment, render
from govlens.store import Store


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """A FastAPI app over the database of ``settings`` (migrated on open), or over ``store``."""
    settings = settings or Settings.from_env()
    owns_store = store is None
    store = store or Store.open(settings.db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_store:
            store.close()

    app = FastAPI(
        title="govlens",
        version=__version__,
        description="Open-data quality of a government's catalogues: catalogues, institutions "
        "(publishers), datasets, scores, links, fixes and coverage. Read-only.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    nav = [item for module in pages.PAGE_MODULES for item in getattr(module, "NAV", ())]
    app.state.web = Web(settings=settings, store=store, env=environment(), nav=nav)
    app.state.sign_in_throttle = SignInThrottle()
    app.add_middleware(SecurityHeaders)
    static = resources.files("govlens.serve").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in pages.PAGE_MODULES:
        app.include_router(module.router)
    for module in api.API_MODULES:
        app.include_router(module.router, prefix="/api")
    _error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, "not_found", str(exc))

    @app.exception_handler(GovlensError)
    async def govlens_error(request: Request, exc: GovlensError) -> Response:
        return _error(request, 500, type(exc).__name__, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "invalid_request", "detail": exc.errors()}, status_code=422)
        return _error(request, 422, "invalid_request", "; ".join(str(e.get("msg")) for e in exc.errors()))


def _error(request: Request, status: int, code: str, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": code, "message": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)
