"""The coverage matrix of the API and the web pages, and the coverage fixes, share one
classification of each complete run (``govlens.coverage.cache``); what can change after the
run (link checks, MQA scores, the time) is read on every request. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from govlens.config import Settings
from govlens.coverage import cache
from govlens.coverage.service import coverage
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.run.assess import assess_catalogues
from govlens.serve import create_app
from govlens.store import RunRow, Store
from govlens.store import links as stored_links
from govlens.store import measurements as stored_scores

CSV = Distribution("r1", download_urls=("http://example.org/budget.csv",), format="CSV")
HAC = Publisher("hacienda", "Ministerio de Hacienda")
ONC = Publisher("onc", "Oficina Nacional de Contrataciones")
SEED = (
    Dataset("budget", title="Presupuesto nacional 2020", licence="cc-by", distributions=(CSV,), publisher=HAC,
            modified="2021-03-01", accrual_periodicity="R/P1M"),
    Dataset("tenders", title="Licitaciones públicas 2020", licence="cc-by", distributions=(CSV,), publisher=ONC),
    Dataset("museum", title="Visitas al museo", publisher=Publisher("cultura", "Ministerio de Cultura")),
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def classified_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str | None]]:
    """The runs (and publisher) classified from their datasets, in order."""
    seen: list[tuple[int, str | None]] = []
    classify_run = cache.classify_run

    def counted(store: Store, run: RunRow, publisher: str | None = None) -> Any:
        seen.append((run.id, publisher))
        return classify_run(store, run, publisher)

    monkeypatch.setattr(cache, "classify_run", counted)
    return seen


def harvest(store: Store, datasets: Sequence[Dataset] = SEED) -> RunRow:
    cat = store.ensure_catalogue(Catalogue("gov", "file:///gov", "ckan"))
    run = store.open_run(cat, "file:///gov", "ckan").run
    store.save_page(run, list(datasets), cursor=None, first_seq=0)
    return store.finish_run(run)


def probe(store: Store, run: RunRow, outcome: str) -> None:
    """A complete probe of the run in which every URL had ``outcome``."""
    opened = stored_links.open_probe(store, run.id)
    stored_links.save_checks(store, [
        {"probe_run_id": opened.probe.id, "url_id": q.url_id, "checked_at": datetime.now(UTC),
         "outcome": outcome, "verdict": outcome, "status": 200 if outcome == "ok" else 404}
        for page in stored_links.pending(store, opened.probe.id) for q in page])
    stored_links.finish_probe(store, opened.probe.id, complete=True)


@pytest.mark.anyio
async def test_coverage_requests_classify_a_run_once_and_read_links_scores_and_time_each_time(
    store: Store, classified_runs: list[tuple[int, str | None]]
) -> None:
    run = harvest(store)
    app = create_app(Settings(db_url=store.engine.url.render_as_string(hide_password=False)), store=store)

    async def budgets(c: httpx.AsyncClient, **params: str) -> dict[str, Any]:
        got = await c.get("/api/catalogues/gov/coverage", params=params)
        assert got.status_code == 200, got.text
        return next(r for r in got.json() if r["category"] == "odc.budgets")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        first = await budgets(c)
        assert first["status"] == "present" and first["datasets"] == ["budget"]
        q = first["quality"]
        assert (q["open_data"], q["links_checked"], q["link_health"], q["mqa_scored"], q["mqa_band"]) == (
            1, 0, None, 0, None)
        es = await budgets(c, lang="es")
        assert es["label"] != first["label"] and {**es, "label": first["label"]} == first
        mine = await budgets(c, publisher="hacienda")
        assert mine["publisher"] == "hacienda" and mine["datasets"] == ["budget"]
        assert (await budgets(c, publisher="cultura"))["status"] == "missing"
        page = await c.get("/catalogues/gov/coverage", params={"publisher": "hacienda"})
        assert page.status_code == 200 and "budget" in page.text
        assert classified_runs == [(run.id, None)]  # once, for the whole run and every publisher

        probe(store, run, "broken")  # govlens probe after the first request
        q = (await budgets(c))["quality"]
        assert (q["links_checked"], q["links_ok"], q["link_health"]) == (1, 0, 0.0)
        assess_catalogues(store, shacl=False)  # and govlens assess
        score = next(s for s in stored_scores.iter_scores(store, run.id) if s.dataset == "budget")
        q = (await budgets(c, publisher="hacienda"))["quality"]
        assert (q["mqa_scored"], q["mqa_mean"], q["mqa_band"]) == (1, round(score.mqa, 1), score.rating)
        assert (q["links_checked"], q["links_ok"]) == (1, 0)
        fixes = (await c.get("/api/catalogues/gov/fixes", params={"kind": "coverage"})).json()
        assert ("publish-missing", "odc.lobbying-register") in {(f["action"], f["category"]) for f in fixes}
        assert classified_runs == [(run.id, None)]  # the fixes come from the same classification

        # freshness is worked out at the time asked: one month after the update, then two
        fresh = [next(x for x in coverage(store, catalogue="gov", now=now).government
                      if x.category == "odc.budgets").quality.fresh
                 for now in (datetime(2021, 3, 20, tzinfo=UTC), datetime(2021, 5, 20, tzinfo=UTC))]
        assert fresh == [1, 0]
        assert classified_runs == [(run.id, None)]

        contracts = Dataset("contracts", title="Registro de contratos públicos 2020", licence="cc-by",
                            distributions=(Distribution("r1", download_urls=("http://example.org/c.csv",),
                                                        format="CSV"),), publisher=ONC)
        newer = harvest(store, [*SEED, contracts])  # the next harvest
        row = next(r for r in (await c.get("/api/catalogues/gov/coverage")).json()
                   if r["category"] == "odc.contracts-register")
        assert row["status"] == "present" and row["datasets"] == ["contracts"]
        assert row["quality"]["links_checked"] == 0  # its new URL has never been checked
        q = (await budgets(c))["quality"]
        assert (q["links_checked"], q["mqa_scored"]) == (1, 0)  # the budget's URL was; the run is not assessed
        assert classified_runs == [(run.id, None), (newer.id, None)]


def test_one_institution_is_classified_alone_until_the_whole_run_is_asked_for(
    store: Store, classified_runs: list[tuple[int, str | None]]
) -> None:
    run = harvest(store)
    kept = cache.ClassificationCache()

    def ids(publisher: str | None = None) -> list[str]:
        return [c.facts.identifier for c in kept.classified(store, run, publisher)]

    assert ids("onc") == ids("onc") == ["tenders"]
    assert ids("cultura") == []  # classified, and in no category
    assert classified_runs == [(run.id, "onc"), (run.id, "cultura")]
    assert ids() == ["budget", "tenders"]
    assert ids("hacienda") == ["budget"] and ids("onc") == ["tenders"] and ids() == ["budget", "tenders"]
    assert classified_runs[2:] == [(run.id, None)]  # every publisher's from the whole run's


def test_a_run_that_finished_earlier_never_replaces_a_later_one(
    store: Store, classified_runs: list[tuple[int, str | None]]
) -> None:
    old = harvest(store)
    new = harvest(store, SEED[:2])
    kept = cache.ClassificationCache()
    assert [c.facts.identifier for c in kept.classified(store, new)] == ["budget", "tenders"]
    assert [c.facts.identifier for c in kept.classified(store, old)] == ["budget", "tenders"]
    assert [c.facts.identifier for c in kept.classified(store, new, "onc")] == ["tenders"]
    assert [c.facts.identifier for c in kept.classified(store, old)] == ["budget", "tenders"]
    assert classified_runs == [(new.id, None), (old.id, None), (old.id, None)]  # the earlier run is not kept
    running = store.open_run(store.ensure_catalogue(Catalogue("gov", "file:///gov", "ckan")), "file:///gov",
                             "ckan").run
    store.save_page(running, list(SEED), cursor=None, first_seq=0)
    assert len(kept.classified(store, running)) == len(kept.classified(store, running)) == 2
    assert classified_runs[3:] == [(running.id, None), (running.id, None)]  # not complete: never kept
    assert [c.facts.identifier for c in kept.classified(store, new)] == ["budget", "tenders"]
    assert len(classified_runs) == 5
