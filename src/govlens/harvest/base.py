"""What every harvester yields: pages of raw records with the cursor to resume after them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from govlens.errors import SourceRejected, SourceUnavailable
from govlens.harvest._http import DEADLINE, RetryPolicy
from govlens.model import Dataset, SourceKind, StageError
from govlens.normalise.guards import Limits
from govlens.store.pages import EncodedPage

#: A picklable function turning a page's raw records into datasets (run off the event loop).
Normaliser = Callable[[Sequence[Any], Limits], list[Dataset]]


@dataclass(slots=True)
class RawPage:
    """One unit of work and of commit.

    ``cursor`` is JSON-serialisable and, given back to :meth:`Harvester.pages`,
    resumes right after this page. ``label`` names the page in error messages.
    """

    records: Sequence[Any]
    cursor: dict[str, Any]
    label: str
    total: int | None = None
    #: The page already normalised and encoded for the store (``records`` is then empty).
    encoded: EncodedPage | None = None


@dataclass(slots=True)
class CatalogueMeta:
    """What a harvester learns about the catalogue itself (filled in as it goes)."""

    title: str | None = None
    description: str | None = None
    homepage: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Harvester(Protocol):
    kind: SourceKind
    source: str
    meta: CatalogueMeta
    #: Things worth reporting that did not stop the harvest (kept with the completed run).
    notes: list[StageError]

    def pages(self, cursor: Mapping[str, Any] | None) -> AsyncIterator[RawPage]:
        """Pages from the start, or right after ``cursor``."""
        ...

    def normaliser(self) -> Normaliser:
        """The function that normalises this source's raw records."""
        ...


def read_file(path: Path, max_bytes: int, *, source: str) -> bytes:
    """A local file's bytes, refusing files over ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceRejected("file too large", source=source, cause=f"{size} bytes, limit {max_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise SourceUnavailable("cannot read the file", source=source, cause=str(exc)) from exc


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Options:
    """Harvest settings the harvesters need (built from ``Settings`` by the pipeline)."""

    rows: int = 1000
    max_response_bytes: int = 512 * 1024 * 1024
    limits: Limits = field(default_factory=Limits)
    #: Datasets per committed page for sources that are not paged by the server.
    page_size: int = 500
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: Most pages followed in a paged RDF collection (a loop guard).
    max_pages: int = 100_000
    #: Catalogues of at least this many datasets are encoded in worker processes.
    pool_from: int = 10_000
    #: Most seconds one answer may take in all (``Settings.harvest_deadline``).
    deadline: float = DEADLINE
    #: SHA-256 digests of the records the catalogue's previous complete run stored: a page's
    #: record among them is already in the store, so it is not compressed again nor are its
    #: URLs hashed (the writer would drop them).
    known: frozenset[bytes] = frozenset()
