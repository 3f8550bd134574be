"""Fixtures for the web tests: a seeded store, the app, an ASGI client, a live server.

Test modules import the fixtures they use from here (a conftest.py here would
shadow the suite's own ``conftest`` module)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pypdf import PageObject
from pypdf.generic import DictionaryObject
from seed import seed

from govlens.config import Settings
from govlens.serve import create_app
from govlens.store import Store


@pytest.fixture
def seeded(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    seed(s)
    yield s
    s.close()


@pytest.fixture
def client(seeded: Store) -> Iterator[httpx.AsyncClient]:
    app = create_app(Settings(db_url=str(seeded.engine.url.render_as_string(hide_password=False))),
                     store=seeded)
    transport = httpx.ASGITransport(app=app)
    yield httpx.AsyncClient(transport=transport, base_url="http://testserver")


class LiveServer:
    """uvicorn serving an app on a free loopback port, in a thread."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def sqlite_seeded(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'web.sqlite'}")
    seed(s)
    yield s
    s.close()


def xobjects(pages: list[PageObject]) -> int:
    """How many form XObjects (WeasyPrint draws each inline SVG chart as one) the pages hold."""
    count = 0
    for page in pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        found = resources.get("/XObject")
        if found is not None:
            objects = found.get_object()
            assert isinstance(objects, DictionaryObject)
            count += len(objects)
    return count
