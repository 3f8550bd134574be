"""DCAT / DCAT-AP records to the model.

The input is a dataset's record: its subgraph as N-Triples (the dataset's
concise bounded description, with the publisher, contact point and
distributions it points to), exactly as stored in ``Dataset.source``. Parsing
that text again makes a normalised dataset reproducible from its provenance.

Language-tagged literals: the catalogue's language is preferred, then an
untagged literal, then Spanish, then English, then any.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS

from govlens.model import (
    ContactPoint,
    Dataset,
    Distribution,
    NormaliseWarning,
    Publisher,
    SourceRecord,
    Temporal,
)
from govlens.normalise import values as v
from govlens.normalise.guards import DEFAULT_LIMITS, Limits, cap, text_source

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SCHEMA = Namespace("http://schema.org/")
SCHEMA_S = Namespace("https://schema.org/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
W3CGEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

Node = Any


class _Reader:
    """Typed access to one record graph."""

    def __init__(self, g: Graph, language: str | None) -> None:
        self.g = g
        prefs = [language.lower()[:2]] if language else []
        self.prefs = [*prefs, "", "es", "en"]

    def objects(self, s: Node, p: URIRef) -> list[Node]:
        return sorted(self.g.objects(s, p), key=_sort_key)

    def literal(self, s: Node, *preds: URIRef) -> str | None:
        for p in preds:
            vals = [o for o in self.g.objects(s, p) if isinstance(o, Literal)]
            if vals:
                return v.text(str(self._best(vals)))
        return None

    def _best(self, vals: Sequence[Literal]) -> Literal:
        for lang in self.prefs:
            for o in sorted(vals, key=str):
                if (o.language or "").lower()[:2] == lang or (not lang and o.language is None):
                    return o
        return min(vals, key=lambda o: (o.language or "", str(o)))

    def value(self, s: Node, *preds: URIRef) -> str | None:
        """A URI, or a literal, or a node's URI/identifier/label."""
        for p in preds:
            for o in self.objects(s, p):
                got = self.node_text(o)
                if got:
                    return got
        return None

    def values(self, s: Node, *preds: URIRef) -> list[str]:
        out: list[str] = []
        for p in preds:
            out += [t for t in (self.node_text(o) for o in self.objects(s, p)) if t]
        return out

    def node_text(self, o: Node) -> str | None:
        if isinstance(o, URIRef):
            return str(o)
        if isinstance(o, Literal):
            return v.text(str(o))
        # A blank node: its value, identifier, label or name.
        for p in (RDF.value, DCTERMS.identifier, SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name):
            t = self.literal(o, p)
            if t:
                return t
        for p in (SKOS.exactMatch, RDFS.seeAlso, FOAF.page):
            for x in self.g.objects(o, p):
                if isinstance(x, URIRef):
                    return str(x)
        return None

    def date(self, s: Node, preds: Iterable[URIRef], path: str, w: list[NormaliseWarning]) -> str | None:
        for p in preds:
            for o in self.objects(s, p):
                if isinstance(o, Literal):
                    return v.date(str(o), path, w)
        return None


def _sort_key(o: Node) -> tuple[int, str]:
    return (0 if isinstance(o, URIRef) else 1 if isinstance(o, Literal) else 2, str(o))


def normalise(
    ntriples: str,
    subject: str,
    *,
    profile: str = "dcat-ap",
    language: str | None = None,
    url: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Dataset:
    """The dataset ``subject`` (a URI, or ``_:label`` for a blank node) of a record."""
    w: list[NormaliseWarning] = []
    v.dropped.values.clear()  # what the text readers met is looked at for JSON records only
    valid = v.unicode_text(ntriples)
    if valid is not ntriples:  # lone surrogates, from \uD800-style escapes in Turtle or N-Triples
        ntriples, subject = valid, v.unicode_text(subject)
        w.append(NormaliseWarning("text-invalid", "record", None,
                                  "lone UTF-16 surrogates, which are no characters, replaced by U+FFFD"))
    g = Graph()
    g.parse(data=ntriples, format="nt")
    s: Node = BNode(subject[2:]) if subject.startswith("_:") else URIRef(subject)
    r = _Reader(g, language)
    ident = r.literal(s, DCTERMS.identifier) or (subject if isinstance(s, URIRef) else None)
    if ident is None:
        ident = "sha1:" + hashlib.sha1(ntriples.encode(), usedforsecurity=False).hexdigest()
        w.append(NormaliseWarning("identifier-missing", "dct:identifier", None,
                                  "blank-node dataset without dct:identifier"))
    keywords = cap(r.values(s, DCAT.keyword), limits.max_keywords, "keywords-capped", "dcat:keyword", w)
    dist_nodes = cap(r.objects(s, DCAT.distribution), limits.max_distributions,
                     "distributions-capped", "dcat:distribution", w)
    licence = r.value(s, DCTERMS.license)
    dists = tuple(_distribution(r, d, i, licence, w) for i, d in enumerate(dist_nodes))
    text = text_source(ntriples, limits, w)
    return Dataset(
        identifier=ident,
        title=r.literal(s, DCTERMS.title),
        description=r.literal(s, DCTERMS.description),
        publisher=_publisher(r, s, w),
        contact_point=_contact(r, s, w),
        keywords=v.texts(keywords),
        themes=v.texts(r.values(s, DCAT.theme)),
        spatial=v.texts(_spatial(r, o) for o in r.objects(s, DCTERMS.spatial)),
        temporal=_temporal(r, s, w),
        licence=licence,
        access_rights=r.value(s, DCTERMS.accessRights),
        rights=r.value(s, DCTERMS.rights),
        issued=r.date(s, [DCTERMS.issued], "dct:issued", w),
        modified=r.date(s, [DCTERMS.modified], "dct:modified", w),
        accrual_periodicity=r.value(s, DCTERMS.accrualPeriodicity),
        landing_page=r.value(s, DCAT.landingPage),
        language=v.texts(r.values(s, DCTERMS.language)),
        conforms_to=v.texts(r.values(s, DCTERMS.conformsTo)),
        hvd_categories=v.texts(r.values(s, DCATAP.hvdCategory)),
        uri=subject if isinstance(s, URIRef) else None,
        distributions=dists,
        source=SourceRecord(kind="dcat", media_type="application/n-triples", text=text,
                            profile=profile, url=url),
        warnings=tuple(w),
    )


def _publisher(r: _Reader, s: Node, w: list[NormaliseWarning]) -> Publisher | None:
    for node in r.objects(s, DCTERMS.publisher):
        if isinstance(node, Literal):
            name = v.text(str(node))
            return Publisher(key=v.slug(name), name=name) if name else None
        name = r.literal(node, FOAF.name, SKOS.prefLabel, RDFS.label, VCARD.fn, DCTERMS.title)
        uri = str(node) if isinstance(node, URIRef) else None
        if not (name or uri):
            continue
        mbox = r.value(node, FOAF.mbox, VCARD.hasEmail)
        return Publisher(
            key=uri or v.slug(name or ""),
            name=name or uri or "",
            uri=uri,
            email=v.email(mbox, "dct:publisher/foaf:mbox", w) if mbox else None,
            homepage=r.value(node, FOAF.homepage),
        )
    return None


def _contact(r: _Reader, s: Node, w: list[NormaliseWarning]) -> ContactPoint | None:
    for node in r.objects(s, DCAT.contactPoint):
        if isinstance(node, Literal):
            return ContactPoint(name=v.text(str(node)))
        name = r.literal(node, VCARD.fn, VCARD["organization-name"], FOAF.name)
        mail = r.value(node, VCARD.hasEmail, FOAF.mbox)
        url = r.value(node, VCARD.hasURL, FOAF.homepage)
        if name or mail or url:
            return ContactPoint(name=name, email=v.email(mail, "dcat:contactPoint/vcard:hasEmail", w)
                                if mail else None, url=url)
        if isinstance(node, URIRef):
            return ContactPoint(url=str(node))
    return None


def _spatial(r: _Reader, o: Node) -> str | None:
    if isinstance(o, (URIRef, Literal)):
        return r.node_text(o)
    return r.node_text(o) or r.literal(o, LOCN.geometry, DCAT.bbox, DCAT.centroid)


def _temporal(r: _Reader, s: Node, w: list[NormaliseWarning]) -> Temporal | None:
    for node in r.objects(s, DCTERMS.temporal):
        start = r.date(node, [DCAT.startDate, SCHEMA.startDate, SCHEMA_S.startDate], "dct:temporal/start", w)
        end = r.date(node, [DCAT.endDate, SCHEMA.endDate, SCHEMA_S.endDate], "dct:temporal/end", w)
        if start or end:
            return Temporal(start, end)
        if isinstance(node, Literal):
            w.append(NormaliseWarning("temporal-unparsed", "dct:temporal", str(node)[:200], "a literal"))
            return Temporal(start=str(node))
    return None


def _distribution(r: _Reader, d: Node, i: int, licence: str | None, w: list[NormaliseWarning]) -> Distribution:
    p = f"dcat:distribution[{i}]"
    downloads = v.urls(r.values(d, DCAT.downloadURL), f"{p}/dcat:downloadURL", w)
    access = tuple(u for u in v.urls(r.values(d, DCAT.accessURL), f"{p}/dcat:accessURL", w)
                   if u not in downloads)
    fmt, mt_from_format, fmt_raw = v.file_format(r.value(d, DCTERMS.format), f"{p}/dct:format", w)
    mt_raw = r.value(d, DCAT.mediaType)
    mt = (v.media_type(mt_raw, f"{p}/dcat:mediaType", w) if mt_raw else None) or mt_from_format
    size_raw = r.literal(d, DCAT.byteSize)
    ident = r.literal(d, DCTERMS.identifier) or (str(d) if isinstance(d, URIRef) else str(i))
    return Distribution(
        id=ident,
        title=r.literal(d, DCTERMS.title),
        description=r.literal(d, DCTERMS.description),
        access_urls=access,
        download_urls=downloads,
        format=fmt,
        format_raw=fmt_raw,
        media_type=mt,
        licence=r.value(d, DCTERMS.license) or licence,
        rights=r.value(d, DCTERMS.rights),
        byte_size=v.size(_number(size_raw), f"{p}/dcat:byteSize", w) if size_raw else None,
        issued=r.date(d, [DCTERMS.issued], f"{p}/dct:issued", w),
        modified=r.date(d, [DCTERMS.modified], f"{p}/dct:modified", w),
        conforms_to=v.texts(r.values(d, DCTERMS.conformsTo)),
        kind=r.value(d, DCTERMS.type),
        language=v.texts(r.values(d, DCTERMS.language)),
    )


def _number(raw: str) -> str | int:
    """``"1234.0"`` (xsd:decimal) is 1234 bytes."""
    try:
        f = float(raw)
    except ValueError:
        return raw
    return int(f) if f.is_integer() and f >= 0 else raw
