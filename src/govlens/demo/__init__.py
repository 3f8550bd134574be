"""The embedded demo: a Mexican-style open-data catalogue served by a loopback CKAN server.

``govlens review`` with no source harvests it, with no network beyond 127.0.0.1::

    with DemoServer() as server:
        harvest(settings, server.url)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govlens.demo.catalogue import AS_OF, DemoCatalogue, build, with_base
from govlens.demo.files import render
from govlens.demo.server import CkanServer, Reply

__all__ = ["AS_OF", "DEMO_PORT", "CkanServer", "DemoCatalogue", "DemoServer", "Reply", "build"]

#: The port the demo server prefers, so its URLs (and so its records) stay the same between
#: runs; any free port is used when it is taken.
DEMO_PORT = 47471


class DemoServer(CkanServer):
    """The demo catalogue's CKAN API and its files, with their faults."""

    def __init__(self, port: int = DEMO_PORT, **kwargs: Any) -> None:
        self.catalogue = build()
        self._rendered: dict[str, Reply] = {}
        super().__init__([], site_title="Datos Abiertos de México (demostración)", locale="es",
                         port=port, **kwargs)

    def start(self) -> DemoServer:
        super().start()
        self.packages = with_base(self.catalogue.packages, self.url)
        return self

    def answer(self, path: str, query: Mapping[str, str]) -> Reply:
        if path.startswith("/archivos/"):
            if path not in self._rendered:
                spec = self.catalogue.files.get(path.split(".r")[0] if ".r" in path[-3:] else path)
                if spec is not None:
                    self._rendered.update(render(spec, self.url))
            if path in self._rendered:
                return self._rendered[path]
        return super().answer(path, query)
