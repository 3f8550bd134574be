"""Every file in ../shared/data that could be a catalogue harvests without crashing:
it is harvested, or it fails with a clear source error (vocabularies, schemas, CSW
answers and the deliberately broken examples are not catalogues)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import shared_data_dir
from govlens.run.harvest import harvest
from helpers import options, settings

FOLDERS = ["ar-pydatajson", "mx-adela", "us-agency-datajson", "us-ckanext-datajson", "us-datagov-harvester",
           "pod-schema", "ckanext-dcat", "fr-udata-harvest-tests", "dcat-ap-semic", "dcat-ap-es", "dcat-ap-ch"]
EXTENSIONS = ("json", "jsonld", "ttl", "rdf", "xml", "nt")
SOURCE_ERRORS = {"SourceFormatError", "SourceRejected", "UnknownSourceKind", "SourceUnavailable"}


def _files() -> list[str]:
    root = shared_data_dir()
    if root is None:
        return []
    found = [str(p.relative_to(root)) for d in FOLDERS for ext in EXTENSIONS
             for p in (root / d).rglob(f"*.{ext}")]
    return sorted(found) + ["ar-ckan-archivo/datos_argentina/metadata"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sweep') / 'sweep.sqlite'}"


@pytest.mark.slow
@pytest.mark.parametrize("relpath", _files())
def test_harvests_without_crashing(db: str, shared_data: Path, relpath: str) -> None:
    info = harvest(settings(db), str(shared_data / relpath), catalogue=relpath, options=options())
    if info.status == "complete":
        assert info.run > 0
        assert all(e.error == "NotFollowed" for e in info.errors)
    else:
        assert info.errors and info.errors[0].error in SOURCE_ERRORS, info.errors
        assert info.errors[0].message and info.errors[0].source


def test_the_known_catalogues_are_complete(tmp_path: Path, shared_data: Path) -> None:
    db = f"sqlite:///{tmp_path / 'k.sqlite'}"
    known = {
        "us-ckanext-datajson/ckanext/datajson/tests/datajson-samples/ny.data.json": "datajson",
        "us-datagov-harvester/example_data/dcatus/dcatus.json": "datajson",
        "us-datagov-harvester/example_data/dcatus/dcatus3_0.json": "datajson",
        "pod-schema/v1.1/examples/catalog-sample-extended.json": "datajson",
        "ar-pydatajson/samples/catalogo-series-tiempo.json": "datajson",
        "fr-udata-harvest-tests/udata/harvest/tests/dcat/udata.xml": "dcat",
        "fr-udata-harvest-tests/udata/harvest/tests/dcat/flat.jsonld": "dcat",
        "dcat-ap-ch/ckanext/dcatapchharvest/tests/fixtures/catalog.xml": "dcat",
        "dcat-ap-es/examples/ttl/1.0.0/E_DCAT-AP-ES_full.ttl": "dcat",
        "dcat-ap-semic/releases/3.0.0-hvd/html/examples/example-ms_dataset.ttl": "dcat",
    }
    for rel, kind in known.items():
        if not (shared_data / rel).exists():
            continue
        info = harvest(settings(db), str(shared_data / rel), catalogue=rel, options=options())
        assert (info.status, info.kind) == ("complete", kind), (rel, info.errors)
        assert info.datasets > 0, rel
