"""Sources: a URL or a local path, and the detection of its kind (CKAN, DCAT, data.json)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx
import ijson
import orjson

from govlens.errors import SourceError, UnknownSourceKind
from govlens.harvest._http import fetch
from govlens.harvest.base import Harvester, Options, is_url
from govlens.model import SOURCE_KINDS, SourceKind

RDF_EXTENSIONS = {".ttl", ".rdf", ".owl", ".nt", ".n3", ".jsonld", ".xml", ".trig", ".nq"}
RDF_MEDIA = ("text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples",
             "text/n3", "application/trig", "application/n-quads", "application/xml", "text/xml")


def sniff_json(head: bytes) -> SourceKind | None:
    """The kind of a JSON document from its top-level keys (or its first item's keys)."""
    import io

    top: list[str] = []
    first: set[str] = set()
    depth = 0
    array = False
    try:
        for event, value in ijson.basic_parse(io.BytesIO(head)):
            if event in ("start_map", "start_array"):
                if depth == 0 and event == "start_array":
                    array = True
                depth += 1
                if depth > 64:
                    return None
            elif event in ("end_map", "end_array"):
                depth -= 1
                if array and depth == 1:
                    break
            elif event == "map_key":
                if depth == 1:
                    top.append(value)
                    if value in ("success", "result"):
                        return "ckan"
                    if value == "@graph":
                        return "dcat"
                    if value == "dataset":
                        return "datajson"
                elif array and depth == 2:
                    first.add(value)
    except (ijson.IncompleteJSONError, UnicodeDecodeError):  # the head ends, or a string no encoding holds
        pass
    except ijson.JSONError:
        return None
    if array:
        if "@id" in first or ("@type" in first and not ("title" in first or "identifier" in first)):
            return "dcat"
        if "resources" in first:
            return "ckan"
        return "datajson" if first else None
    keys = set(top)
    if "resources" in keys and ("name" in keys or "notes" in keys):
        return "ckan"
    if "@context" in keys:
        return "dcat"
    if ("@id" in keys or "@type" in keys) and not keys & {"distribution", "identifier", "keyword"}:
        return "dcat"
    # A DCAT-US 3 record names its "@type" (often an "@id" too) but has no JSON-LD context,
    # so read as JSON-LD it holds nothing: it is a data.json record.
    if keys & {"distribution", "title", "identifier", "keyword"}:
        return "datajson"
    return None


def sniff_bytes(head: bytes, content_type: str | None = None, name: str = "") -> SourceKind | None:
    """The kind of a document from its media type, file extension, then its first bytes."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in RDF_MEDIA and ct != "application/ld+json" and ct not in ("application/xml", "text/xml"):
        return "dcat"
    suffix = Path(urlsplit(name).path).suffix.lower()
    if suffix in RDF_EXTENSIONS and suffix != ".jsonld":
        return "dcat"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        kind = sniff_json(stripped)
        if kind is None and (suffix == ".jsonld" or ct == "application/ld+json"):
            return "dcat"
        return kind
    if stripped[:1] == b"<":
        low = stripped[:4096].lower()
        if b"<rdf:rdf" in low or b"xmlns:rdf" in low or b"<rdf" in low:
            return "dcat"
        return None
    if stripped.startswith((b"@prefix", b"@base", b"PREFIX", b"prefix", b"BASE", b"<http")):
        return "dcat"
    return None


async def detect(source: str, client: httpx.AsyncClient, options: Options) -> SourceKind:
    """The kind of ``source``, or :class:`UnknownSourceKind` naming what was seen."""
    if not is_url(source):
        path = Path(source)
        if path.is_dir():
            return "ckan"
        if not path.is_file():
            raise UnknownSourceKind("no such file or directory", source=source)
        with open(path, "rb") as f:  # noqa: ASYNC230 - the first MiB of a local file, once
            head = f.read(1 << 20)
        kind = sniff_bytes(head, None, path.name)
        if kind is None:
            raise UnknownSourceKind("cannot tell whether this is CKAN, DCAT or data.json; use --kind",
                                    source=source)
        return kind
    url_path = urlsplit(source).path
    if "/api/3" in url_path or "/api/action" in url_path:
        return "ckan"
    try:
        got = await fetch(client, source, source=source, page="detection",
                          max_bytes=options.max_response_bytes, deadline=options.deadline)
    except SourceError:
        got = None
    if got is not None:
        kind = sniff_bytes(got.body[: 1 << 20], got.content_type, url_path)
        if kind is not None:
            return kind
    from govlens.harvest.ckan import split_api_url

    _root, api = split_api_url(source)
    try:
        status = await fetch(client, f"{api}/status_show", source=source, page="detection",
                             max_bytes=1 << 20, deadline=options.deadline)
        if orjson.loads(status.body).get("success"):
            return "ckan"
    except (SourceError, orjson.JSONDecodeError, AttributeError):
        pass
    seen = got.content_type if got is not None else "no answer"
    raise UnknownSourceKind("cannot tell whether this is CKAN, DCAT or data.json; use --kind",
                            source=source, cause=f"content type {seen}")


def make_harvester(source: str, kind: SourceKind, client: httpx.AsyncClient, options: Options) -> Harvester:
    if kind not in SOURCE_KINDS:
        raise UnknownSourceKind(f"unknown kind {kind!r}; use one of {', '.join(SOURCE_KINDS)}", source=source)
    if kind == "ckan":
        from govlens.harvest.ckan import CkanFileHarvester, CkanHarvester

        if is_url(source):
            return CkanHarvester(source, client, options)
        return CkanFileHarvester(source, options)
    if kind == "datajson":
        from govlens.harvest.datajson import DataJsonHarvester

        return DataJsonHarvester(source, client, options)
    from govlens.harvest.dcat import DcatHarvester

    return DcatHarvester(source, client, options)
