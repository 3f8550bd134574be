"""The DCAT-AP rendering of a normalised dataset, as RDF triples (rdflib terms).

CKAN and data.json records have no DCAT-AP form of their own; govlens renders
the normalised record the way ckanext-dcat's ``euro_dcat_ap`` profile renders a
CKAN dataset, and validates that rendering against the DCAT-AP shapes (saying
so: ``Compliance.validated == "rendering"``). DCAT sources are validated as
harvested (their subgraph, kept in ``Dataset.source``).

Rules, so the rendering never invents quality the record lacks:

* a value that is an IRI stays an IRI; a value from a known vocabulary
  (file type, media type, licence, access right) becomes that vocabulary's IRI;
  anything else becomes a blank node of the range class with an ``rdfs:label``;
* dates keep their precision and get the matching XSD datatype (``2014`` is
  ``xsd:gYear``, ``2014-10`` ``xsd:gYearMonth``, ``2014-10-03`` ``xsd:date``,
  with a time ``xsd:dateTime``); a text that is no ISO date stays a plain literal;
* a URL without a scheme is kept as a literal (an IRI would hide the fault);
* the dataset's licence applies to its distributions without one (as
  ckanext-dcat does); missing mandatory values are simply absent.

Pure: rdflib terms only, no parsing, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from govlens.assess import vocab
from govlens.model import Dataset, Distribution

Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]

DCATAP = "http://data.europa.eu/r5r/"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_GYEAR = re.compile(r"^-?\d{4}$")
_GYEARMONTH = re.compile(r"^-?\d{4}-\d{2}$")
_DATE = re.compile(r"^-?\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_HVD = URIRef(DCATAP + "hvdCategory")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
_WEB_SCHEMES = frozenset({"http:", "https:", "ftp:", "ftps:", "mailto:", "urn:"})


def iri(value: str | None) -> URIRef | None:
    """``value`` as an IRI when it has a scheme (characters illegal in IRIs are percent-encoded).

    A text with spaces counts as an IRI only with a web scheme (``http:``, ``mailto:``...),
    so a label such as ``Note: see annex`` stays a label.
    """
    if not value:
        return None
    v = value.strip()
    m = _SCHEME.match(v)
    if m is None or (m.group(0).lower() not in _WEB_SCHEMES and any(c.isspace() for c in v)):
        return None
    if _BAD_IRI.search(v):
        v = _BAD_IRI.sub(lambda m: quote(m.group(0)), v)
    return URIRef(v)


def date_literal(value: str) -> Literal:
    """A date at the precision given, typed as DCAT-AP expects; plain literal when not ISO 8601."""
    v = value.strip()
    if _DATE.match(v):
        return Literal(v, datatype=XSD.date)
    if _DATETIME.match(v):
        return Literal(v, datatype=XSD.dateTime)
    if _GYEAR.match(v):
        return Literal(v, datatype=XSD.gYear)
    if _GYEARMONTH.match(v):
        return Literal(v, datatype=XSD.gYearMonth)
    return Literal(v)


def _labelled(out: list[Triple], cls: URIRef, label: str, prop: URIRef = RDFS.label) -> BNode:
    node = BNode()
    out.append((node, RDF.type, cls))
    out.append((node, prop, Literal(label)))
    return node


def _resource(out: list[Triple], value: str, cls: URIRef, known: str | None = None) -> URIRef | BNode:
    """A vocabulary IRI if known, the value itself if it is an IRI, else a labelled blank node."""
    if known:
        return URIRef(known)
    node = iri(value)
    return node if node is not None else _labelled(out, cls, value)


def _url(value: str) -> URIRef | Literal:
    node = iri(value)
    return node if node is not None else Literal(value)


def dataset_node(ds: Dataset) -> URIRef:
    node = iri(ds.uri)
    return node if node is not None else URIRef("urn:govlens:dataset:" + quote(ds.identifier, safe=""))


def render(ds: Dataset, version: int = 2) -> list[Triple]:
    """The DCAT-AP (2.x by default, or 3) triples of a normalised dataset."""
    out: list[Triple] = []
    add = out.append
    d = dataset_node(ds)
    add((d, RDF.type, DCAT.Dataset))
    add((d, DCTERMS.identifier, Literal(ds.identifier)))
    if ds.title:
        add((d, DCTERMS.title, Literal(ds.title)))
    if ds.description:
        add((d, DCTERMS.description, Literal(ds.description)))
    for kw in ds.keywords:
        add((d, DCAT.keyword, Literal(kw)))
    for theme in ds.themes:
        add((d, DCAT.theme, iri(theme) or _labelled(out, SKOS.Concept, theme, SKOS.prefLabel)))
    for place in ds.spatial:
        add((d, DCTERMS.spatial, iri(place) or _labelled(out, DCTERMS.Location, place, SKOS.prefLabel)))
    if ds.temporal is not None and (ds.temporal.start or ds.temporal.end):
        period = BNode()
        add((d, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        if ds.temporal.start:
            add((period, DCAT.startDate, date_literal(ds.temporal.start)))
        if ds.temporal.end:
            add((period, DCAT.endDate, date_literal(ds.temporal.end)))
    _publisher(out, d, ds)
    _contact(out, d, ds)
    if ds.access_rights:
        code = vocab.access_right_code(ds.access_rights)
        known = vocab.ACCESS_RIGHT_NS + code if code else None
        add((d, DCTERMS.accessRights, _resource(out, ds.access_rights, DCTERMS.RightsStatement, known)))
    if ds.issued:
        add((d, DCTERMS.issued, date_literal(ds.issued)))
    if ds.modified:
        add((d, DCTERMS.modified, date_literal(ds.modified)))
    if ds.accrual_periodicity:
        add((d, DCTERMS.accrualPeriodicity, _resource(out, ds.accrual_periodicity, DCTERMS.Frequency)))
    if ds.landing_page:
        add((d, DCAT.landingPage, _url(ds.landing_page)))
    for lang in ds.language:
        add((d, DCTERMS.language, _resource(out, lang, DCTERMS.LinguisticSystem)))
    for std in ds.conforms_to:
        add((d, DCTERMS.conformsTo, _resource(out, std, DCTERMS.Standard)))
    for cat in ds.hvd_categories:
        add((d, _HVD, _resource(out, cat, SKOS.Concept)))
    inherit = ds.licence if (ds.source is None or ds.source.kind != "dcat") else None
    for dist in ds.distributions:
        add((d, DCAT.distribution, _distribution(out, dist, inherit, version)))
    return out


def _agent(out: list[Triple], d: URIRef, link: URIRef, node: URIRef | BNode, cls: URIRef,
           name: tuple[URIRef, str | None], email: tuple[URIRef, str | None],
           page: tuple[URIRef, str | None]) -> None:
    """A publisher (foaf:Agent) or contact point (vcard:Kind) with its name, e-mail and web page."""
    out.append((d, link, node))
    out.append((node, RDF.type, cls))
    if name[1]:
        out.append((node, name[0], Literal(name[1])))
    if email[1]:
        out.append((node, email[0], _url(_mailto(email[1]))))
    if page[1]:
        out.append((node, page[0], _url(page[1])))


def _publisher(out: list[Triple], d: URIRef, ds: Dataset) -> None:
    pub = ds.publisher
    if pub is not None:
        _agent(out, d, DCTERMS.publisher, iri(pub.uri) or BNode(), FOAF.Agent, (FOAF.name, pub.name),
               (FOAF.mbox, pub.email), (FOAF.homepage, pub.homepage))


def _contact(out: list[Triple], d: URIRef, ds: Dataset) -> None:
    cp = ds.contact_point
    if cp is not None and (cp.name or cp.email or cp.url):
        _agent(out, d, DCAT.contactPoint, BNode(), VCARD.Kind, (VCARD.fn, cp.name), (VCARD.hasEmail, cp.email),
               (VCARD.hasURL, cp.url))


def _mailto(email: str) -> str:
    e = email.strip()
    return e if e.lower().startswith("mailto:") else "mailto:" + e


def _distribution(out: list[Triple], dist: Distribution, inherit: str | None, version: int) -> URIRef | BNode:
    add = out.append
    node: URIRef | BNode = iri(dist.id) or BNode()
    add((node, RDF.type, DCAT.Distribution))
    if dist.title:
        add((node, DCTERMS.title, Literal(dist.title)))
    if dist.description:
        add((node, DCTERMS.description, Literal(dist.description)))
    for u in dist.access_urls:
        add((node, DCAT.accessURL, _url(u)))
    for u in dist.download_urls:
        add((node, DCAT.downloadURL, _url(u)))
    declared = dist.format or dist.format_raw
    if declared:
        code = vocab.format_code(declared)
        known = vocab.FILE_TYPE_NS + code if code else None
        add((node, DCTERMS.format, _resource(out, declared, DCTERMS.MediaTypeOrExtent, known)))
    if dist.media_type:
        mt = vocab.media_type_key(dist.media_type)
        known = "https://www.iana.org/assignments/media-types/" + mt if mt else None
        add((node, DCAT.mediaType, _resource(out, dist.media_type, DCTERMS.MediaType, known)))
    lic = dist.licence or inherit
    if lic:
        hit = vocab.licence(lic)
        known = hit.iri if hit is not None and hit.iri else None
        add((node, DCTERMS.license, _resource(out, lic, DCTERMS.LicenseDocument, known)))
    if dist.rights:
        add((node, DCTERMS.rights, _labelled(out, DCTERMS.RightsStatement, dist.rights)))
    if dist.byte_size is not None:
        dtype = XSD.decimal if version < 3 else XSD.nonNegativeInteger
        add((node, DCAT.byteSize, Literal(str(dist.byte_size), datatype=dtype)))
    if dist.issued:
        add((node, DCTERMS.issued, date_literal(dist.issued)))
    if dist.modified:
        add((node, DCTERMS.modified, date_literal(dist.modified)))
    for std in dist.conforms_to:
        add((node, DCTERMS.conformsTo, _resource(out, std, DCTERMS.Standard)))
    for lang in dist.language:
        add((node, DCTERMS.language, _resource(out, lang, DCTERMS.LinguisticSystem)))
    return node


def to_graph(triples: list[Triple] | Iterator[Triple]) -> Graph:
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS)):
        g.bind(prefix, ns)
    for t in triples:
        g.add(t)
    return g
