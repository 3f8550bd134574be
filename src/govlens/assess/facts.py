"""From a normalised dataset to the values of its MQA measurements (its *facts*).

The layout of the tuples is the order of
:data:`~govlens.assess.metrics.DATASET_METRICS` and
:data:`~govlens.assess.metrics.DISTRIBUTION_METRICS`. How each metric is
measured (quality-methods §1.2, with the issue's decisions):

* availability metrics: the property has at least one non-empty value;
* ``formatMediaTypeVocabularyAlignment``: the format resolves to an EU file type
  *and* the media type is an IANA media type (documented aliases allowed);
* non-proprietary / machine-readable: the media type's file type, else the
  format's, is in the EDP list; neither declared means false;
* ``knownLicence``: the licence is in the EU licence authority or the EDP
  licence vocabulary (by URI, identifier, ``skos:exactMatch`` URL or a
  documented alias); a distribution without a licence of its own inherits the
  dataset's for CKAN and data.json sources, whose licence is dataset-level;
* status metrics: the best link-check answer over the distribution's URLs
  (``None``, "not checked", when no URL was checked; see :func:`url_status`);
* ``formatMatch``/``syntaxValid``: from file inspection when given, else not measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from govlens.assess import vocab
from govlens.model import Dataset, Distribution, InspectionFact, LinkState

Facts = tuple[bool | int | None, ...]
NO_LINKS: Mapping[str, LinkState] = {}

#: Fictional status code piveau records for a connection error or timeout.
CONNECTION_FAILED = 1100


def url_status(url: str, links: Mapping[str, LinkState]) -> int | None:
    """The status code that stands for the latest check of ``url``; None when not checked.

    A URL whose check ended ``ok`` (2xx after following redirects) gives its 2xx
    code; one that failed gives its HTTP status, or 1100 (piveau's code for a
    connection failure) when there was no answer; ``unknown`` counts as not checked.
    """
    st = links.get(url)
    if st is None or st.outcome == "unknown":
        return None
    s = st.status
    if st.outcome == "ok":
        return s if s is not None and 200 <= s <= 299 else 200
    if s is not None and not 200 <= s <= 299:
        return s
    return CONNECTION_FAILED


def best_status(urls: Sequence[str], links: Mapping[str, LinkState]) -> int | None:
    """The best answer over several URLs (a 2xx if any), as piveau's max over measurements."""
    if not links:
        return None
    best = None
    for u in urls:
        code = url_status(u, links)
        if code is None:
            continue
        if 200 <= code <= 299:
            return code
        if best is None:
            best = code
    return best


def inherited_licence(ds: Dataset) -> str | None:
    """The licence a distribution without its own takes: the dataset's, except for DCAT sources."""
    if ds.source is not None and ds.source.kind == "dcat":
        return None
    return ds.licence


def format_code(dist: Distribution) -> str | None:
    """The EU file-type code of a distribution's declared format."""
    f = dist.format
    code = vocab.format_code(f) if f else None
    raw = dist.format_raw
    if code is None and raw and raw != f:
        code = vocab.format_code(raw)
    return code


def dataset_facts(ds: Dataset, compliance: bool | None) -> Facts:
    ar = ds.access_rights
    cp = ds.contact_point
    pub = ds.publisher
    t = ds.temporal
    return (
        bool(ds.keywords),
        bool(ds.themes),
        bool(ds.spatial),
        t is not None and bool(t.start or t.end),
        compliance,
        bool(ar),
        bool(ar) and vocab.access_right_code(ar) is not None,
        cp is not None and bool(cp.name or cp.email or cp.url),
        pub is not None and bool(pub.name or pub.uri),
        bool(ds.issued),
        bool(ds.modified),
    )


@lru_cache(maxsize=16384)
def format_facts(fmt: str | None, raw: str | None, mt: str | None) -> tuple[bool, bool, bool, bool, bool]:
    """``(format, media type, vocabulary alignment, non-proprietary, machine-readable)`` of declared values."""
    declared = fmt or raw
    has_format = bool(declared and declared.strip())
    has_media = bool(mt and mt.strip())
    fcode = vocab.format_code(fmt) if fmt else None
    if fcode is None and raw and raw != fmt:
        fcode = vocab.format_code(raw)
    mcode = vocab.media_code(mt) if has_media else None
    t = vocab.tables()
    return (
        has_format,
        has_media,
        fcode is not None and has_media and vocab.media_type_key(mt) is not None,
        mcode in t.non_proprietary or fcode in t.non_proprietary,
        mcode in t.machine_readable or fcode in t.machine_readable,
    )


@lru_cache(maxsize=16384)
def known_licence(value: str) -> bool:
    hit = vocab.licence(value)
    return hit is not None and hit.known


def distribution_facts(
    dist: Distribution,
    inherit: str | None,
    links: Mapping[str, LinkState] = NO_LINKS,
    files: Mapping[str, InspectionFact] | None = None,
) -> Facts:
    has_format, has_media, aligned, non_prop, machine = format_facts(dist.format, dist.format_raw,
                                                                     dist.media_type)
    lic = dist.licence or inherit
    match = syntax = None
    if files:
        for u in dist.urls:
            fc = files.get(u)
            if fc is not None:
                match = fc.format_match if match is None else match
                syntax = fc.valid if syntax is None else syntax
    downloads = dist.download_urls
    return (
        best_status(dist.access_urls, links) if links else None,
        bool(downloads),
        best_status(downloads, links) if downloads and links else None,
        has_format,
        has_media,
        aligned,
        non_prop,
        machine,
        match,
        syntax,
        bool(lic),
        bool(lic) and known_licence(lic),
        bool(dist.rights),
        dist.byte_size is not None,
        bool(dist.issued),
        bool(dist.modified),
    )
