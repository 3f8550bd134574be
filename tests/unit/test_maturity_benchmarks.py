"""Published benchmarks: values as published, composites recomputed from their parts."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from govlens.errors import ConfigError
from govlens.maturity import benchmarks as bm

ROOT = Path(__file__).resolve().parents[2]
DIMS = ("digital_by_design", "data_driven", "government_as_a_platform", "open_by_default",
        "user_driven", "proactiveness")


def test_every_dgi_2023_composite_is_the_mean_of_its_six_dimensions() -> None:
    countries = bm.load_benchmarks()["dgi"]["2023"]["countries"]
    assert len(countries) == 38
    for code, e in countries.items():
        assert sum(e[d] for d in DIMS) / 6 == pytest.approx(e["composite"], abs=0.001), code


def test_every_ourdata_composite_is_the_mean_of_its_pillars_within_rounding() -> None:
    # Composite and pillars are published to 2 decimals: each is within 0.005 of the true
    # value, so the mean of the pillars is within 0.005 + 0.005 of the composite.
    countries = bm.load_benchmarks()["ourdata"]["2023"]["countries"]
    assert len(countries) == 40
    for code, e in countries.items():
        pillars = (e["availability"], e["accessibility"], e["reuse"])
        assert sum(pillars) / 3 == pytest.approx(e["composite"], abs=0.01), code
        for p in ("availability", "accessibility", "reuse"):
            subs = [v for k, v in e["subpillars"].items() if k.startswith(p)]
            assert len(subs) == 3
            assert sum(subs) / 3 == pytest.approx(e[p], abs=0.01), (code, p)


def test_mexico_as_published() -> None:
    view = bm.country_view("MEX")
    assert view["dgi"]["2019"] is None  # Mexico was not assessed in DGI 2019
    assert view["dgi"]["2023"] == {
        "digital_by_design": 0.658, "data_driven": 0.473, "government_as_a_platform": 0.638,
        "open_by_default": 0.466, "user_driven": 0.479, "proactiveness": 0.501,
        "composite": 0.536, "rank": 25,
    }
    assert view["ourdata"]["2023"]["composite"] == 0.27
    assert (view["ourdata"]["2023"]["availability"], view["ourdata"]["2023"]["accessibility"],
            view["ourdata"]["2023"]["reuse"]) == (0.35, 0.39, 0.07)
    assert {y: e["egdi"] for y, e in view["egdi"].items()} == {"2020": 0.7291, "2022": 0.7473,
                                                                "2024": 0.78499}
    assert {y: e["rank"] for y, e in view["egdi"].items()} == {"2020": 61, "2022": 62, "2024": 65}
    assert {y: (round(e["gtmi"], 3), e["group"]) for y, e in view["gtmi"].items()} == {
        "2020": (0.862, "A"), "2022": (0.792, "A")}
    assert view["self_assessment"] is None
    assert "KOR" in view["peers"] and "MEX" not in view["peers"]


def test_oecd_averages() -> None:
    avg = bm.oecd_average()
    dgi23 = avg["dgi"]["2023"]
    # The mean of the 33 ranked members equals the OECD row printed in Table A.1.
    assert [dgi23[d] for d in DIMS] + [dgi23["composite"]] == [0.684, 0.633, 0.615, 0.525, 0.607,
                                                               0.567, 0.605]
    assert "composite" in dgi23["derived"]
    assert avg["dgi"]["2019"]["composite"] == 0.501 and avg["dgi"]["2019"]["derived"] == []
    assert avg["ourdata"]["2023"]["composite"] == 0.48  # published
    assert avg["ourdata"]["2023"]["derived"] == ["availability", "accessibility", "reuse"]
    assert all(avg[f][ed]["derived"] == [f] for f in ("egdi", "gtmi") for ed in avg[f])


def test_self_assessment_is_labelled_and_kept_apart() -> None:
    view = bm.country_view("mex", ["KOR", "COL"], {"composite": 0.4})
    assert view["self_assessment"] == {"composite": 0.4, "label": bm.SELF_LABEL}
    assert view["dgi"]["2023"]["composite"] == 0.536
    assert list(view["peers"]) == ["KOR", "COL"]


def test_unknown_country_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="no published benchmark"):
        bm.country_view("XXX")


def test_headline_table_and_series() -> None:
    rows = bm.headline_table()
    assert rows[0]["country"] == "KOR" and rows[0]["dgi2023"] == 0.935
    series = bm.dimension_series("MEX", peers=["COL"])
    assert list(series) == ["MEX", "OECD", "COL"]
    assert series["MEX"]["data_driven"] == 0.473 and series["OECD"]["data_driven"] == 0.633


@pytest.mark.shared_data
def test_dgi_2023_composites_recomputed_from_the_published_table(shared_data: Path) -> None:
    path = shared_data / "benchmarks" / "oecd_dgi2023_dimensions_bipa.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by: dict[str, dict[str, float]] = {}
    for r in rows:
        by.setdefault(r["cc_iso3c"], {})[r["variable"]] = float(r["value"])
    parts = ("digital_design", "data_driven", "govt_as_platform", "open_default", "user_driven",
             "proactiveness")
    for code, v in by.items():
        assert sum(v[p] for p in parts) / 6 == pytest.approx(v["composite_index"], abs=0.001), code
        assert bm.load_benchmarks()["dgi"]["2023"]["countries"][code]["composite"] == v["composite_index"]


@pytest.mark.shared_data
@pytest.mark.slow
def test_package_data_is_what_the_derivation_script_builds(shared_data: Path) -> None:
    script = ROOT / "scripts/maturity/derive_benchmarks.py"
    done = subprocess.run([sys.executable, str(script), "--data", str(shared_data / "benchmarks"),
                           "--check"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
