"""Coverage from the store and the CLI, end to end, on SQLite and PostgreSQL; and a
coverage matrix for every shared catalogue."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from govlens.cli import main
from govlens.coverage.service import coverage
from govlens.model import Catalogue, Dataset, Distribution, LinkState, Publisher
from govlens.run.assess import assess_catalogues
from govlens.run.harvest import harvest
from govlens.store import Store
from govlens.store import links as stored_links
from govlens.store import measurements as stored_scores
from helpers import options, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from coverage_corpus import CKAN_DIR, DATAJSON_FILES, SINGLE_RECORDS

CSV = Distribution("r1", download_urls=("http://example.org/a.csv",), format="CSV")


def _seed(store: Store) -> None:
    cat = store.ensure_catalogue(Catalogue("gov", "file:///gov", "ckan"))
    run = store.open_run(cat, "file:///gov", "ckan").run
    store.save_page(
        run,
        [
            Dataset("budget", title="Presupuesto nacional 2020", licence="cc-by", distributions=(CSV,),
                    publisher=Publisher("hacienda", "Ministerio de Hacienda")),
            Dataset("tenders", title="Licitaciones públicas 2020", licence="cc-by", distributions=(CSV,),
                    publisher=Publisher("onc", "Oficina Nacional de Contrataciones")),
            Dataset("museum", title="Visitas al museo", publisher=Publisher("cultura", "Ministerio de Cultura")),
        ],
        cursor=None,
        first_seq=0,
    )
    store.finish_run(run)


def test_coverage_of_a_stored_catalogue(store: Store) -> None:
    _seed(store)
    cov = coverage(store, framework="odc")
    gov = {c.category: c for c in cov.government}
    assert gov["odc.budgets"].status == "present" and gov["odc.budgets"].datasets == ("budget",)
    assert gov["odc.lobbying-register"].status == "missing"
    (cat,) = cov.catalogues
    cells = {(c.publisher, c.category): c for c in cat.cells}
    assert cells[("onc", "odc.tenders-awards")].status == "present"
    assert cells[("hacienda", "odc.tenders-awards")].status == "missing"
    assert cells[("cultura", "odc.budgets")].status == "missing"
    assert len(cat.cells) == 3 * 30  # every publisher × every ODC dataset
    only = coverage(store, publisher="onc", framework="odc")
    assert {c.publisher for c in only.catalogues[0].cells} == {"onc"}


def test_link_health_is_read_from_the_link_checker_results(store: Store) -> None:
    _seed(store)
    (cov,) = coverage(store, framework="odc").catalogues
    budget = next(c for c in cov.cells if c.category == "odc.budgets" and c.publisher == "hacienda")
    assert budget.quality.links_checked == 0  # nothing checked yet
    opened = stored_links.open_probe(store, cov.run)
    rows = [
        {"probe_run_id": opened.probe.id, "url_id": q.url_id, "checked_at": datetime.now(UTC),
         "outcome": "broken", "verdict": "broken", "status": 404}
        for page in stored_links.pending(store, opened.probe.id)
        for q in page
    ]
    assert rows  # the seeded datasets' URLs are queued
    stored_links.save_checks(store, rows)
    stored_links.finish_probe(store, opened.probe.id, complete=True)
    (cov,) = coverage(store, framework="odc").catalogues
    budget = next(c for c in cov.cells if c.category == "odc.budgets" and c.publisher == "hacienda")
    assert (budget.quality.links_checked, budget.quality.links_ok) == (1, 0)
    # given link states replace the stored ones
    given = {u: LinkState(u, "ok") for u in CSV.urls}
    (cov,) = coverage(store, framework="odc", links=given).catalogues
    budget = next(c for c in cov.cells if c.category == "odc.budgets" and c.publisher == "hacienda")
    assert (budget.quality.links_checked, budget.quality.links_ok) == (1, 1)


def test_cli_coverage_jsonl(db_url: str) -> None:
    with Store.open(db_url) as store:
        _seed(store)
    res = CliRunner().invoke(main, ["coverage", "--db", db_url, "--format", "jsonl", "--framework", "odc"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(recs) == 30 + 3 * 30
    assert "gov: run 1 not assessed" in res.stderr  # MQA fields stay empty, and the user is told why
    first = recs[0]
    assert set(first) >= {"category", "label", "publisher", "status", "datasets", "confidence", "quality"}
    gov = {r["category"]: r for r in recs if r["publisher"] == "*"}
    assert gov["odc.budgets"]["status"] == "present" and gov["odc.budgets"]["quality"]["open_data"] == 1
    assert gov["odc.budgets"]["catalogue"] is None
    missing = CliRunner().invoke(main, ["coverage", "--db", db_url, "--missing", "--lang", "es", "--publisher", "onc",
                                        "--catalogue", "gov", "--format", "csv"])
    assert missing.exit_code == 0, missing.output
    lines = missing.stdout.splitlines()
    assert lines[0].startswith("catalogue,category,label") and all(",missing," in x for x in lines[1:])
    assert any("Presupuestos" in x for x in lines)


def test_mqa_band_and_mean_come_from_the_stored_assessment(store: Store) -> None:
    _seed(store)
    (before,) = coverage(store, framework="odc").catalogues
    assert before.mqa_source == "none"
    budget = next(c for c in before.cells if c.category == "odc.budgets" and c.publisher == "hacienda")
    assert (budget.quality.mqa_scored, budget.quality.mqa_mean, budget.quality.mqa_band) == (0, None, None)
    assess_catalogues(store, shacl=False)
    stored = {s.dataset: s for s in stored_scores.iter_scores(store, before.run)}
    cov = coverage(store, framework="odc")
    (after,) = cov.catalogues
    assert after.mqa_source == "assessment"
    budget = next(c for c in after.cells if c.category == "odc.budgets" and c.publisher == "hacienda")
    assert budget.quality.mqa_scored == 1
    assert budget.quality.mqa_mean == stored["budget"].mqa and budget.quality.mqa_band == stored["budget"].rating
    gov = {c.category: c for c in cov.government}
    assert gov["odc.tenders-awards"].quality.mqa_mean == stored["tenders"].mqa
    # scores given as input replace the stored ones
    (given,) = coverage(store, framework="odc", mqa={"budget": 400.0}).catalogues
    budget = next(c for c in given.cells if c.category == "odc.budgets" and c.publisher == "hacienda")
    assert given.mqa_source == "input" and budget.quality.mqa_band == "excellent"


def test_cli_coverage_unknown_catalogue_is_a_clear_error(sqlite_url: str) -> None:
    res = CliRunner().invoke(main, ["coverage", "--db", sqlite_url, "--catalogue", "nope"])
    assert res.exit_code == 2 and "govlens: error:" in res.output


SHARED = [
    CKAN_DIR,  # the datos.gob.ar folder of CKAN records
    *DATAJSON_FILES,
    *SINGLE_RECORDS,
    "dcat-ap-es/examples/ttl/1.0.0/E_DCAT-AP-ES_Catalog_HVD_full.ttl",
]


@pytest.mark.slow
def test_every_shared_catalogue_gets_a_coverage_matrix(tmp_path: Path, shared_data: Path) -> None:
    db = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    for rel in SHARED:
        info = harvest(settings(db), str(shared_data / rel), catalogue=rel, options=options())
        assert info.status == "complete", (rel, info.errors)
    with Store.open(db) as store:
        cov = coverage(store)
        assert {c.catalogue for c in cov.catalogues} == set(SHARED)
        n_categories = len(cov.taxonomy.categories)
        for cat in cov.catalogues:
            assert len(cat.cells) == n_categories * len(cat.publishers), cat.catalogue
        gov = {c.category: c for c in cov.government}
        assert len(gov) == n_categories
        # Real evidence from the real records: Argentina publishes asset declarations,
        # the Spanish HVD example declares its HVD categories.
        assert gov["odc.asset-declarations"].status == "present"
        hvd = coverage(store, catalogue=SHARED[-1], framework="hvd")
        declared = {c.category: c for c in hvd.government}
        assert declared["hvd.geospatial"].status == "present" and declared["hvd.geospatial"].confidence == 1.0


def test_cli_coverage_similar_is_asked_for_and_said_when_missing(sqlite_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from govlens.coverage import embed

    with Store.open(sqlite_url) as store:
        _seed(store)
    args = ["coverage", "--db", sqlite_url, "--format", "jsonl", "--framework", "odc"]

    def not_asked() -> None:
        raise AssertionError("the embedding signal was loaded without --similar")

    with monkeypatch.context() as m:
        m.setattr(embed, "default_signal", not_asked)
        plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0, plain.output  # the rules alone unless asked
    if embed.default_signal() is not None:
        asked = CliRunner().invoke(main, [*args, "--similar"])
        assert asked.exit_code == 0, asked.output
        assert len(asked.stdout.splitlines()) == len(plain.stdout.splitlines())
        learned = CliRunner().invoke(main, [*args, "--similar", "--learned"])
        assert learned.exit_code == 0, learned.output
        assert len(learned.stdout.splitlines()) == len(plain.stdout.splitlines())
    alone = CliRunner().invoke(main, [*args, "--learned"])
    assert alone.exit_code != 0 and "--similar" in alone.output
    monkeypatch.setattr(embed, "usem3_encoder", lambda: None)
    embed.default_signal.cache_clear()
    try:
        missing = CliRunner().invoke(main, [*args, "--similar"])
    finally:
        embed.default_signal.cache_clear()
    assert missing.exit_code != 0 and "embed extra" in missing.output
