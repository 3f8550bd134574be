"""Missing and closed priority datasets in the fix lists (`govlens fixes`), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import httpx
import pytest
from click.testing import CliRunner

from govlens.cli import main
from govlens.config import Settings
from govlens.coverage.classify import telling_publisher
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.run.assess import assess_catalogues
from govlens.run import quality
from govlens.run.quality import fix_lists
from govlens.serve import create_app
from govlens.store import Store

CSV = Distribution("r1", download_urls=("http://example.org/budget.csv",), format="CSV")
PDF = Distribution("r2", download_urls=("http://example.org/tenders.pdf",), format="PDF")
HAC = Publisher("hacienda", "Ministerio de Hacienda")
ONC = Publisher("onc", "Oficina Nacional de Contrataciones")
CUL = Publisher("cultura", "Ministerio de Cultura")
METADATA_FIELDS = ["catalogue", "publisher", "publisher_key", "rank", "action", "level", "datasets",
                   "distributions", "points_each", "points_max", "mean_gain", "total_gain", "group_datasets",
                   "text_en", "text_es", "dataset_ids"]


SEED = (
    Dataset("budget", title="Presupuesto nacional 2020", licence="cc-by", distributions=(CSV,), publisher=HAC),
    Dataset("tenders", title="Licitaciones públicas 2020", distributions=(PDF,), publisher=ONC),
    Dataset("museum", title="Visitas al museo", licence="cc-by", distributions=(CSV,), publisher=CUL),
)


def _seed(store: Store, datasets: Sequence[Dataset] = SEED) -> None:
    """One complete, assessed harvest of catalogue ``gov`` with ``datasets``."""
    cat = store.ensure_catalogue(Catalogue("gov", "file:///gov", "ckan"))
    run = store.open_run(cat, "file:///gov", "ckan").run
    store.save_page(run, list(datasets), cursor=None, first_seq=0)
    store.finish_run(run)
    assess_catalogues(store, shacl=False)


def test_fix_lists_carry_the_missing_priority_datasets_relevant_to_each_publisher(store: Store) -> None:
    _seed(store)
    lists = {fl.publisher_key: fl for fl in fix_lists(store, "gov")}
    assert set(lists) == {None, "hacienda", "onc", "cultura"}
    whole = {(f.kind, f.category) for f in lists[None].coverage}
    # the catalogue as a whole is asked for every priority dataset it lacks
    assert ("publish-missing", "odc.lobbying-register") in whole
    assert ("publish-missing", "odc.asset-declarations") in whole
    assert ("open-existing", "odc.tenders-awards") in whole  # only a PDF without a licence
    assert not any(c == "odc.budgets" for _, c in whole)  # present as open data
    # broader categories implied by a listed fix are not asked for twice
    assert ("open-existing", "g8.finance-contracts") not in whole
    assert lists[None].coverage[0].category.startswith("odc.")  # anti-corruption datasets first
    assert lists[None].fixes  # the metadata fixes are still there

    onc = {(f.kind, f.category): f for f in lists["onc"].coverage}
    assert telling_publisher(ONC.name) >= {"odc.contracts-register", "odc.tenders-awards"}
    assert onc[("open-existing", "odc.tenders-awards")].datasets == ("tenders",)
    assert ("publish-missing", "odc.contracts-register") in onc  # the procurement office keeps contracts
    assert ("publish-missing", "odc.budgets") not in onc  # not the procurement office's to publish
    assert all(c in telling_publisher(ONC.name) or k == "open-existing" for k, c in onc)

    hac = {(f.kind, f.category) for f in lists["hacienda"].coverage}
    assert ("publish-missing", "odc.spending") in hac and not any(c == "odc.budgets" for _, c in hac)
    assert lists["cultura"].coverage == ()  # a museum's ministry is asked for no priority dataset

    only = fix_lists(store, "gov", "onc")
    assert [fl.publisher_key for fl in only] == ["onc"] and only[0].coverage == lists["onc"].coverage


def test_cli_fixes_adds_coverage_records_and_keeps_the_metadata_fields(db_url: str) -> None:
    with Store.open(db_url) as store:
        _seed(store)
    res = CliRunner().invoke(main, ["fixes", "--db", db_url, "--catalogue", "gov", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    metadata = [r for r in recs if r["kind"] == "metadata"]
    cover = [r for r in recs if r["kind"] == "coverage"]
    assert metadata and cover and len(metadata) + len(cover) == len(recs)
    assert list(metadata[0])[: len(METADATA_FIELDS)] == METADATA_FIELDS and metadata[0]["category"] is None
    assert list(cover[0]) == list(metadata[0])
    lobbying = next(r for r in cover if r["publisher_key"] is None and r["category"] == "odc.lobbying-register")
    assert lobbying["action"] == "publish-missing" and lobbying["level"] == "category"
    assert "lobbying register" in lobbying["text_en"] and "licencia abierta" in lobbying["text_es"]
    assert lobbying["points_each"] is None and lobbying["dataset_ids"] == [] and lobbying["group_datasets"] == 3
    tenders = next(r for r in cover if r["publisher_key"] == "onc" and r["category"] == "odc.tenders-awards")
    assert tenders["action"] == "open-existing" and tenders["dataset_ids"] == ["tenders"] and tenders["datasets"] == 1
    ranks = [r["rank"] for r in cover if r["publisher_key"] == "onc"]
    assert ranks == list(range(1, len(ranks) + 1))

    res = CliRunner().invoke(main, ["fixes", "--db", db_url, "--publisher", "onc", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["kind"] for r in rows} == {"metadata", "coverage"} and {r["publisher_key"] for r in rows} == {"onc"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_api_coverage_fixes_are_classified_once_per_run_and_follow_a_new_harvest(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``/fixes`` works a run's coverage fixes out once per group (from the run's kept
    classification), not on each request; the next harvest (assessed) is answered from its own
    datasets, never from the kept fixes of the one before."""
    computed: list[str | None] = []
    classify = quality._coverage_fixes

    def counted(st: Store, run: object, publisher: str | None) -> object:
        computed.append(publisher)
        return classify(st, run, publisher)  # type: ignore[arg-type]

    monkeypatch.setattr(quality, "_coverage_fixes", counted)
    _seed(store)
    app = create_app(Settings(db_url=store.engine.url.render_as_string(hide_password=False)), store=store)

    async def fixes(**params: str) -> set[tuple[str, str]]:
        got = (await c.get("/api/catalogues/gov/fixes", params=params)).json()
        return {(f["action"], f["category"]) for f in got if f["kind"] == "coverage"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        whole = await fixes(kind="coverage")
        assert ("publish-missing", "odc.contracts-register") in whole
        assert await fixes(kind="all") == await fixes(kind="coverage", lang="es") == whole
        onc = await fixes(kind="coverage", publisher="onc")
        assert {("publish-missing", "odc.contracts-register"), ("open-existing", "odc.tenders-awards")} <= onc
        assert await fixes(publisher="onc") == onc
        assert computed == [None, "onc"]  # once per group for five requests

        contracts = Dataset("contracts", title="Registro de contratos públicos 2020", licence="cc-by",
                            distributions=(CSV,), publisher=ONC)
        _seed(store, [*SEED, contracts])  # the procurement office now publishes its contracts, open
        after = await fixes(kind="coverage")
        assert after == whole - {("publish-missing", "odc.contracts-register"),  # what the new dataset covers
                                 ("publish-missing", "odc.government-contractors"),
                                 ("open-existing", "odc.tenders-awards")}
        onc_after = await fixes(kind="all", publisher="onc")
        assert ("publish-missing", "odc.contracts-register") not in onc_after
        assert computed == [None, "onc", None, "onc"]
        assert fix_lists(store, "gov", "onc")[0].coverage  # the CLI's lists come from the same place
        assert computed == [None, "onc", None, "onc"]
