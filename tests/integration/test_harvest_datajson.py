"""data.json harvesting: US agency catalogues, Argentina's profile, Mexico's ADELA record,
from files and from a loopback URL; malformed documents."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from govlens.demo.server import CkanServer, Reply
from govlens.run.harvest import harvest
from govlens.store import Store
from helpers import options, settings

US = ["cms", "consumerfinance", "dhs", "fcc", "fda", "gsa", "opm", "treasury"]


@pytest.mark.parametrize("agency", US)
def test_us_agency_catalogues(sqlite_url: str, shared_data: Path, agency: str) -> None:
    path = shared_data / "us-agency-datajson" / f"{agency}.json"
    doc = orjson.loads(path.read_bytes())
    ids = {d["identifier"] for d in doc["dataset"]}
    info = harvest(settings(sqlite_url), str(path), options=options(page_size=100))
    assert info.status == "complete", info.errors
    assert info.kind == "datajson" and info.datasets == len(ids)
    if len(ids) == len(doc["dataset"]):
        # POD v1.0 put a lone distribution's accessURL on the dataset itself (opm.json does).
        assert info.distributions == sum(
            len(d.get("distribution") or []) or int(bool(d.get("accessURL") or d.get("downloadURL")))
            for d in doc["dataset"]
        )
    with Store.open(sqlite_url) as store:
        first = next(store.iter_datasets(info.run)).dataset
    assert first.source is not None and first.source.profile == "pod-1.1"
    assert first.publisher is not None and first.title


def test_argentine_profile(db_url: str, shared_data: Path) -> None:
    path = shared_data / "ar-pydatajson" / "samples" / "catalogo-justicia.json"
    info = harvest(settings(db_url), str(path), catalogue="justicia", options=options())
    assert info.status == "complete" and info.datasets == 18 and info.distributions == 71
    with Store.open(db_url) as store:
        assert store.catalogue("justicia").title == "Datos Justicia Argentina"
        ds = store.dataset(info.run, "d9a963ea-8b1d-4ca3-9dd9-07a4773e8c23").dataset
    assert ds.source is not None and ds.source.profile == "ar-datajson"
    assert ds.licence == "Open Data Commons Open Database License (ODbL)"
    assert "JUST" in ds.themes and "informacion-juridica" in ds.themes
    assert ds.contact_point is not None and ds.contact_point.email == "datosabiertos@saij.gob.ar"
    assert ds.accrual_periodicity == "R/P1M"
    d0 = ds.distributions[0]
    assert d0.format == "CSV" and d0.licence == ds.licence
    assert d0.download_urls[0].endswith("base-infoleg-normativa-nacional.csv")


def test_adela_record(db_url: str, shared_data: Path) -> None:
    path = shared_data / "mx-adela" / "inegi.json"
    info = harvest(settings(db_url), str(path), catalogue="xalapa", options=options())
    assert info.status == "complete" and (info.datasets, info.distributions) == (1, 72)
    with Store.open(db_url) as store:
        ds = store.dataset(info.run, "INEGI").dataset
    assert ds.source is not None and ds.source.profile == "mx-adela"
    assert ds.modified == "2014-10-03T11:08:20"
    assert ds.access_rights == "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
    assert ds.publisher is not None and ds.publisher.email == "atencion.usuarios@inegi.org.mx"
    d0 = ds.distributions[0]
    assert d0.byte_size == 590 * 1024 and d0.media_type == "text/csv" and d0.format is None
    assert d0.licence == "http://datos.gob.mx/libreusomx/"
    codes = {w.code for w in ds.warnings}
    assert {"date-compact", "size-free-text"} <= codes
    # "1,004 KB" is a thousands separator, not a decimal comma.
    sizes = {d.byte_size for d in ds.distributions}
    assert 1004 * 1024 in sizes


def test_pod_v1_0_array(sqlite_url: str, tmp_path: Path) -> None:
    doc = [
        {"title": "Budget", "identifier": "b1", "publisher": "Treasury", "keyword": "budget, spending",
         "accessURL": "http://example.gov/b1.csv", "format": "text/csv", "modified": "2013-05-01"},
        {"title": "Contracts", "identifier": "c1", "publisher": "GSA",
         "distribution": [{"accessURL": "http://example.gov/c1.json", "format": "application/json"}]},
    ]
    path = tmp_path / "data.json"
    path.write_bytes(orjson.dumps(doc))
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "complete" and info.datasets == 2 and info.publishers == 2
    with Store.open(sqlite_url) as store:
        b1 = store.dataset(info.run, "b1").dataset
    assert b1.source is not None and b1.source.profile == "pod-1.0"
    assert b1.keywords == ("budget", "spending")
    assert b1.distributions[0].media_type == "text/csv"


@pytest.mark.parametrize("doc", [{"dataset": [{"identifier": "d1", "title": "Con BOM"}]},
                                 [{"identifier": "d1", "title": "Con BOM"}],
                                 {"identifier": "d1", "title": "Con BOM"}])
def test_a_byte_order_mark_before_the_json_is_read_past(sqlite_url: str, tmp_path: Path, doc: object) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(doc))
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "complete" and info.datasets == 1, info.errors
    with Store.open(sqlite_url) as store:
        assert store.dataset(info.run, "d1").dataset.title == "Con BOM"


def test_nul_characters_are_replaced_and_flagged_on_every_database(db_url: str, tmp_path: Path) -> None:
    # JSON may escape a NUL (\u0000); PostgreSQL text cannot hold one, and a single NUL in an
    # identifier, a publisher or a URL made the whole page fail to store there.
    doc = {"dataset": [
        {"identifier": "a\u0000b", "title": "T\u0000x", "publisher": {"name": "Pub\u0000lisher"},
         "distribution": [{"downloadURL": "http://example.gov/\u0000.csv"}]},
        {"identifier": "b", "title": "clean"},
    ]}
    path = tmp_path / "data.json"
    path.write_bytes(orjson.dumps(doc))
    info = harvest(settings(db_url), str(path), options=options())
    assert info.status == "complete" and info.datasets == 2, info.errors
    with Store.open(db_url) as store:
        bad = store.dataset(info.run, "a\ufffdb").dataset
        clean = store.dataset(info.run, "b").dataset
    assert bad.title == "T\ufffdx" and bad.publisher is not None and bad.publisher.name == "Pub\ufffdlisher"
    assert bad.distributions[0].download_urls == ("http://example.gov/\ufffd.csv",)
    assert [w.code for w in bad.warnings] == ["text-invalid"]
    assert bad.source is not None and "\\u0000" in bad.source.text  # the source text as it came
    assert clean.warnings == ()


def test_datajson_from_a_loopback_url_in_small_pages(db_url: str, shared_data: Path) -> None:
    body = (shared_data / "us-agency-datajson" / "gsa.json").read_bytes()
    files = {"/data.json": Reply(200, body, "application/json")}
    with CkanServer(files=files) as server:
        info = harvest(settings(db_url), server.url + "/data.json", catalogue="gsa",
                       options=options(page_size=50))
    assert info.status == "complete" and info.kind == "datajson"
    assert info.datasets == len({d["identifier"] for d in orjson.loads(body)["dataset"]})
    with Store.open(db_url) as store:
        assert store.run(info.run).pages >= info.datasets // 50


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"dataset": [{"title": "a", "identifier": "1"}, {"title": ', "SourceFormatError"),
        (b"\xff\xfe not json at all", "UnknownSourceKind"),
        (b'"just a string"', "UnknownSourceKind"),
    ],
)
def test_malformed_documents_fail_clearly(sqlite_url: str, tmp_path: Path, body: bytes, error: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(body)
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "failed"
    assert info.errors[0].error == error
    assert info.errors[0].source == str(path)


def test_malformed_with_kind_forced(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b"\xff\xfe not json at all")
    info = harvest(settings(sqlite_url), str(path), kind="datajson", options=options())
    assert info.status == "failed" and info.errors[0].error == "SourceFormatError"


def _texts(db_url: str, run: int) -> dict[str, tuple[str | None, str | None, str | None]]:
    with Store.open(db_url) as store:
        return {sd.identifier: (sd.dataset.title, sd.dataset.description,
                                sd.dataset.publisher.name if sd.dataset.publisher else None)
                for sd in store.iter_datasets(run)}


def test_a_windows_1252_catalogue_is_read_as_its_text_and_the_guess_reported(
        sqlite_url: str, shared_data: Path, tmp_path: Path) -> None:
    text = (shared_data / "ar-pydatajson" / "samples" / "catalogo-justicia.json").read_text("utf-8")
    (tmp_path / "utf8.json").write_text(text, "utf-8")
    (tmp_path / "cp1252.json").write_bytes(text.encode("cp1252"))  # as a spreadsheet export saves it
    ref = harvest(settings(sqlite_url), str(tmp_path / "utf8.json"), catalogue="utf8", options=options())
    got = harvest(settings(sqlite_url), str(tmp_path / "cp1252.json"), catalogue="cp1252", options=options())
    assert ref.status == got.status == "complete" and ref.errors == ()
    assert (got.datasets, got.distributions, got.warnings) == (ref.datasets, ref.distributions, ref.warnings)
    (note,) = got.errors
    assert note.error == "EncodingGuessed" and "Windows-1252" in note.message
    assert note.source == str(tmp_path / "cp1252.json")
    assert _texts(sqlite_url, got.run) == _texts(sqlite_url, ref.run)
    assert any("ó" in (t or "") for t, _, _ in _texts(sqlite_url, got.run).values())


def test_a_charset_declared_by_the_server_is_read_without_a_guess(db_url: str, shared_data: Path) -> None:
    text = (shared_data / "ar-pydatajson" / "samples" / "catalogo-justicia.json").read_text("utf-8")
    files = {"/utf8.json": Reply(200, text.encode("utf-8"), "application/json"),
             "/latin1.json": Reply(200, text.encode("latin-1", "replace"), "application/json; charset=ISO-8859-1")}
    with CkanServer(files=files) as server:
        ref = harvest(settings(db_url), server.url + "/utf8.json", catalogue="utf8", options=options())
        got = harvest(settings(db_url), server.url + "/latin1.json", catalogue="latin1", options=options())
    assert ref.status == got.status == "complete" and got.errors == ()
    expected = {k: tuple(None if x is None else x.encode("latin-1", "replace").decode("latin-1") for x in v)
                for k, v in _texts(db_url, ref.run).items()}
    assert _texts(db_url, got.run) == expected


@pytest.mark.parametrize("name", ["schemas/dcatus3.0/examples/Dataset/good/complete_example.json",
                                  "tests/distribution-examples/dol-example.json"])
def test_a_dcat_us_3_record_is_detected_as_data_json(sqlite_url: str, shared_data: Path, name: str) -> None:
    # "@type" (and "@id") without a JSON-LD context: read as JSON-LD it held nothing and failed.
    path = shared_data / "us-datagov-harvester" / name
    doc = orjson.loads(path.read_bytes())
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "complete" and info.kind == "datajson" and info.datasets == 1, info.errors
    with Store.open(sqlite_url) as store:
        (sd,) = store.iter_datasets(info.run)
    # DCAT-US 3 may give an Identifier object: the record's "@id" then names it.
    expected = doc["identifier"] if isinstance(doc["identifier"], str) else doc["@id"]
    assert sd.identifier == expected and sd.dataset.title == doc["title"]
    assert len(sd.dataset.distributions) == len(doc["distribution"])
