"""Assessments stored and read back on SQLite and PostgreSQL: scores, measurements, rescoring, DQV."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from govlens.assess.assessment import DatasetAssessment, assess_dataset
from govlens.assess.metrics import Weights
from govlens.model import Catalogue, LinkState
from govlens.run.assess import assess_catalogues, assess_run, rescore_catalogues
from govlens.run.executors import make_executor
from govlens.run.quality import export_dqv, fix_lists, publisher_summaries, score_records
from govlens.store import Store
from govlens.store import measurements as ms
from quality_records import CSV_URL, full_dataset


def seed(store: Store, n: int = 6) -> None:
    cat = store.ensure_catalogue(Catalogue(name="mx", source="demo", kind="ckan"))
    opened = store.open_run(cat, "demo", "ckan")
    page = []
    for i in range(n):
        ds = full_dataset(identifier=f"ds-{i}", uri=f"https://datos.gob.mx/dataset/ds-{i}")
        if i % 2:
            publisher = ds.publisher
            assert publisher is not None
            ds = replace(ds, keywords=(), distributions=(replace(ds.distributions[0], licence=None),),
                         licence=None, publisher=replace(publisher, key="imss", name="IMSS"))
        page.append(ds)
    store.save_page(opened.run, page, {"page": 1}, 0)
    store.finish_run(opened.run)


def test_assess_store_rescore_and_read_back(store: Store) -> None:
    seed(store)
    run = store.latest_run("mx")
    links = {CSV_URL: LinkState(CSV_URL, "ok", 200)}
    info = assess_run(store, run, links=links)
    assert (info.datasets, info.distributions, info.links_checked) == (6, 6, 1)
    recs = list(score_records(store, "mx"))
    assert len(recs) == 6 and list(recs[0]) == [
        "catalogue", "dataset", "publisher", "mqa_score", "mqa_rating", "findability", "accessibility",
        "interoperability", "reusability", "contextuality", "dcat_ap_compliant", "udata_score", "stars"]
    expected = {d.identifier: assess_dataset(d, links=links, now=ms_now(store, run.id)).mqa.total
                for d in (sd.dataset for sd in store.iter_datasets(run.id))}
    assert {r["dataset"]: r["mqa_score"] for r in recs} == expected
    assert {r["publisher"] for r in recs} == {"Secretaría de Hacienda", "IMSS"}

    # Rescore with new weights: equals a fresh computation with those weights, no re-assessment.
    w = Weights().with_overrides({"keywordAvailability": [0, 0], "knownLicence": [50, 0]})
    before = ms.assessment(store, run.id).assessed_at
    rescore_catalogues(store, "mx", w)
    row = ms.assessment(store, run.id)
    assert row.assessed_at == before and row.rescored_at is not None and row.weights == w
    again = {r["dataset"]: r["mqa_score"] for r in score_records(store, "mx")}
    fresh = {d.identifier: assess_dataset(d, links=links, weights=w).mqa.total
             for d in (sd.dataset for sd in store.iter_datasets(run.id))}
    assert again == fresh
    points = {(m.dataset, m.seq, m.metric): m.points for m in ms.iter_measurements(store, run.id)}
    assert points[("ds-0", 1, "knownLicence")] == 50 and points[("ds-0", 0, "keywordAvailability")] == 0

    pubs = {p.publisher_key: p.summary for p in publisher_summaries(store, "mx")}
    assert pubs["shcp"].datasets == 3 and pubs["imss"].metric("keywordAvailability").share == 0
    fls = fix_lists(store, "mx")
    assert fls[0].publisher_key is None and fls[0].fixes
    imss = next(f for f in fls if f.publisher_key == "imss")
    assert imss.fixes[0].action == "add-licence"  # 20 + 50 points under the new weights

    buf = io.StringIO()
    assert export_dqv(store, buf, "mx") == 6
    g = Graph().parse(data=buf.getvalue(), format="turtle")
    metrics = set(g.objects(None, URIRef("http://www.w3.org/ns/dqv#isMeasurementOf")))
    assert URIRef("https://piveau.eu/ns/voc#keywordAvailability") in metrics
    assert URIRef("https://piveau.eu/ns/voc#score") in metrics
    assert URIRef("https://datos.gob.mx/dataset/ds-0") in set(g.subjects())
    # written a dataset per chunk, each dataset's measurements still go with it, once
    per_dataset = io.StringIO()
    assert export_dqv(store, per_dataset, "mx", chunk=1) == 6
    assert per_dataset.getvalue().count("@prefix dqv:") == 6
    assert isomorphic(Graph().parse(data=per_dataset.getvalue(), format="turtle"), g)


def ms_now(store: Store, run_id: int) -> datetime:
    from govlens.run.assess import _reference_time

    return _reference_time(store.run(run_id))


def test_a_failed_assessment_keeps_the_previous_one(store: Store) -> None:
    seed(store, 2)
    run = store.latest_run("mx")
    assess_run(store, run)

    def boom() -> Iterator[DatasetAssessment]:
        yield assess_dataset(full_dataset())
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        ms.save_assessment(store, run.id, boom(), weights=Weights())
    assert ms.assessment(store, run.id).datasets == 2
    assert len(list(ms.iter_scores(store, run.id))) == 2


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_executors_give_the_same_scores(sqlite_url: str, kind: str) -> None:
    with Store.open(sqlite_url) as store:
        seed(store, 8)
        assess_catalogues(store)
        serial = list(score_records(store))
        with make_executor(kind, 2) as ex:
            assess_catalogues(store, executor=ex)
        assert list(score_records(store)) == serial


def test_dask_executor_seam(sqlite_url: str) -> None:
    distributed = pytest.importorskip("distributed")
    with Store.open(sqlite_url) as store:
        seed(store, 8)
        assess_catalogues(store)
        serial = list(score_records(store))
        # An in-process cluster: the same Client.get_executor() seam, without worker processes to start.
        with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                                dashboard_address=None) as client:
            assess_catalogues(store, executor=client.get_executor())
        assert list(score_records(store)) == serial


def test_assess_reads_the_link_checkers_latest_states(db_url: str) -> None:
    """Checks stored by the link checker reach the MQA status metrics through ``govlens assess``."""
    import json
    from datetime import UTC, datetime

    from click.testing import CliRunner

    from govlens.cli import main
    from govlens.store import links as store_links
    from govlens.store.schema import urls

    with Store.open(db_url) as store:
        seed(store, 2)
        run = store.latest_run("mx")
        probe = store_links.open_probe(store, run.id)
        with store.engine.connect() as conn:
            ids = dict(conn.execute(urls.select().with_only_columns(urls.c.url, urls.c.id)).all())
        store_links.save_checks(store, [{
            "probe_run_id": probe.probe.id, "url_id": ids[CSV_URL], "checked_at": datetime.now(UTC),
            "outcome": "ok", "verdict": "ok", "status": 200, "final_url": CSV_URL,
        }])
        store_links.finish_probe(store, probe.probe.id, complete=True)
    res = CliRunner().invoke(main, ["assess", "--db", db_url, "--executor", "serial", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["catalogues"][0]["links_checked"] == 1
    res = CliRunner().invoke(main, ["scores", "--db", db_url])
    scores = [json.loads(line) for line in res.output.splitlines()]
    assert {s["accessibility"] for s in scores} == {20 + 30}  # download URL 2xx; access URL not checked
