"""Safe RDF parsing and record extraction for the DCAT harvester.

* The format comes from the Content-Type, then the file extension, then the first bytes.
* RDF/XML with entity declarations is refused (entity expansion attacks), as
  defusedxml does; external entities are never resolved.
* JSON-LD contexts are never fetched from the network. A remote context whose
  file name exists next to a local source file is read from there (the SEMIC
  examples ship their ``context.jsonld`` that way); otherwise it is dropped,
  and terms it would have defined are not expanded.
* A dataset's record is its concise bounded description (blank nodes followed)
  plus the described nodes it points to as publisher, contact point,
  distribution or period, serialised as sorted N-Triples with blank nodes
  labelled by content, so the same record always has the same text and hash.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.plugins.serializers.nt import _quoteLiteral

# rdflib logs every odd literal or IRI it meets; harvested data has many. Keep quiet.
logging.getLogger("rdflib").setLevel(logging.ERROR)

from govlens.errors import SourceFormatError, SourceRejected

HYDRA = "http://www.w3.org/ns/hydra/core#"
_FOLLOW = {DCAT.distribution, DCTERMS.publisher, DCAT.contactPoint, DCTERMS.creator,
           DCTERMS.temporal, DCAT.accessService}
#: Most triples kept in one record (a guard against runaway descriptions).
MAX_RECORD_TRIPLES = 200_000

_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "text/n3": "n3",
    "application/rdf+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "application/ld+json": "json-ld", "application/json": "json-ld",
    "application/n-triples": "nt", "text/plain": None,
    "application/trig": "trig", "application/n-quads": "nquads",
}
_EXT = {".ttl": "turtle", ".n3": "n3", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
        ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".trig": "trig", ".nq": "nquads"}


def rdf_format(body: bytes, content_type: str | None, name: str) -> str:
    ct = (content_type or "").split(";")[0].strip().lower()
    fmt = _MEDIA.get(ct)
    if fmt:
        return fmt
    ext = Path(urlsplit(name).path).suffix.lower()
    if ext in _EXT:
        return _EXT[ext]
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]
    if head.startswith(b"<"):
        return "xml" if not head.startswith(b"<http") else "turtle"
    if head[:1] in (b"{", b"["):
        return "json-ld"
    return "turtle"


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse(body: bytes, fmt: str, *, base: str, source: str, page: str,
          local_dir: Path | None = None) -> Graph:
    """Parse ``body`` into a graph, translating every parser failure to SourceFormatError."""
    g = Graph()
    if fmt != "xml" and body.startswith(codecs.BOM_UTF8):
        # A UTF-8 byte-order mark (files saved on Windows): the Turtle and JSON parsers refuse
        # it, the XML parser reads past it, as the others do here.
        body = body[len(codecs.BOM_UTF8):]
    try:
        if fmt == "xml":
            if _ENTITY.search(body[:1 << 20]) or _ENTITY.search(body):
                raise SourceRejected("RDF/XML with entity declarations refused", source=source,
                                     page=page, cause="DTD entities can expand without bound")
            g.parse(data=body, format="xml", publicID=base)
        elif fmt == "json-ld":
            doc = orjson.loads(body)
            doc = _local_contexts(doc, local_dir)
            g.parse(data=orjson.dumps(doc).decode(), format="json-ld", publicID=base)
        else:
            g.parse(data=body.decode("utf-8"), format=fmt, publicID=base)
    except (SourceRejected, SourceFormatError):
        raise
    except orjson.JSONDecodeError as exc:
        raise SourceFormatError("invalid JSON-LD", source=source, page=page, cause=str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise SourceFormatError("RDF is not valid UTF-8", source=source, page=page, cause=str(exc)) from exc
    except RecursionError as exc:
        raise SourceFormatError("RDF nested too deeply", source=source, page=page, cause="recursion") from exc
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        what = _xml_kind(body) if fmt == "xml" else None
        raise SourceFormatError(what or f"invalid RDF ({fmt})", source=source, page=page,
                                cause=f"{type(exc).__name__}: {str(exc)[:300]}") from exc
    return g


_RDF_NS = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _xml_kind(body: bytes) -> str | None:
    """What an XML document that failed to parse as RDF/XML is, when its root says (an ISO
    19139 or FGDC record, a CSW answer): ``"XML, not RDF/XML (root element <gmd:MD_Metadata>)"``."""
    head = re.sub(rb"<[?!][^>]*>", b"", body[:1 << 16])  # the prolog, comments, a doctype
    m = _ROOT.search(head)
    if m is None:
        return None
    root = m.group(1).decode("ascii", "replace")
    if _RDF_NS not in body:
        return f"XML, not RDF/XML (root element <{root}>, no RDF namespace): not a DCAT-AP catalogue"
    if root.rsplit(":", 1)[-1] != "RDF":
        return f"invalid RDF/XML (root element <{root}>: RDF inside another document is not read)"
    return None


def _local_contexts(doc: Any, local_dir: Path | None) -> Any:
    """Replace remote ``@context`` references: by a sibling file of the same name, or by nothing."""
    def resolve(ctx: Any) -> Any:
        if isinstance(ctx, str):
            if ctx.startswith(("http://", "https://")):
                name = Path(urlsplit(ctx).path).name
                if local_dir is not None and name and (local_dir / name).is_file():
                    try:
                        loaded = orjson.loads((local_dir / name).read_bytes())
                    except (OSError, orjson.JSONDecodeError):
                        return {}
                    inner = loaded.get("@context", {}) if isinstance(loaded, dict) else {}
                    return resolve(inner)
                return {}
            return ctx
        if isinstance(ctx, list):
            return [resolve(c) for c in ctx]
        return ctx

    def walk(node: Any, depth: int = 0) -> Any:
        if depth > 200:
            raise SourceFormatError("JSON-LD nested too deeply", cause="over 200 levels")
        if isinstance(node, dict):
            return {k: (resolve(val) if k == "@context" else walk(val, depth + 1)) for k, val in node.items()}
        if isinstance(node, list):
            return [walk(x, depth + 1) for x in node]
        return node

    return walk(doc)


def datasets(g: Graph) -> list[Any]:
    """The dataset nodes of a graph (typed dcat:Dataset/DatasetSeries, or listed by a catalogue)."""
    nodes = set(g.subjects(RDF.type, DCAT.Dataset))
    nodes |= set(g.subjects(RDF.type, URIRef(str(DCAT) + "DatasetSeries")))
    for o in g.objects(None, DCAT.dataset):
        if isinstance(o, (URIRef, BNode)) and (o, None, None) in g:
            nodes.add(o)
    return sorted(nodes, key=lambda n: (isinstance(n, BNode), _dataset_key(g, n)))


def _dataset_key(g: Graph, n: Any) -> str:
    if isinstance(n, URIRef):
        return str(n)
    ident = g.value(n, DCTERMS.identifier)
    return str(ident) if ident is not None else _signature(g, n, {}, 0)


def next_page(g: Graph) -> str | None:
    """The next page of a hydra paged collection (old ``PagedCollection`` or ``PartialCollectionView``)."""
    for pred in ("next", "nextPage"):
        for o in g.objects(None, URIRef(HYDRA + pred)):
            if isinstance(o, (URIRef, Literal)) and str(o).strip():
                return str(o).strip()
    return None


def catalogue_info(g: Graph) -> dict[str, str]:
    out: dict[str, str] = {}
    for cat in g.subjects(RDF.type, DCAT.Catalog):
        for key, pred in (("title", DCTERMS.title), ("description", DCTERMS.description),
                          ("language", DCTERMS.language)):
            val = g.value(cat, pred)
            if val is not None and key not in out:
                out[key] = str(val)
        break
    return out


def record(g: Graph, s: Any) -> tuple[str, str]:
    """``(subject, ntriples)``: the record subgraph of dataset ``s``."""
    triples: list[tuple[Any, Any, Any]] = []
    seen = {s}
    queue = [s]
    while queue and len(triples) < MAX_RECORD_TRIPLES:
        node = queue.pop(0)
        for _, p, o in g.triples((node, None, None)):
            triples.append((node, p, o))
            if o in seen:
                continue
            if isinstance(o, BNode) or (isinstance(o, URIRef) and node == s and p in _FOLLOW
                                        and (o, None, None) in g):
                seen.add(o)
                queue.append(o)
    labels = _labels(g, {t[0] for t in triples if isinstance(t[0], BNode)}
                     | {t[2] for t in triples if isinstance(t[2], BNode)})
    lines = sorted({f"{_nt(a, labels)} {_nt(b, labels)} {_nt(c, labels)} .\n" for a, b, c in triples})
    subject = f"_:{labels[s]}" if isinstance(s, BNode) else str(s)
    return subject, "".join(lines)


def _labels(g: Graph, nodes: set[Any]) -> dict[Any, str]:
    memo: dict[Any, str] = {}
    out: dict[Any, str] = {}
    used: dict[str, int] = {}
    for n in sorted(nodes, key=lambda n: _signature(g, n, memo, 0)):
        sig = _signature(g, n, memo, 0)[:16]
        k = used.get(sig, 0)
        used[sig] = k + 1
        out[n] = f"b{sig}" + (f"x{k}" if k else "")
    return out


def _signature(g: Graph, n: Any, memo: dict[Any, str], depth: int) -> str:
    if n in memo:
        return memo[n]
    if depth > 20:
        return "deep"
    parts = []
    for _, p, o in g.triples((n, None, None)):
        ov = _signature(g, o, memo, depth + 1) if isinstance(o, BNode) else o.n3()
        parts.append(f"{p.n3()} {ov}")
    sig = hashlib.sha1("\n".join(sorted(parts)).encode("utf-8", "surrogatepass"),
                      usedforsecurity=False).hexdigest()
    memo[n] = sig
    return sig


def _nt(term: Any, labels: dict[Any, str]) -> str:
    if isinstance(term, BNode):
        return f"_:{labels[term]}"
    if isinstance(term, Literal):
        return _quoteLiteral(term)
    return f"<{_iri(str(term))}>"


def _iri(s: str) -> str:
    """An IRI safe inside ``<...>`` in N-Triples (spaces and the like are escaped)."""
    return "".join(c if c not in '<>"{}|^`\\ ' and ord(c) > 0x20 else f"\\u{ord(c):04X}" for c in s)


def iter_chunks(items: list[Any], start: int, size: int) -> Iterator[tuple[int, list[Any]]]:
    for i in range(start, len(items), size):
        yield i, items[i : i + size]
