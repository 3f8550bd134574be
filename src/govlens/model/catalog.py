"""The catalogue model, shaped like DCAT-AP: Catalogue, Publisher, Dataset, Distribution.

Every class is a frozen, slotted dataclass holding only immutable values
(strings, numbers, tuples, other frozen dataclasses), so records can be hashed,
shared between threads and pickled to worker processes.

Field names follow the DCAT-AP property they carry (see the table in
``docs/model.md``). Dates are ISO 8601 strings at the precision the source
gave them ("2014", "2014-10", "2014-10-03", "2014-10-03T11:08:20").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["ckan", "dcat", "datajson"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("ckan", "dcat", "datajson")


@dataclass(frozen=True, slots=True)
class NormaliseWarning:
    """A value whose meaning was not certain, kept as found and flagged.

    ``code`` is a stable machine name (``size-unparsed``, ``date-unparsed``,
    ``tags-capped``...); ``path`` points into the source record
    (``resources[3].size``); ``value`` is the offending value as text.
    """

    code: str
    path: str
    value: str | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class Publisher:
    """dct:publisher. ``key`` is stable within a catalogue (CKAN organisation
    name, publisher URI, or a slug of the name)."""

    key: str
    name: str
    uri: str | None = None
    email: str | None = None
    homepage: str | None = None


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """dcat:contactPoint (a vCard reduced to what quality checks need)."""

    name: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Temporal:
    """dct:temporal as a period of time; either end may be open."""

    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class Distribution:
    """dcat:Distribution.

    ``format`` is the normalised token as declared (``CSV``, ``XLSX``, or an
    EU file-type URI); ``format_raw`` keeps what the source said.
    ``licence`` is the licence that applies to this distribution as the source
    declares it (a URI or a catalogue-specific id such as ``cc-by``).
    """

    id: str
    title: str | None = None
    description: str | None = None
    access_urls: tuple[str, ...] = ()
    download_urls: tuple[str, ...] = ()
    format: str | None = None
    format_raw: str | None = None
    media_type: str | None = None
    licence: str | None = None
    rights: str | None = None
    byte_size: int | None = None
    issued: str | None = None
    modified: str | None = None
    conforms_to: tuple[str, ...] = ()
    kind: str | None = None
    language: tuple[str, ...] = ()

    @property
    def urls(self) -> tuple[str, ...]:
        """Every distinct URL of this distribution, access URLs first."""
        seen: dict[str, None] = dict.fromkeys(self.access_urls)
        seen.update(dict.fromkeys(self.download_urls))
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """Provenance: the record exactly as the source gave it.

    ``media_type`` is ``application/json`` for CKAN and data.json records and
    ``application/n-triples`` for DCAT records (the dataset's subgraph).
    ``profile`` names the metadata profile detected (``ckan``,
    ``dcat-ap-2``, ``dcat-ap-3``, ``pod-1.1``, ``pod-1.0``, ``ar-datajson``,
    ``mx-adela``...).
    """

    kind: SourceKind
    media_type: str
    text: str
    profile: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Dataset:
    """dcat:Dataset, normalised from any source kind."""

    identifier: str
    title: str | None = None
    description: str | None = None
    publisher: Publisher | None = None
    contact_point: ContactPoint | None = None
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    spatial: tuple[str, ...] = ()
    temporal: Temporal | None = None
    licence: str | None = None
    access_rights: str | None = None
    rights: str | None = None
    issued: str | None = None
    modified: str | None = None
    accrual_periodicity: str | None = None
    landing_page: str | None = None
    language: tuple[str, ...] = ()
    conforms_to: tuple[str, ...] = ()
    hvd_categories: tuple[str, ...] = ()
    uri: str | None = None
    distributions: tuple[Distribution, ...] = ()
    source: SourceRecord | None = None
    warnings: tuple[NormaliseWarning, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Catalogue:
    """dcat:Catalog: one harvested source, named by the user (``--catalogue``)."""

    name: str
    source: str
    kind: SourceKind
    title: str | None = None
    description: str | None = None
    homepage: str | None = None
    language: tuple[str, ...] = ()
