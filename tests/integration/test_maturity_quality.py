"""Metadata quality from the assessment fills in q75 and feeds the MQA recommendations and
action targets (real assessment of stored runs, on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from govlens.model import GOVERNMENT, Catalogue, Dataset
from govlens.run.assess import assess_catalogues
from govlens.run.maturity import evaluate
from govlens.run.quality import publisher_summaries
from govlens.store import Store
from govlens.store.maturity import MaturityStore
from quality_records import full_dataset


def poor(ident: str) -> Dataset:
    """A dataset with almost no metadata: no licence, keywords, contact or format."""
    ds = full_dataset(identifier=ident, uri=f"https://datos.gob.mx/dataset/{ident}")
    publisher = ds.publisher
    assert publisher is not None
    dist = replace(ds.distributions[0], licence=None, format=None, format_raw=None, media_type=None,
                   byte_size=None, rights=None, issued=None, modified=None, download_urls=())
    return replace(ds, keywords=(), themes=(), spatial=(), temporal=None, licence=None, contact_point=None,
                   access_rights=None, issued=None, modified=None, distributions=(dist,),
                   publisher=replace(publisher, key="imss", name="IMSS"))


def seed(store: Store) -> None:
    cat = store.ensure_catalogue(Catalogue(name="mx", source="https://datos.gob.mx", kind="ckan"))
    opened = store.open_run(cat, "demo", "ckan")
    good = [full_dataset(identifier=f"ok-{i}", uri=f"https://datos.gob.mx/dataset/ok-{i}") for i in range(3)]
    store.save_page(opened.run, good + [poor("bad-0"), poor("bad-1")], {"page": 1}, 0)
    store.finish_run(opened.run)


def test_assessment_fills_in_quality_indicators(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda", ["shcp"])
    ms.add_institution("imss", "IMSS", ["imss"])
    seed(store)
    assert evaluate(store).measurements.get("mqa_mean", "shcp") is None  # harvested, not assessed
    assess_catalogues(store, shacl=False)
    summaries = {p.publisher_key: p.summary for p in publisher_summaries(store, "mx")}
    state = evaluate(store)
    m = state.measurements
    assert m.value("mqa_mean", "shcp") == pytest.approx(summaries["shcp"].mqa_mean)
    assert m.value("mqa_mean", "imss") == pytest.approx(summaries["imss"].mqa_mean)
    shcp_mean, imss_mean = summaries["shcp"].mqa_mean, summaries["imss"].mqa_mean
    assert shcp_mean is not None and imss_mean is not None
    assert m.value("metadata_completeness", "shcp") == pytest.approx(shcp_mean / 405)
    gov = (3 * shcp_mean + 2 * imss_mean) / 5
    assert m.value("mqa_mean", GOVERNMENT) == pytest.approx(gov)
    assert m.value("open_licence_share", "shcp") == 1.0 and m.value("open_licence_share", "imss") == 0.0
    assert m.value("open_licence_share", GOVERNMENT) == pytest.approx(3 / 5)
    licence_share = m.get("open_licence_share", GOVERNMENT)
    assert licence_share is not None and licence_share.source == "assess"
    assert m.value("machine_readable_share", "shcp") == 1.0
    assert m.value("mqa_bad_share", "imss") == 1.0 and m.value("mqa_bad_share", "shcp") == 0.0
    q75 = state.scores["imss"].items["q75"]
    assert q75.source == "measured"
    assert {x.indicator for x in q75.measured} >= {"open_licence_share", "metadata_completeness"}
    bad = [r for r in state.recommendations["imss"] if r.rule == "mqa-bad-band"]
    assert len(bad) == 1 and bad[0].current == pytest.approx(summaries["imss"].mqa_mean)
    assert not [r for r in state.recommendations["shcp"] if r.rule == "mqa-bad-band"]
