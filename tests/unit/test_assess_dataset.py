"""From normalised datasets to measurements: each metric measured true and false on real-shaped records."""

from __future__ import annotations

from dataclasses import replace

import pytest

from govlens.assess.assessment import assess_dataset, facts_from_measurements, measurements, rescore
from govlens.assess.metrics import DI_INDEX, DS_INDEX, Weights
from govlens.model import Dataset, LinkState, SourceRecord
from quality_records import CSV_URL, NOW, OK_LINKS, PAGE_URL, full_dataset


def test_a_complete_record_with_working_links_scores_405() -> None:
    a = assess_dataset(full_dataset(), links=OK_LINKS, now=NOW)
    assert a.compliance is not None and a.compliance.conforms, a.compliance
    assert a.compliance.validated == "rendering" and a.compliance.shapes == "DCAT-AP 2.1.1"
    assert a.mqa.total == 405 and a.mqa.rating == "excellent"
    assert a.stars == 3 and a.udata == 1.0


def test_links_not_checked_score_zero_and_show_as_not_checked() -> None:
    a = assess_dataset(full_dataset(), now=NOW)
    assert a.mqa.accessibility == 20 and a.mqa.total == 325  # 405 - 50 - 30 (spec §8.3)
    f = a.dist_facts[0]
    assert f[DI_INDEX["accessUrlStatusCode"]] is None and f[DI_INDEX["downloadUrlStatusCode"]] is None


def test_broken_link_scores_zero_with_its_status_and_zero_stars() -> None:
    links = {CSV_URL: LinkState(CSV_URL, "broken", 404), PAGE_URL: LinkState(PAGE_URL, "failing", None)}
    a = assess_dataset(full_dataset(), links=links, now=NOW)
    f = a.dist_facts[0]
    assert f[DI_INDEX["downloadUrlStatusCode"]] == 404
    assert f[DI_INDEX["accessUrlStatusCode"]] == 1100  # no answer: piveau's connection-failure code
    assert a.mqa.accessibility == 20 and a.stars == 0
    assert a.udata_criteria[7] is False  # all_resources_available


def _ds_fact(a: object, name: str) -> object:
    return a.ds_facts[DS_INDEX[name]]  # type: ignore[attr-defined]


def _di_fact(a: object, name: str) -> object:
    return a.dist_facts[0][DI_INDEX[name]]  # type: ignore[attr-defined]


DATASET_CASES = [
    ("keywordAvailability", {"keywords": ()}),
    ("categoryAvailability", {"themes": ()}),
    ("spatialAvailability", {"spatial": ()}),
    ("temporalAvailability", {"temporal": None}),
    ("accessRightsAvailability", {"access_rights": None}),
    ("accessRightsVocabularyAlignment", {"access_rights": "ask the ministry"}),
    ("contactPointAvailability", {"contact_point": None}),
    ("publisherAvailability", {"publisher": None}),
    ("dateIssuedAvailability", {"issued": None}),
    ("dateModifiedAvailability", {"modified": None}),
    ("dcatApCompliance", {"description": None}),
]


@pytest.mark.parametrize(("metric", "change"), DATASET_CASES, ids=[c[0] for c in DATASET_CASES])
def test_each_dataset_metric_measured_true_and_false(metric: str, change: dict[str, object]) -> None:
    assert _ds_fact(assess_dataset(full_dataset(), now=NOW), metric) is True
    assert _ds_fact(assess_dataset(full_dataset(**change), now=NOW), metric) is False


def dist_with(**changes: object) -> Dataset:
    ds = full_dataset()
    return replace(ds, distributions=(replace(ds.distributions[0], **changes),))  # type: ignore[arg-type]


DIST_CASES = [
    ("downloadUrlAvailability", {"download_urls": ()}),
    ("formatAvailability", {"format": None, "format_raw": None}),
    ("mediaTypeAvailability", {"media_type": None}),
    ("formatMediaTypeVocabularyAlignment", {"format": "Hoja de datos", "format_raw": "Hoja de datos"}),
    ("formatMediaTypeVocabularyAlignment", {"media_type": "notareal/type"}),
    ("formatMediaTypeNonProprietary", {"format": "XLSX", "format_raw": "xlsx",
                                       "media_type": "application/vnd.ms-excel"}),
    ("formatMediaTypeMachineInterpretable", {"format": "PDF", "format_raw": "pdf", "media_type": "application/pdf"}),
    ("licenceAvailability", {"licence": None}),
    ("knownLicence", {"licence": "Licencia propia del municipio"}),
    ("rightsAvailability", {"rights": None}),
    ("byteSizeAvailability", {"byte_size": None}),
    ("dateIssuedAvailability", {"issued": None}),
    ("dateModifiedAvailability", {"modified": None}),
]


@pytest.mark.parametrize(("metric", "change"), DIST_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(DIST_CASES)])
def test_each_distribution_metric_measured_true_and_false(metric: str, change: dict[str, object]) -> None:
    base = full_dataset()
    if metric == "licenceAvailability":
        base = replace(base, licence=None)
    assert _di_fact(assess_dataset(base, now=NOW), metric) is True
    changed = dist_with(**change)
    if metric in ("licenceAvailability", "knownLicence"):
        changed = replace(changed, licence=None)
    assert _di_fact(assess_dataset(changed, now=NOW), metric) is False


@pytest.mark.parametrize("fmt", ["CSV", "csv", ".csv", "text/csv",
                                 "http://publications.europa.eu/resource/authority/file-type/CSV"])
def test_catalogue_spellings_of_csv_are_aligned_non_proprietary_and_machine_readable(fmt: str) -> None:
    a = assess_dataset(dist_with(format=fmt, format_raw=fmt), now=NOW, shacl=False)
    for m in ("formatMediaTypeVocabularyAlignment", "formatMediaTypeNonProprietary",
              "formatMediaTypeMachineInterpretable"):
        assert _di_fact(a, m) is True, (fmt, m)


def test_dataset_licence_applies_to_distributions_of_ckan_records_not_dcat_ones() -> None:
    ckan = assess_dataset(replace(dist_with(licence=None), licence="cc-by"), now=NOW, shacl=False)
    assert _di_fact(ckan, "licenceAvailability") is True and _di_fact(ckan, "knownLicence") is True
    dcat_src = SourceRecord(kind="dcat", media_type="application/n-triples", text="")
    dcat = assess_dataset(replace(dist_with(licence=None), licence="cc-by", source=dcat_src), now=NOW, shacl=False)
    assert _di_fact(dcat, "licenceAvailability") is False


def test_measurements_round_trip_and_rescore_with_new_weights() -> None:
    a = assess_dataset(full_dataset(), links=OK_LINKS, now=NOW)
    rows = measurements(a)
    facts = facts_from_measurements(a.identifier, reversed(rows))
    assert facts.ds_facts == a.ds_facts and facts.dist_facts == a.dist_facts
    assert rescore(facts, Weights()).total == a.mqa.total
    w = Weights().with_overrides({"keywordAvailability": [0, 0]})
    assert rescore(facts, w).total == a.mqa.total - 30
    assert {r.metric for r in rows} >= {"keywordAvailability", "udata:license", "openness:stars", "shacl:shapes"}
