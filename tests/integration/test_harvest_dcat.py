"""DCAT-AP harvesting: ckanext-dcat, udata and SEMIC examples; hydra paging over loopback;
hostile and malformed RDF."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
import sqlalchemy as sa

from govlens.demo.server import CkanServer, Reply
from govlens.run.harvest import harvest
from govlens.store import Store
from govlens.store import schema as t
from helpers import options, settings

UDATA = "fr-udata-harvest-tests/udata/harvest/tests/dcat"
SEMIC = "dcat-ap-semic/releases/3.0.1/html/examples"


def _identifiers(db_url: str, run: int) -> set[str]:
    with Store.open(db_url) as store:
        return {sd.identifier for sd in store.iter_datasets(run)}


def test_ckanext_dcat_catalogue(db_url: str, shared_data: Path) -> None:
    path = shared_data / "ckanext-dcat/examples/dcat/catalog.rdf"
    info = harvest(settings(db_url), str(path), catalogue="c", options=options())
    assert info.status == "complete" and info.kind == "dcat"
    assert (info.datasets, info.distributions, info.publishers) == (2, 5, 2)
    with Store.open(db_url) as store:
        datasets = [sd.dataset for sd in store.iter_datasets(info.run)]
    for ds in datasets:
        assert ds.title and ds.source is not None
        assert ds.source.media_type == "application/n-triples"
        assert ds.uri is not None and f"<{ds.uri}>" in ds.source.text


def test_gob_es_turtle_record(sqlite_url: str, shared_data: Path) -> None:
    path = shared_data / "ckanext-dcat/examples/dcat/dataset_gob_es.ttl"
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "complete" and info.datasets == 1
    with Store.open(sqlite_url) as store:
        ds = next(store.iter_datasets(info.run)).dataset
    assert ds.publisher is not None and ds.keywords
    assert ds.distributions and ds.distributions[0].access_urls


@pytest.mark.parametrize("stem", ["example-bee-population", "example-bee-population-dataset-series",
                                  "example-bee-population-2022-2023"])
def test_semic_examples_same_from_turtle_and_json_ld(sqlite_url: str, shared_data: Path, stem: str) -> None:
    """The JSON-LD examples use a remote context; its copy next to the file is used."""
    ttl = harvest(settings(sqlite_url), str(shared_data / SEMIC / f"{stem}.ttl"), catalogue="ttl",
                  options=options())
    jsonld = harvest(settings(sqlite_url), str(shared_data / SEMIC / f"{stem}.jsonld"), catalogue="jsonld",
                     options=options())
    assert ttl.status == jsonld.status == "complete"
    assert ttl.datasets >= 1
    assert _identifiers(sqlite_url, ttl.run) == _identifiers(sqlite_url, jsonld.run)


def test_blank_node_datasets_are_stable_across_runs(db_url: str, shared_data: Path) -> None:
    path = shared_data / UDATA / "bnodes.xml"
    first = harvest(settings(db_url), str(path), catalogue="b", options=options())
    second = harvest(settings(db_url), str(path), catalogue="b", options=options())
    assert first.status == second.status == "complete" and first.datasets == second.datasets == 3
    with Store.open(db_url) as store, store.engine.connect() as conn:
        records = conn.execute(sa.select(sa.func.count()).select_from(t.records)).scalar_one()
    # Blank nodes are labelled by content, so the same records hash the same.
    assert records == 3
    assert second.withdrawn == 0


def _paged_server(shared_data: Path, stem: str) -> CkanServer:
    pages = {str(i): (shared_data / UDATA / f"{stem}-{i}.jsonld").read_text() for i in (1, 2)}
    holder: dict[str, str] = {}

    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path == "/catalog.jsonld":
            text = pages[q.get("page", "1")].replace("http://data.test.org/catalog", holder["base"] + "/catalog")
            return Reply(200, text.encode(), "application/ld+json")
        return None

    server = CkanServer(fault=fault)
    server.start()
    holder["base"] = server.url
    return server


@pytest.mark.parametrize("stem", ["paged-collection", "partial-collection"])
def test_hydra_paging_over_loopback(db_url: str, shared_data: Path, stem: str) -> None:
    server = _paged_server(shared_data, stem)
    try:
        info = harvest(settings(db_url), server.url + "/catalog.jsonld?page=1", catalogue="p",
                       options=options())
    finally:
        server.stop()
    assert info.status == "complete", info.errors
    assert info.datasets == 4
    assert _identifiers(db_url, info.run) == {"1", "2", "3", "4"}
    assert [r for r in server.requests if "catalog.jsonld" in r][-2:] == [
        "/catalog.jsonld?page=1", "/catalog.jsonld?page=2"]


def test_local_page_does_not_fetch_the_next_one(sqlite_url: str, shared_data: Path) -> None:
    info = harvest(settings(sqlite_url), str(shared_data / UDATA / "paged-collection-1.jsonld"),
                   options=options())
    assert info.status == "complete" and info.datasets == 3
    assert info.errors[0].error == "NotFollowed"
    assert info.errors[0].page == "http://data.test.org/catalog.jsonld?page=2"


def test_failed_page_resumes_at_that_page(sqlite_url: str, shared_data: Path) -> None:
    server = _paged_server(shared_data, "partial-collection")
    broken = {"on": True}
    inner = server.fault
    assert inner is not None

    def fault(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if broken["on"] and q.get("page") == "2":
            return Reply(503, b"down", "text/plain")
        return inner(path, q, n)

    server.fault = fault
    try:
        first = harvest(settings(sqlite_url), server.url + "/catalog.jsonld?page=1", options=options())
        broken["on"] = False
        second = harvest(settings(sqlite_url), server.url + "/catalog.jsonld?page=1", options=options())
    finally:
        server.stop()
    assert first.status == "failed" and first.datasets == 3
    assert "page=2" in str(first.errors[0].page)
    assert second.status == "complete" and second.resumed and second.datasets == 4


@pytest.mark.parametrize(
    ("body", "ctype", "error"),
    [
        (b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://x/d> a dcat:Dataset ;;; broken",
         "text/turtle", "SourceFormatError"),
        ((b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
         b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&lol2;</rdf:RDF>'),
         "application/rdf+xml", "SourceRejected"),
        (b'{"@context": {"dcat": "http://www.w3.org/ns/dcat#"}, "@graph": [', "application/ld+json",
         "SourceFormatError"),
        (b"<http://x/d> <http://x/p> .\n", "application/n-triples", "SourceFormatError"),
        (b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://x/c> a dcat:Catalog .\n", "text/turtle",
         "SourceFormatError"),
    ],
    ids=["turtle", "entity-bomb", "json-ld", "n-triples", "no-datasets"],
)
def test_hostile_and_malformed_rdf(sqlite_url: str, body: bytes, ctype: str, error: str) -> None:
    with CkanServer(files={"/catalog": Reply(200, body, ctype)}) as server:
        url = server.url + "/catalog"
        info = harvest(settings(sqlite_url), url, kind="dcat", options=options())
    assert info.status == "failed"
    assert info.errors[0].error == error
    assert info.errors[0].source == url


def test_format_from_content_type_and_n_triples(sqlite_url: str) -> None:
    nt = (b'<http://x/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
          b'<http://www.w3.org/ns/dcat#Dataset> .\n'
          b'<http://x/d1> <http://purl.org/dc/terms/title> "Presupuesto 2024"@es .\n'
          b'<http://x/d1> <http://purl.org/dc/terms/modified> "20141003T110820" .\n')
    with CkanServer(files={"/export": Reply(200, nt, "application/n-triples")}) as server:
        info = harvest(settings(sqlite_url), server.url + "/export", options=options())
    assert info.status == "complete" and info.kind == "dcat" and info.datasets == 1
    with Store.open(sqlite_url) as store:
        ds = next(store.iter_datasets(info.run)).dataset
    assert ds.title == "Presupuesto 2024" and ds.modified == "2014-10-03T11:08:20"
    assert [w.code for w in ds.warnings] == ["date-compact"]


@pytest.mark.parametrize("name, body", [
    ("bom.ttl", (b'@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n'
                b'<http://x.example/d1> a dcat:Dataset ; dct:title "Con BOM" .\n')),
    ("bom.jsonld", (b'{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},'
                   b' "@id": "http://x.example/d1", "@type": "dcat:Dataset", "dct:title": "Con BOM"}')),
    ("bom.nt", (b'<http://x.example/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
               b'<http://www.w3.org/ns/dcat#Dataset> .\n<http://x.example/d1> <http://purl.org/dc/terms/title> "Con BOM" .\n')),
])
def test_a_byte_order_mark_before_rdf_is_read_past(sqlite_url: str, tmp_path: Path, name: str, body: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + body)
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "complete" and info.datasets == 1, info.errors
    with Store.open(sqlite_url) as store:
        assert next(store.iter_datasets(info.run)).dataset.title == "Con BOM"


def test_lone_surrogate_escapes_in_turtle_are_replaced_and_flagged(db_url: str) -> None:
    # \uD800 escapes no character; rdflib reads it as a lone surrogate, which neither UTF-8 nor
    # the database can hold. A blank-node distribution makes the record's labelling see it too.
    body = (b'@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n'
            b'<http://x.example/d\\uD800> a dcat:Dataset ; dct:title "Gasto \\uD800p\\uD83D\\uDE00blico" ;\n'
            b'  dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <http://x.example/a\\uDC00.csv> ] .\n')
    with CkanServer(files={"/export": Reply(200, body, "text/turtle")}) as server:
        info = harvest(settings(db_url), server.url + "/export", options=options())
    assert info.status == "complete" and info.datasets == 1, info.errors
    with Store.open(db_url) as store:
        ds = next(store.iter_datasets(info.run)).dataset
    assert ds.identifier == "http://x.example/d\ufffd"
    assert ds.title == "Gasto \ufffdp\U0001F600blico"  # the pair is the character it encodes
    assert ds.distributions[0].download_urls == ("http://x.example/a\ufffd.csv",)
    assert [w.code for w in ds.warnings] == ["text-invalid"]


def test_lone_surrogate_escapes_in_json_ld_are_a_clear_error(sqlite_url: str) -> None:
    body = (b'{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},'
            b' "@id": "http://x.example/d1", "@type": "dcat:Dataset", "dct:title": "Gasto \\ud800"}')
    with CkanServer(files={"/export": Reply(200, body, "application/ld+json")}) as server:
        info = harvest(settings(sqlite_url), server.url + "/export", options=options())
    assert info.status == "failed" and info.datasets == 0
    [err] = info.errors
    assert err.error == "SourceFormatError" and "invalid JSON-LD" in err.message and "surrogate" in err.message


def test_response_size_limit(sqlite_url: str) -> None:
    body = b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n" + b"# padding\n" * 50_000
    with CkanServer(files={"/big.ttl": Reply(200, body, "text/turtle")}) as server:
        info = harvest(settings(sqlite_url), server.url + "/big.ttl", kind="dcat",
                       options=options(max_response_bytes=100_000))
    assert info.status == "failed" and info.errors[0].error == "SourceRejected"
    assert "too large" in info.errors[0].message


@pytest.mark.parametrize(("name", "message"), [
    # an FGDC record from a web-accessible folder (no RDF namespace at all)
    ("us-datagov-harvester/example_data/waf/USGSHydroCached.xml",
     "XML, not RDF/XML (root element <metadata>, no RDF namespace)"),
    # DCAT from GeoNetwork wrapped in a CSW answer
    ("fr-udata-harvest-tests/udata/harvest/tests/csw_dcat/geonetwork-dcat-page-1.xml",
     "invalid RDF/XML (root element <csw:GetRecordsResponse>: RDF inside another document is not read)"),
])
def test_xml_that_is_not_rdf_says_what_it_is(sqlite_url: str, shared_data: Path, name: str, message: str) -> None:
    path = shared_data / name
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "failed" and info.kind == "dcat"
    (err,) = info.errors
    assert err.error == "SourceFormatError" and err.message.startswith(message), err.message
