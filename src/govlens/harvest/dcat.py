"""DCAT-AP RDF catalogues: Turtle, RDF/XML, JSON-LD, N-Triples, with hydra paging.

Each document (a hydra page, or the whole file) is parsed on its own, within
the response size limit; its datasets are committed in pages of
``page_size``. The cursor is ``{"url": page, "skip": n}``: the document to
read and how many of its datasets (in a stable order) are already stored.
Both hydra forms are followed: ``hydra:nextPage`` of the old
``hydra:PagedCollection`` and ``hydra:next`` of ``hydra:PartialCollectionView``
(CKAN's DCAT endpoint and udata serve them).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from govlens.errors import SourceFormatError
from govlens.harvest import _rdf
from govlens.harvest._http import fetch, retrying
from govlens.harvest.base import CatalogueMeta, Normaliser, Options, RawPage, is_url, read_file
from govlens.model import Dataset, SourceKind, StageError
from govlens.normalise.dcat import normalise
from govlens.normalise.guards import Limits, unreadable

ACCEPT = ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
          "application/n-triples;q=0.7, */*;q=0.1")


def normalise_page(records: Sequence[Any], limits: Limits, *, language: str | None) -> list[Dataset]:
    out = []
    for subject, nt, url in records:
        try:
            out.append(normalise(nt, subject, language=language, url=url, limits=limits))
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop a harvest
            out.append(unreadable(subject, "dcat", "application/n-triples", nt, exc, limits))
    return out


class DcatHarvester:
    kind: SourceKind = "dcat"

    def __init__(self, source: str, client: httpx.AsyncClient | None, options: Options) -> None:
        self.source = source
        self.client = client
        self.options = options
        self.meta = CatalogueMeta()
        self.notes: list[StageError] = []

    def normaliser(self) -> Normaliser:
        return functools.partial(normalise_page, language=_lang_code(self.meta.language))

    async def _load(self, where: str) -> tuple[bytes, str | None, str]:
        """``(body, content type, final URL or path)`` of one document."""
        if not is_url(where):
            return read_file(Path(where), self.options.max_response_bytes, source=self.source), None, where
        assert self.client is not None
        client = self.client

        async def op() -> Any:
            return await fetch(client, where, source=self.source, page=where,
                               max_bytes=self.options.max_response_bytes, headers={"Accept": ACCEPT},
                               deadline=self.options.deadline)

        got = await retrying(op, self.options.retry)
        return got.body, got.content_type, got.url

    async def pages(self, cursor: Mapping[str, Any] | None) -> AsyncIterator[RawPage]:
        where: str | None = (cursor or {}).get("url") or self.source
        skip = int((cursor or {}).get("skip", 0))
        visited: set[str] = set()
        while where is not None:
            if where in visited or len(visited) >= self.options.max_pages:
                raise SourceFormatError("hydra paging loops or never ends", source=self.source,
                                        page=where, cause=f"{len(visited)} pages read")
            visited.add(where)
            body, ctype, final = await self._load(where)
            fmt = _rdf.rdf_format(body, ctype, final)
            local_dir = None if is_url(final) else Path(final).parent
            g = _rdf.parse(body, fmt, base=final, source=self.source, page=where, local_dir=local_dir)
            del body
            self._learn(g)
            nodes = _rdf.datasets(g)
            nxt = _rdf.next_page(g)
            if nxt is not None:
                nxt = urljoin(final, nxt)
                if not is_url(self.source):
                    # A local file is read alone: its next page is not fetched from the network.
                    self.notes.append(StageError("NotFollowed", "the next hydra page of a local file "
                                                 "was not fetched; harvest the catalogue by URL",
                                                 self.source, nxt))
                    nxt = None
                elif nxt == where:
                    nxt = None
            if not nodes and nxt is None and not visited - {where} and skip == 0:
                raise SourceFormatError("no dcat:Dataset found", source=self.source, page=where,
                                        cause=f"{len(g)} triples parsed as {fmt}")
            size = self.options.page_size
            chunks = list(_rdf.iter_chunks(nodes, skip, size))
            for i, chunk in chunks:
                records = [(*_rdf.record(g, n), where) for n in chunk]
                done = i + len(chunk)
                last = done >= len(nodes)
                cur = {"url": nxt, "skip": 0} if last else {"url": where, "skip": done}
                yield RawPage(records, cur, f"{where} datasets {i}-{done - 1}")
            if not chunks and nxt is not None:
                # An empty page still moves the cursor on.
                yield RawPage([], {"url": nxt, "skip": 0}, f"{where} (no datasets)")
            where, skip = nxt, 0

    def _learn(self, g: Any) -> None:
        info = _rdf.catalogue_info(g)
        self.meta.title = self.meta.title or info.get("title")
        self.meta.description = self.meta.description or info.get("description")
        self.meta.language = self.meta.language or info.get("language")


def _lang_code(value: str | None) -> str | None:
    """``es`` from ``es``, ``SPA`` or an EU language URI (``.../language/SPA``)."""
    if not value:
        return None
    code = value.rstrip("/").rsplit("/", 1)[-1].lower()
    return {"spa": "es", "eng": "en", "fra": "fr", "deu": "de", "ita": "it", "por": "pt",
            "nld": "nl", "swe": "sv"}.get(code, code[:2])
