"""The coverage matrix on constructed datasets: presence, quality, shares and fixes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from govlens.coverage.fixes import coverage_fixes
from govlens.coverage.matrix import build, coverage_share, find, hvd_availability, record
from govlens.coverage.quality import (
    band,
    dataset_quality,
    frequency_period,
    fresh,
    machine_readable,
    open_licence,
)
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.model import Dataset, Distribution, LinkState, Publisher

NOW = datetime(2021, 5, 1, tzinfo=UTC)
HAC = Publisher("hacienda", "Ministerio de Hacienda")
OA = Publisher("oa", "Oficina Anticorrupción")
CSV = Distribution("r1", title="datos", download_urls=("http://x/a.csv",), format="CSV")
PDF = Distribution("r2", title="informe", download_urls=("http://x/b.pdf",), format="PDF")


def datasets() -> list[Dataset]:
    return [
        Dataset("budget-2020", title="Presupuesto de la Administración Pública Nacional 2020", publisher=HAC,
                licence="cc-by", distributions=(CSV,), modified="2021-04-20", accrual_periodicity="R/P1M"),
        Dataset("budget-pdf", title="Ley de presupuesto 2019", publisher=HAC, licence="notspecified",
                distributions=(PDF,)),
        Dataset("ddjj", title="Declaraciones juradas patrimoniales", publisher=OA, distributions=(PDF,),
                modified="2019-01-01", accrual_periodicity="R/P1Y"),
        Dataset("museum", title="Visitas al museo", publisher=OA),
    ]


def test_present_and_missing_per_publisher_and_for_the_government() -> None:
    tax = builtin_taxonomy()
    found = list(find(datasets(), now=NOW))
    assert {f.identifier for f in found} == {"budget-2020", "budget-pdf", "ddjj"}  # the museum matches nothing
    cells = build(found, tax, publishers=["hacienda", "oa", "other"], categories=["odc.budgets", "odc.asset-declarations"])
    by = {(c.publisher, c.category): c for c in cells}
    assert len(cells) == 4 * 2  # "*", hacienda, oa, other × 2 categories
    gov = by[("*", "odc.budgets")]
    assert gov.status == "present" and set(gov.datasets) == {"budget-2020", "budget-pdf"}
    assert by[("oa", "odc.budgets")].status == "missing"
    assert by[("other", "odc.asset-declarations")].status == "missing"
    assert by[("oa", "odc.asset-declarations")].status == "present"
    q = gov.quality
    assert (q.datasets, q.machine_readable, q.open_licence, q.open_data) == (2, 1, 1, 1)
    assert q.best == "budget-2020" and q.fresh == 1 and q.freshness_known == 1


def test_link_states_and_mqa_scores_are_inputs() -> None:
    links = {"http://x/a.csv": LinkState("http://x/a.csv", "ok", 200), "http://x/b.pdf": LinkState("http://x/b.pdf", "broken", 404)}
    mqa = {"budget-2020": 300.0, "budget-pdf": 100.0}
    found = list(find(datasets(), now=NOW, links=links, mqa=mqa))
    (cell,) = [c for c in build(found, builtin_taxonomy(), categories=["odc.budgets"]) if c.publisher == "*"]
    assert (cell.quality.links_checked, cell.quality.links_ok) == (2, 1)
    assert cell.quality.mqa_mean == 200.0 and cell.quality.mqa_band == "sufficient"
    rec = record(cell, builtin_taxonomy(), "es")
    assert rec["label"] == "Presupuestos" and rec["publisher"] == "*" and rec["status"] == "present"
    assert rec["quality"]["link_health"] == 0.5 and rec["datasets"][0] in {"budget-2020", "budget-pdf"}


def test_coverage_share_is_the_maturity_evidence() -> None:
    tax = builtin_taxonomy()
    cells = build(find(datasets(), now=NOW), tax, publishers=["hacienda", "oa"])
    odc = coverage_share(cells, framework="odc")
    assert odc == 2 / 30
    assert coverage_share(cells, framework="odc", open_only=True) == 1 / 30  # the declarations are a PDF
    assert coverage_share(cells, publisher="oa", framework="odc") == 1 / 30
    assert coverage_share(cells, publisher="nobody") is None


def test_missing_datasets_become_fixes_with_the_recommendation() -> None:
    tax = builtin_taxonomy()
    cells = build(find(datasets(), now=NOW), tax, categories=["odc.budgets", "odc.asset-declarations", "odc.lobbying-register"])
    fixes = coverage_fixes(cells, tax, lang="en")
    kinds = {(f.category, f.kind) for f in fixes}
    assert ("odc.lobbying-register", "publish-missing") in kinds
    assert ("odc.asset-declarations", "open-existing") in kinds  # present, but only as a PDF without licence
    assert ("odc.budgets", "open-existing") not in kinds
    text = next(f.action for f in fixes if f.category == "odc.lobbying-register")
    assert "lobbying register" in text and "open licence" in text
    es = coverage_fixes(cells, tax, lang="es")
    assert any("licencia abierta" in f.action for f in es)


def test_quality_helpers() -> None:
    assert machine_readable(Dataset("d", distributions=(Distribution("x", format="http://publications.europa.eu/resource/authority/file-type/CSV"),)))
    assert machine_readable(Dataset("d", distributions=(Distribution("x", media_type="text/csv; charset=utf-8"),)))
    assert not machine_readable(Dataset("d", distributions=(PDF,)))
    assert open_licence(Dataset("d", licence="https://creativecommons.org/licenses/by/4.0/")) is True
    assert open_licence(Dataset("d", licence="cc-nc")) is False
    assert open_licence(Dataset("d")) is None
    quarter = frequency_period("R/P3M")
    month = frequency_period("http://publications.europa.eu/resource/authority/frequency/MONTHLY")
    assert isinstance(quarter, timedelta) and quarter.days == 93
    assert isinstance(month, timedelta) and month.days == 31
    assert frequency_period("irregular") is False and frequency_period("whenever") is None
    assert fresh(Dataset("d", modified="2021-03-01", accrual_periodicity="R/P1M"), NOW) is False
    assert fresh(Dataset("d", modified="2021-04-15T10:00:00", accrual_periodicity="R/P1M"), NOW) is True
    assert fresh(Dataset("d", modified="2010", accrual_periodicity="irregular"), NOW) is True
    assert fresh(Dataset("d", accrual_periodicity="R/P1M"), NOW) is None
    assert [band(x) for x in (405, 351, 350, 221, 220, 121, 120, 0, None)] == [
        "excellent", "excellent", "good", "good", "sufficient", "sufficient", "bad", "bad", None]
    q = dataset_quality(Dataset("d", distributions=(CSV,), licence="cc-by"), now=NOW)
    assert q.open_data and q.links_checked == 0


def test_formats_and_licences_are_read_with_the_assessment_vocabularies() -> None:
    from govlens.assess.facts import format_facts

    def dist(format: str | None = None, media_type: str | None = None, format_raw: str | None = None) -> Dataset:
        return Dataset("d", distributions=(Distribution("x", format=format, media_type=media_type,
                                                        format_raw=format_raw),))

    # licence spellings only the assessment's licence table knows (titles, Open Definition URLs, US works)
    for value in ("Creative Commons Attribution", "https://opendefinition.org/licenses/odc-odbl",
                  "https://www.usa.gov/government-works", "http://datos.gob.mx/libreusomx"):
        assert open_licence(Dataset("d", licence=value)) is True, value
    assert open_licence(Dataset("d", licence="other-closed")) is False
    assert open_licence(Dataset("d", licence="a licence nobody knows")) is None
    # MQA's machine-readable list decides: an API or a generic "RDF" is not a file type on it
    cases = [{"format": "CSV"}, {"format": "XLSX"}, {"format_raw": "rss+xml"}, {"media_type": "application/json"},
             {"format": "API"}, {"format": "RDF"}, {"format": "PDF"}, {"media_type": "text/html"}]
    for kw in cases:
        expected = format_facts(kw.get("format"), kw.get("format_raw"), kw.get("media_type"))[4]
        assert machine_readable(dist(**kw)) is expected, kw
    assert [machine_readable(dist(**kw)) for kw in cases] == [True, True, True, True, False, False, False, False]


def test_hvd_availability_measurements_for_the_maturity_module() -> None:
    cells = build(find(datasets(), now=NOW), builtin_taxonomy(), publishers=["hacienda", "oa"])
    ms = {m.scope: m for m in hvd_availability(cells, run="ar#1")}
    assert set(ms) == {"government", "hacienda", "oa"}
    gov = ms["government"]
    assert gov.indicator == "hvd_availability" and gov.source == "coverage" and gov.run == "ar#1"
    assert gov.value == coverage_share(cells, open_only=True) and "of 50 priority datasets as open data" in (gov.detail or "")
    assert ms["oa"].value == 0.0  # its declarations are a PDF
