"""udata's nine criteria, 5-star openness, POD schema validity and the vocabulary aliases."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from govlens.assess import openness, udata, vocab
from govlens.assess.pod import FEDERAL, NON_FEDERAL, pod_validity, validate_entry
from govlens.model import Dataset, Distribution, InspectionFact, LinkState, SourceRecord, Temporal

NOW = datetime(2024, 6, 1)


def ds(**kw: object) -> Dataset:
    return Dataset(identifier="d", **kw)  # type: ignore[arg-type]


def crit(d: Dataset, links: dict[str, LinkState] | None = None) -> dict[str, bool | None]:
    return dict(zip(udata.CRITERIA, udata.criteria(d, links or {}, NOW), strict=True))


def test_udata_empty_dataset_scores_zero_and_leaves_keys_out() -> None:
    c = crit(ds())
    assert udata.score(tuple(c.values())) == 0
    assert c["update_fulfilled_in_time"] is None and c["has_open_format"] is None


def test_udata_each_criterion() -> None:
    csv = Distribution(id="1", format="CSV", download_urls=("https://x/a.csv",), description="d")
    full = ds(licence="cc-by", temporal=Temporal("2020"), spatial=("MX",), accrual_periodicity="R/P1M",
              modified="2024-05-15", description="x" * 101, distributions=(csv,))
    assert udata.score(udata.criteria(full, {}, NOW)) == 1.0
    assert crit(replace(full, description="x" * 100))["dataset_description_quality"] is False
    assert crit(replace(full, accrual_periodicity="desconocido"))["update_frequency"] is False
    assert crit(replace(full, accrual_periodicity="desconocido"))["update_fulfilled_in_time"] is True
    assert crit(replace(full, accrual_periodicity="Hacemos lo que podemos"))["update_fulfilled_in_time"] is None
    # monthly (31 days) + 1 day of grace: 2024-04-29 + 31 days = 2024-05-30, 2 days late on 2024-06-01.
    assert crit(replace(full, modified="2024-04-29"))["update_fulfilled_in_time"] is False
    assert crit(replace(full, modified="2024-04-30"))["update_fulfilled_in_time"] is True
    assert crit(replace(full, accrual_periodicity="irregular", modified=None))["update_fulfilled_in_time"] is True
    pdf = replace(csv, format="PDF")
    assert crit(replace(full, distributions=(pdf, replace(csv, format="Excel", format_raw="Excel"))))[
        "has_open_format"] is False
    assert crit(replace(full, distributions=(replace(csv, description=None),)))["resources_documentation"] is False
    doc = Distribution(id="2", kind="documentation")
    assert crit(replace(full, distributions=(replace(csv, description=None), doc)))["resources_documentation"]
    broken = {"https://x/a.csv": LinkState("https://x/a.csv", "broken", 404)}
    assert crit(full, broken)["all_resources_available"] is False
    unknown = {"https://x/a.csv": LinkState("https://x/a.csv", "unknown")}
    assert crit(full, unknown)["all_resources_available"] is True


@pytest.mark.parametrize(("value", "freq"), [
    ("R/P1Y", "annual"), ("http://publications.europa.eu/resource/authority/frequency/MONTHLY", "monthly"),
    ("http://purl.org/cld/freq/weekly", "weekly"), ("Trimestral", "quarterly"), ("eventual", "irregular"),
    ("threeTimesAYear", "threeTimesAYear"), ("whenever", None), (None, None),
])
def test_frequencies(value: str | None, freq: str | None) -> None:
    assert udata.frequency(value) == freq


def dist(url: str = "https://x/data", **kw: object) -> Distribution:
    return Distribution(id="1", download_urls=(url,), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("d", "stars"), [
    (dist("https://x/data.csv"), 3),           # extension
    (dist("https://x/data.ttl"), 5),
    (dist("https://x/data.xls", format="CSV"), 2),  # the extension comes before the declared format
    (dist("https://x/data.docx"), 1),
    (dist("https://x/data.gpkg"), 1),          # a known format the table does not score
    (dist("https://x/page.html"), 0),          # HTML scores 0 in the table
    (dist(format="CSV"), 3),                   # declared format
    (dist(format="Gráfico"), 1),               # not understood: 1
    (dist(), 1),
])
def test_stars_per_distribution(d: Distribution, stars: int) -> None:
    assert openness.distribution_stars(d, "cc-by", {}) == stars


def test_stars_zero_when_licence_not_open_or_link_broken_and_content_wins() -> None:
    d = dist("https://x/data.csv")
    assert openness.distribution_stars(d, "notspecified", {}) == 0
    assert openness.distribution_stars(d, "cc-by-nc", {}) == 0
    assert openness.distribution_stars(d, "Libre Uso MX", {}) == 3
    broken = {"https://x/data.csv": LinkState("https://x/data.csv", "broken", 404)}
    assert openness.distribution_stars(d, "cc-by", broken) == 0
    files = {"https://x/data.csv": InspectionFact("https://x/data.csv", valid=True, served_format="RDF_TURTLE")}
    assert openness.distribution_stars(d, "cc-by", {}, files) == 5


@pytest.mark.parametrize(("value", "code"), [
    ("CSV", "CSV"), ("csv", "CSV"), (".csv", "CSV"), ("text/csv", "CSV"), ("XLS", "XLS"), ("Excel", "XLS"),
    ("xlsx", "XLSX"), ("Página web", "HTML"), ("Texto", "TXT"), ("OGC:WMS", "WMS_SRVC"), ("Gráfico", None),
    ("API", None), ("http://publications.europa.eu/resource/authority/file-type/JSON", "JSON"),
])
def test_format_aliases(value: str, code: str | None) -> None:
    assert vocab.format_code(value) == code


@pytest.mark.parametrize(("value", "known", "is_open"), [
    ("cc-by", True, True), ("CC-BY-4.0", True, True), ("odc-odbl", True, True), ("ODbL-1.0", True, True),
    ("odc-by", True, True), ("odc-pddl", True, True), ("uk-ogl", True, True), ("OGL-UK-3.0", True, True),
    ("http://datos.gob.mx/libreusomx/", True, True), ("https://datos.gob.mx/libreusomx", True, True),
    ("Libre Uso MX", True, True), ("Términos de Libre Uso MX", True, True),
    ("https://creativecommons.org/publicdomain/zero/1.0/", True, True),
    ("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0", True, True),
    ("https://www.usa.gov/government-works", False, True), ("notspecified", False, False),
    ("cc-nc", True, False), ("other-closed", False, False),
])
def test_licence_aliases(value: str, known: bool, is_open: bool) -> None:
    hit = vocab.licence(value)
    assert hit is not None
    assert (hit.known, hit.open) == (known, is_open)


@pytest.mark.parametrize(("value", "code"), [
    ("public", "PUBLIC"), ("Público", "PUBLIC"), ("restricted public", "RESTRICTED"), ("non-public", "NON_PUBLIC"),
    ("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC", "NON_PUBLIC"), ("abierto", "PUBLIC"),
    ("private-ish", None),
])
def test_access_right_aliases(value: str, code: str | None) -> None:
    assert vocab.access_right_code(value) == code


FEDERAL_ENTRY = {
    "title": "City Pair Program", "description": "Discounted airfares", "keyword": ["travel"],
    "modified": "2013-09-30", "publisher": {"name": "General Services Administration"},
    "contactPoint": {"fn": "Jerome", "hasEmail": "mailto:j@gsa.gov"}, "identifier": "GSA-1",
    "accessLevel": "public", "bureauCode": ["023:00"], "programCode": ["023:010"],
    "license": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def test_pod_federal_and_non_federal() -> None:
    r = validate_entry(FEDERAL_ENTRY)
    assert r.valid and r.schema == FEDERAL
    bad = dict(FEDERAL_ENTRY, accessLevel="open", contactPoint={"fn": "J", "hasEmail": "j@gsa.gov"})
    r = validate_entry(bad)
    assert not r.valid and any("accessLevel" in e for e in r.errors) and any("hasEmail" in e for e in r.errors)
    local = {k: v for k, v in FEDERAL_ENTRY.items() if k not in ("bureauCode", "programCode", "keyword")}
    r = validate_entry(local)
    assert r.valid and r.schema == NON_FEDERAL


def test_pod_only_for_pod_data_json_sources() -> None:
    text = json.dumps(FEDERAL_ENTRY)
    pod = ds(source=SourceRecord(kind="datajson", media_type="application/json", text=text, profile="pod-1.1"))
    validity = pod_validity(pod)
    assert validity is not None and validity.valid
    assert pod.source is not None
    ar = replace(pod, source=replace(pod.source, profile="ar-datajson"))
    assert pod_validity(ar) is None
    assert pod_validity(replace(pod, source=replace(pod.source, kind="ckan"))) is None


def test_real_us_agency_entries_validate(shared_data: Path) -> None:
    doc = json.loads((shared_data / "us-agency-datajson" / "gsa.json").read_text())
    results = [validate_entry(e) for e in doc["dataset"]]
    assert all(r.schema == FEDERAL for r in results)
    assert sum(r.valid for r in results) == len(results)


def test_generated_vocabulary_matches_the_shared_sources(shared_data: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    shipped = (root / "src" / "govlens" / "assess" / "data" / "vocab.json").read_bytes()
    out = tmp_path / "vocab.json"
    subprocess.run([sys.executable, str(root / "scripts" / "build_vocab.py"), "--shared", str(shared_data),
                    "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == shipped
    data = json.loads(shipped)
    assert len(data["machine_readable"]) == 20 and len(data["non_proprietary"]) == 29
    assert {"PUBLIC", "RESTRICTED", "NON_PUBLIC"} <= set(data["access_rights"])
    assert len(shipped) < 1_000_000
