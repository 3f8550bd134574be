"""A page of datasets encoded for storage: canonical JSON, content hash, compressed body,
run membership, publishers and URLs.

Encoding is pure CPU work with no database access, so it can run in a worker
process; :meth:`Store.write_pages` then writes one or several :class:`EncodedPage`
in one transaction. ``Store.save_page`` does both for one page.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from govlens.model import Dataset
from govlens.store import codec


@dataclass(slots=True)
class EncodedPage:
    """Rows ready to insert. ``members`` are in page order, first occurrence of an identifier wins."""

    #: hash -> (identifier, compressed body; None for a record already stored, see ``known``)
    records: dict[str, tuple[str, bytes | None]] = field(default_factory=dict)
    #: (identifier, record hash, publisher key, distributions, warnings), in page order
    members: list[tuple[str, str, str | None, int, int]] = field(default_factory=list)
    #: publisher key -> (name, uri, email, homepage)
    publishers: dict[str, tuple[str, str | None, str | None, str | None]] = field(default_factory=dict)
    #: url hash -> url
    urls: dict[str, str] = field(default_factory=dict)
    #: (record hash, distribution id, role, url hash)
    links: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: datasets given (including repeated identifiers), for sequence numbers
    size: int = 0


def encode_page(datasets: Iterable[Dataset], known: AbstractSet[bytes] = frozenset()) -> EncodedPage:
    page = EncodedPage()
    seen: set[str] = set()
    for ds in datasets:
        add(page, ds, seen, None, known)
    return page


def add(page: EncodedPage, ds: Dataset, seen: set[str], text: bytes | None = None,
        known: AbstractSet[bytes] = frozenset()) -> None:
    """Encode one dataset into ``page`` (used by workers that build pages record by record);
    ``text`` is its source text as UTF-8 when ``ds.source.text`` was left empty for it.
    A record whose digest is in ``known`` (stored by an earlier run) gets no body and no
    links: the writer finds it stored and writes neither."""
    page.size += 1
    if ds.identifier in seen:
        page.members.append(("", "", None, 0, 0))  # keeps sequence numbers aligned; skipped on write
        return
    seen.add(ds.identifier)
    canonical = codec.encode_record(ds, text)
    ds, canonical = codec.without_nul(ds, canonical)
    h = codec.record_hash(canonical)
    if h not in page.records:
        if known and bytes.fromhex(h) in known:
            page.records[h] = (ds.identifier, None)
        else:
            page.records[h] = (ds.identifier, codec.compress(canonical))
            for dist in ds.distributions:
                for role, group in (("access", dist.access_urls), ("download", dist.download_urls)):
                    for url in group:
                        uh = codec.url_hash(url)
                        page.urls[uh] = url
                        page.links.append((h, dist.id, role, uh))
    pub = ds.publisher
    if pub is not None:
        page.publishers[pub.key] = (pub.name, pub.uri, pub.email, pub.homepage)
    page.members.append((ds.identifier, h, pub.key if pub else None, len(ds.distributions), len(ds.warnings)))
