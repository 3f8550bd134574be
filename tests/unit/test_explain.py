"""Why each MQA metric passed or failed: the reasons follow the record, the vocabularies and the checks."""

from __future__ import annotations

import string
from dataclasses import replace

from govlens.assess.assessment import assess_dataset, measurements
from govlens.assess.explain import MetricLine, explain
from govlens.assess.metrics import DATASET_METRICS, DISTRIBUTION_METRICS, Weights
from govlens.model import Distribution, LinkState
from govlens.report import i18n
from quality_records import CSV_URL, NOW, PAGE_URL, full_dataset


def lines(ds: object, links: dict[str, LinkState] | None = None, shacl: bool = False) -> dict[tuple[int, str], MetricLine]:
    a = assess_dataset(ds, links=links or {}, now=NOW, shacl=shacl)  # type: ignore[arg-type]
    out = explain(ds, measurements(a), Weights())  # type: ignore[arg-type]
    for x in out:  # every reason is worded in both languages, with exactly the parameters it gets
        for lang in i18n.LANGUAGES:
            text = i18n.messages(lang)["why." + x.reason]
            assert {f for _, f, _, _ in string.Formatter().parse(text) if f} == set(x.param_dict), x
    return {(x.seq, x.metric): x for x in out}


def test_every_metric_is_explained_and_points_match_the_measurements() -> None:
    ds = full_dataset()
    got = lines(ds, shacl=True)
    assert len(got) == len(DATASET_METRICS) + len(DISTRIBUTION_METRICS)
    a = assess_dataset(ds, now=NOW)
    assert sum(x.points for x in got.values() if x.seq == 0) + sum(
        x.points for x in got.values() if x.seq == 1) >= a.mqa.total  # issued/modified count once in the score
    assert {x.verdict for x in got.values()} == {"yes", "not_measured"}  # a full record, no link checked
    assert got[(1, "accessUrlStatusCode")].reason == "access_url.not_checked"
    assert got[(1, "downloadUrlStatusCode")].reason == "download_status.not_checked"
    dcat = got[(0, "dcatApCompliance")]
    assert (dcat.verdict, dcat.reason, dcat.param_dict["shapes"]) == ("yes", "dcat.yes_rendering", "DCAT-AP 2.1.1")
    assert got[(0, "keywordAvailability")].param_dict == {"list": "presupuesto"}
    assert got[(1, "knownLicence")].params == (
        ("value", "https://creativecommons.org/licenses/by/4.0/"), ("title", "Creative Commons Attribution 4.0"))


def test_formats_licences_and_access_rights_are_traced_to_the_vocabularies() -> None:
    dist = Distribution(id="d1", download_urls=(CSV_URL,), format=".CSV", media_type="text/csv")
    ds = full_dataset(licence=None, access_rights="Público", distributions=(dist,))
    got = lines(ds)
    assert got[(1, "formatMediaTypeVocabularyAlignment")].reason == "aligned.yes"
    assert got[(1, "formatMediaTypeVocabularyAlignment")].param_dict == {"format": ".CSV", "code": "CSV",
                                                                        "media": "text/csv"}
    assert got[(1, "licenceAvailability")].reason == "licence.no"
    assert got[(1, "licenceAvailability")].verdict == "no"
    assert got[(1, "knownLicence")].reason == "licence.no"
    assert got[(0, "accessRightsVocabularyAlignment")].param_dict == {"value": "Público", "code": "PUBLIC"}
    odd = replace(dist, format="Gráfico", media_type="image/x-nope", licence="mi licencia")
    got = lines(full_dataset(access_rights="a veces", distributions=(odd,)))
    assert got[(1, "formatMediaTypeVocabularyAlignment")].reason == "aligned.unknown_format"
    assert got[(1, "formatMediaTypeNonProprietary")].reason == "format_kind.unknown"
    assert got[(1, "knownLicence")].reason == "known_licence.no"
    assert got[(0, "accessRightsVocabularyAlignment")].reason == "access_rights_vocab.no"
    bare = replace(dist, format=None, format_raw=None, media_type=None)
    got = lines(full_dataset(distributions=(bare,)))
    assert (got[(1, "formatAvailability")].reason, got[(1, "formatAvailability")].points) == ("format.no", -5)
    assert got[(1, "mediaTypeAvailability")].points == -5
    assert got[(1, "formatMediaTypeMachineInterpretable")].reason == "format_kind.none"


def test_link_checks_say_what_answered() -> None:
    ds = full_dataset()
    ok = lines(ds, {CSV_URL: LinkState(CSV_URL, "ok", 200), PAGE_URL: LinkState(PAGE_URL, "broken", 404)})
    assert (ok[(1, "downloadUrlStatusCode")].reason, ok[(1, "downloadUrlStatusCode")].points) == (
        "download_status.ok", 30)
    assert ok[(1, "accessUrlStatusCode")].reason == "access_url.failed"
    assert ok[(1, "accessUrlStatusCode")].param_dict == {"code": "404"}
    down = lines(ds, {PAGE_URL: LinkState(PAGE_URL, "broken", None)})
    assert down[(1, "accessUrlStatusCode")].reason == "access_url.no_answer"
    none = lines(full_dataset(distributions=(Distribution(id="x"),)))
    assert none[(1, "accessUrlStatusCode")].reason == "access_url.none"
    assert none[(1, "downloadUrlAvailability")].reason == "download_url.no"


def test_a_record_that_changed_since_the_assessment_is_said_so() -> None:
    ds = full_dataset()
    a = assess_dataset(ds, now=NOW, shacl=False)
    other = replace(ds, distributions=(replace(ds.distributions[0], id="renamed"),))
    got = {(x.seq, x.metric): x for x in explain(other, measurements(a), Weights())}
    assert got[(1, "formatAvailability")].reason == "record_changed"
    assert got[(0, "keywordAvailability")].reason == "keywords.yes"
