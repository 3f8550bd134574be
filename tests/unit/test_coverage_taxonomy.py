"""The built-in taxonomy: complete, bilingual, consistent; broken files are clear errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from govlens.coverage.taxonomy import builtin_taxonomy, load_taxonomy
from govlens.errors import ConfigError

HVD_TOP = {
    "hvd.geospatial": "http://data.europa.eu/bna/c_ac64a52d",
    "hvd.earth-observation-environment": "http://data.europa.eu/bna/c_dd313021",
    "hvd.meteorological": "http://data.europa.eu/bna/c_164e0bf5",
    "hvd.statistics": "http://data.europa.eu/bna/c_e1da4e07",
    "hvd.companies": "http://data.europa.eu/bna/c_a9135398",
    "hvd.mobility": "http://data.europa.eu/bna/c_b79e35eb",
}


def test_open_data_charter_has_30_datasets_in_4_categories() -> None:
    tax = builtin_taxonomy()
    odc = [c for c in tax.categories if c.framework == "odc"]
    assert len(odc) == 30
    groups = Counter(c.group for c in odc)
    assert groups == {"odc.individuals": 10, "odc.public-resources": 8, "odc.regulation": 9,
                      "odc.rent-extraction": 3}
    assert {c.kind for c in odc} == {"R", "PD", "T"}
    assert "odc.asset-declarations" in tax.by_id


def test_six_hvd_categories_with_their_official_uris() -> None:
    tax = builtin_taxonomy()
    hvd = [c for c in tax.categories if c.framework == "hvd"]
    assert {c.id for c in hvd} == set(HVD_TOP)
    for cid, uri in HVD_TOP.items():
        assert uri in tax[cid].uris
    # sub-categories map to their top category (e.g. the SEMIC example's "nature preservation")
    assert "http://data.europa.eu/bna/c_b7f6a4f3" in tax["hvd.earth-observation-environment"].uris


def test_g8_has_14_categories_and_4_key_datasets() -> None:
    tax = builtin_taxonomy()
    g8 = [c for c in tax.categories if c.framework == "g8"]
    assert len(g8) == 14
    keys = {c.id for c in g8 if c.key}
    assert keys == {"g8.finance-contracts", "g8.geospatial", "g8.government-accountability", "g8.statistics"}
    assert tax.framework("g8").sectors


def test_every_category_speaks_spanish_and_english_and_says_what_to_publish() -> None:
    tax = builtin_taxonomy()
    for c in tax.categories:
        for text in (c.label, c.description, c.recommend):
            assert text.es and text.en
        assert c.description.es != c.description.en and c.recommend.es != c.recommend.en
        assert any(f in c.recommend.en for f in ("CSV", "GeoJSON", "API", "OCDS")), c.id
        assert "open licence" in c.recommend.en and "licencia abierta" in c.recommend.es, c.id
    for f in tax.frameworks:
        assert f.source_title and f.source_url.startswith("http")


def test_implications_are_closed_and_equivalences_hold() -> None:
    tax = builtin_taxonomy()
    assert tax.closure(["odc.company-register"]) == {"odc.company-register", "hvd.companies", "g8.companies"}
    assert "g8.statistics" in tax.closure(["hvd.statistics"])
    assert "hvd.statistics" in tax.closure(["g8.statistics"])
    assert "g8.finance-contracts" in tax.closure(["odc.budgets"])


@pytest.mark.parametrize(
    "text, message",
    [
        ("framework: {id: x}\n", "needs 'framework' and 'categories'"),
        ("[1, 2", "cannot read taxonomy file"),
        (
            ("framework: {id: x, label: {es: a, en: b}, groups: [{id: x.g, label: {es: a, en: b}}]}\n"
            "categories:\n- {id: x.a, group: x.g, label: {es: a}, description: {es: a, en: b},"
            " recommend: {es: a, en: b}}\n"),
            "label needs non-empty 'es' and 'en'",
        ),
        (
            ("framework: {id: x, label: {es: a, en: b}, groups: [{id: x.g, label: {es: a, en: b}}]}\n"
            "categories:\n- {id: x.a, group: x.g, label: {es: a, en: b}, description: {es: a, en: b},"
            " recommend: {es: a, en: b}, implies: [x.nope]}\n"),
            "implies unknown categories",
        ),
        (
            ("framework: {id: x, label: {es: a, en: b}, groups: [{id: x.g, label: {es: a, en: b}}]}\n"
            "categories:\n- {id: x.a, group: x.g, label: {es: a, en: b}, description: {es: a, en: b},"
            " recommend: {es: a, en: b}, dictionary: {cube: 0.5}}\n"),
            "unknown data-dictionary shape",
        ),
        (
            ("framework: {id: x, label: {es: a, en: b}, groups: [{id: x.g, label: {es: a, en: b}}]}\n"
            "categories:\n- {id: x.a, group: x.g, label: {es: a, en: b}, description: {es: a, en: b},"
            " recommend: {es: a, en: b}, dictionary: {aggregate: 2}}\n"),
            "weights in",
        ),
        (
            ("framework: {id: x, label: {es: a, en: b}, groups: [{id: x.g, label: {es: a, en: b}}]}\n"
            "categories:\n- {id: x.a, group: x.g, label: {es: a, en: b}, description: {es: a, en: b},"
            " recommend: {es: a, en: b}, threshold: 0}\n"),
            "threshold must be",
        ),
    ],
)
def test_broken_taxonomy_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_taxonomy([p])


def test_a_custom_taxonomy_file_loads(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text(
        "framework: {id: mx, label: {es: a, en: b}, groups: [{id: mx.g, label: {es: a, en: b}}]}\n"
        "categories:\n- id: mx.padron\n  group: mx.g\n  label: {es: Padrón, en: Register}\n"
        "  description: {es: a, en: b}\n  recommend: {es: a, en: b}\n"
        "  terms: {strong: {es: [padron de beneficiarios]}}\n",
        encoding="utf-8",
    )
    tax = load_taxonomy([p])
    assert tax.ids() == ("mx.padron",)
