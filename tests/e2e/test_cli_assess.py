"""The quality commands end to end on every real catalogue of the shared data folder.

Each catalogue is harvested from its file, assessed, and must give scores,
publisher aggregates and fix lists without error; the DQV export must parse.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from govlens.cli import main

SCORE_FIELDS = ["catalogue", "dataset", "publisher", "mqa_score", "mqa_rating", "findability", "accessibility",
                "interoperability", "reusability", "contextuality", "dcat_ap_compliant", "udata_score", "stars"]

#: (catalogue name, path under the shared data folder)
CATALOGUES = [
    ("ar", "ar-ckan-archivo/datos_argentina/metadata"),
    *[(f"us-{a}", f"us-agency-datajson/{a}.json")
      for a in ("cms", "consumerfinance", "dhs", "fcc", "fda", "gsa", "opm", "treasury")],
    ("ar-justicia", "ar-pydatajson/samples/catalogo-justicia.json"),
    ("ar-series", "ar-pydatajson/samples/catalogo-series-tiempo.json"),
    ("mx-inegi", "mx-adela/inegi.json"),
    ("pod-sample", "pod-schema/examples/catalog-sample.json"),
    ("datagov", "us-datagov-harvester/example_data/dcatus/dcatus.json"),
    ("datagov-3", "us-datagov-harvester/example_data/dcatus/dcatus3_0.json"),
    ("usda", "us-ckanext-datajson/ckanext/datajson/tests/datajson-samples/usda.gov.data.json"),
    ("ny", "us-ckanext-datajson/ckanext/datajson/tests/datajson-samples/ny.data.json"),
]


def run(args: list[str], db: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture(scope="module")
def assessed(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'govlens.sqlite'}"
    for name, rel in CATALOGUES:
        out = json.loads(run(["harvest", str(shared_data / rel), "--catalogue", name, "--json"], db))
        assert out["datasets"] > 0, name
    summary = json.loads(run(["assess", "--json", "--executor", "process", "--workers", "2"], db))
    assert {c["catalogue"] for c in summary["catalogues"]} == {n for n, _ in CATALOGUES}
    return db


@pytest.mark.slow
def test_every_catalogue_has_scores_publishers_and_fixes(assessed: str) -> None:
    scores = [json.loads(line) for line in run(["scores", "--format", "jsonl"], assessed).splitlines()]
    assert {s["catalogue"] for s in scores} == {n for n, _ in CATALOGUES}
    for s in scores:
        assert list(s) == SCORE_FIELDS
        assert s["mqa_rating"] in ("excellent", "good", "sufficient", "bad")
        assert -10 <= s["mqa_score"] <= 405 and 0 <= s["udata_score"] <= 1 and 0 <= s["stars"] <= 5
        assert s["dcat_ap_compliant"] in (True, False, None)
        assert s["accessibility"] <= 20  # no link checked: only downloadUrlAvailability can score
    pubs = [json.loads(line) for line in run(["publishers", "--format", "jsonl"], assessed).splitlines()]
    assert {p["catalogue"] for p in pubs} == {n for n, _ in CATALOGUES}
    for p in pubs:
        assert {"publisher", "datasets", "mqa_mean", "mqa_rating", "udata_mean"} <= set(p)
    by_cat: dict[str, list[float]] = {}
    for s in scores:
        by_cat.setdefault(s["catalogue"], []).append(s["mqa_score"])
    fixes = [json.loads(line) for line in run(["fixes", "--format", "jsonl"], assessed).splitlines()]
    whole = {f["catalogue"] for f in fixes if f["publisher"] is None}
    assert whole == {n for n, _ in CATALOGUES}
    for f in fixes:
        assert f["text_en"] and f["text_es"] and len(f["dataset_ids"]) == f["datasets"]
        if f["kind"] == "metadata":
            assert f["mean_gain"] > 0 and f["category"] is None
        else:  # a priority dataset to publish or to open: no MQA points to count
            assert f["kind"] == "coverage" and f["mean_gain"] is None and f["category"]
            assert f["action"] in ("publish-missing", "open-existing")
    assert {f["kind"] for f in fixes if f["catalogue"] == "ar" and f["publisher"] is None} == {"metadata", "coverage"}
    ar_first = next(f for f in fixes if f["catalogue"] == "ar" and f["publisher"] is None)
    assert ar_first["rank"] == 1 and ar_first["kind"] == "metadata"


def test_scores_csv_and_one_publisher(assessed: str) -> None:
    text = run(["scores", "--catalogue", "us-gsa", "--format", "csv"], assessed)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and list(rows[0]) == SCORE_FIELDS
    out = run(["fixes", "--catalogue", "ar", "--publisher", "aaip", "--format", "jsonl"], assessed)
    assert {json.loads(line)["publisher_key"] for line in out.splitlines()} == {"aaip"}


def test_rescore_with_weights_and_dqv_export(assessed: str, tmp_path: Path) -> None:
    before = {json.loads(line)["dataset"]: json.loads(line)["mqa_score"]
              for line in run(["scores", "--catalogue", "us-fcc"], assessed).splitlines()}
    weights = tmp_path / "w.toml"
    weights.write_text('keywordAvailability = { true = 0, false = 0 }\n')
    out = json.loads(run(["assess", "--catalogue", "us-fcc", "--rescore", "--weights", str(weights), "--json"],
                         assessed))
    assert out["catalogues"][0]["rescored"] is True
    after = {json.loads(line)["dataset"]: json.loads(line)["mqa_score"]
             for line in run(["scores", "--catalogue", "us-fcc"], assessed).splitlines()}
    assert all(after[d] in (before[d], before[d] - 30) for d in before) and after != before
    run(["assess", "--catalogue", "us-fcc", "--rescore"], assessed)  # default weights again
    ttl = tmp_path / "fcc.ttl"
    run(["export", "--format", "dqv", "--catalogue", "us-fcc", "--out", str(ttl)], assessed)
    g = Graph().parse(ttl, format="turtle")
    assert len(g) > 1000


def test_errors_are_clear(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = CliRunner().invoke(main, ["scores", "--catalogue", "nope", "--db", db])
    assert result.exit_code == 2 and "govlens: error: no such catalogue" in result.output
    bad = tmp_path / "w.json"
    bad.write_text('{"noSuchMetric": 3}')
    result = CliRunner().invoke(main, ["assess", "--weights", str(bad), "--db", db])
    assert result.exit_code == 2 and "unknown MQA metric" in result.output


SWEEP_FOLDERS = ["ar-pydatajson", "mx-adela", "us-agency-datajson", "us-ckanext-datajson", "us-datagov-harvester",
                 "pod-schema", "ckanext-dcat", "fr-udata-harvest-tests", "dcat-ap-semic", "dcat-ap-es",
                 "dcat-ap-ch"]


@pytest.mark.slow
def test_every_harvestable_shared_file_assesses_with_publishers_and_fixes(shared_data: Path, tmp_path: Path) -> None:
    """Every file of the shared folder that harvests as a catalogue (CKAN, data.json, DCAT) is assessed."""
    from govlens.config import Settings
    from govlens.run.harvest import harvest

    db = f"sqlite:///{tmp_path / 'sweep.sqlite'}"
    paths = sorted(p for d in SWEEP_FOLDERS for ext in ("json", "jsonld", "ttl", "rdf", "xml", "nt")
                   for p in (shared_data / d).rglob(f"*.{ext}"))
    paths.append(shared_data / "ar-ckan-archivo" / "datos_argentina" / "metadata")
    harvested: dict[str, str] = {}
    complete = set()
    for i, p in enumerate(paths):
        info = harvest(Settings(db_url=db), str(p), catalogue=f"c{i}")
        if info.status == "complete":
            complete.add(f"c{i}")
            if info.datasets:
                harvested[f"c{i}"] = info.kind
    assert {"ckan", "datajson", "dcat"} <= set(harvested.values())
    summary = json.loads(run(["assess", "--json", "--executor", "process", "--workers", "2"], db))
    assert {c["catalogue"] for c in summary["catalogues"]} == complete
    scores = [json.loads(line) for line in run(["scores"], db).splitlines()]
    assert {s["catalogue"] for s in scores} == set(harvested)
    dcat = {s["catalogue"] for s in scores if harvested[s["catalogue"]] == "dcat"}
    assert dcat and all(s["dcat_ap_compliant"] in (True, False, None) for s in scores)
    pubs = [json.loads(line) for line in run(["publishers"], db).splitlines()]
    assert {p["catalogue"] for p in pubs} == set(harvested)
    assert all(p["mqa_rating"] in ("excellent", "good", "sufficient", "bad") for p in pubs)
    fixes = [json.loads(line) for line in run(["fixes"], db).splitlines()]
    assert {f["catalogue"] for f in fixes if f["publisher"] is None} <= set(harvested)
    assert len({f["catalogue"] for f in fixes}) >= len(harvested) * 0.9
