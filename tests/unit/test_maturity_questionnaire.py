"""The questionnaire's structure: 155 items on the DGI 2023 dimensions and facets, the
published weights, valid principles and explicit answer scales."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from govlens.errors import ConfigError
from govlens.maturity.questionnaire import load_questionnaire, parse_questionnaire

ROOT = Path(__file__).resolve().parents[2]
CSV_NAME = "oecd_dgi2023_survey_items_weights_extracted.csv"
DIMENSIONS = {
    "Digital by design": "digital_by_design",
    "Data-driven public sector": "data_driven",
    "Government as a platform": "government_as_a_platform",
    "Open by default": "open_by_default",
    "User-driven": "user_driven",
    "Proactiveness": "proactiveness",
}


def test_structure_155_items_six_dimensions_four_facets() -> None:
    q = load_questionnaire()
    assert len(q.items) == 155
    assert len({i.id for i in q.items}) == 155
    assert [d.id for d in q.dimensions] == list(DIMENSIONS.values())
    assert [f.id for f in q.facets] == ["strategic_approach", "policy_levers", "implementation", "monitoring"]
    assert {(i.dimension, i.facet) for i in q.items} == {
        (d.id, f.id) for d in q.dimensions for f in q.facets
    }


def test_each_dimension_weighs_one_sixth() -> None:
    q = load_questionnaire()
    for d in q.dimensions:
        # Published weights are rounded to 2 decimals: each dimension sums to about 16.67%.
        assert q.dimension_weight(d.id) == pytest.approx(100 / 6, abs=0.1)
        # Scoring normalises within the dimension, so each is exactly 1/6 of the composite.
        assert sum(q.share(i) for i in q.items if i.dimension == d.id) == pytest.approx(1 / 6, abs=1e-12)
    assert sum(i.weight for i in q.items) == pytest.approx(100, abs=0.3)
    assert sum(q.share(i) for i in q.items) == pytest.approx(1.0, abs=1e-12)


def test_facet_weights_add_up_to_the_published_facet_weight() -> None:
    q = load_questionnaire()
    sums: dict[tuple[str, str], float] = defaultdict(float)
    published: dict[tuple[str, str], float] = {}
    for i in q.items:
        sums[(i.dimension, i.facet)] += i.weight
        published[(i.dimension, i.facet)] = i.facet_weight
    for key, total in sums.items():
        assert total == pytest.approx(published[key], abs=0.05), key


def test_principles_are_the_twelve_and_each_has_items() -> None:
    q = load_questionnaire()
    assert [p.id for p in q.principles] == list(range(1, 13))
    assert {p.pillar for p in q.principles} == {pl.id for pl in q.pillars}
    used = {p for i in q.items for p in i.principles}
    assert used == set(range(1, 13))
    assert all(i.principles and set(i.principles) <= set(range(1, 13)) for i in q.items)


def test_scales_are_explicit_and_match_the_published_question_types() -> None:
    q = load_questionnaire()
    kinds = defaultdict(set)
    for i in q.items:
        kinds[i.dgi_type].add(i.kind)
        assert i.scale.dgi_type == i.dgi_type, i.id
        assert i.text.en and i.text.es and i.text.en != i.text.es
        if i.kind == "choice":
            pts = [o.points for o in i.options]
            assert None not in pts, i.id
            known = [p for p in pts if p is not None]
            assert all(0 <= p <= 1 for p in known) and max(known) == 1 and min(known) == 0, i.id
        if i.kind == "checklist":
            assert len(i.options) >= 2, i.id
        for o in i.options:
            assert o.label.en and o.label.es
    assert kinds == {
        "Yes / No": {"choice"},
        "Single choice": {"choice"},
        "Multiple choice": {"checklist"},
        "0 – 100 percentage": {"percent", "percent_inverse"},
    }
    yes_no = next(s for s in q.scales if s.id == "yes_no")
    assert [(o.key, o.points) for o in yes_no.options] == [("no", 0.0), ("yes", 1.0)]


def test_measured_items_name_known_indicators() -> None:
    from govlens.maturity.indicators import INDICATORS

    q = load_questionnaire()
    measured = {i.id: i.indicators for i in q.items if i.indicators}
    assert set(measured) == {"q67", "q75"}
    assert set(measured["q75"]) == {"hvd_availability", "open_licence_share", "machine_readable_share",
                                    "metadata_completeness", "link_health"}
    assert all(x in INDICATORS for ids in measured.values() for x in ids)


def test_bad_questionnaires_are_refused() -> None:
    from importlib import resources

    import yaml

    doc = yaml.safe_load(resources.files("govlens.maturity").joinpath("data/questionnaire.yaml").read_text("utf-8"))
    doc["items"][0]["principles"] = [13]
    with pytest.raises(ConfigError, match="principles"):
        parse_questionnaire(doc)
    doc["items"][0]["principles"] = [1]
    doc["items"][1]["id"] = doc["items"][0]["id"]
    with pytest.raises(ConfigError, match="duplicate"):
        parse_questionnaire(doc)


def _published(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / "benchmarks" / CSV_NAME).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.shared_data
def test_questionnaire_matches_the_published_item_list(shared_data: Path) -> None:
    q = load_questionnaire()
    rows = _published(shared_data)
    assert len(rows) == len(q.items) == 155
    for row, item in zip(rows, q.items, strict=True):
        assert item.dgi == row["question"].strip()
        assert item.dimension == DIMENSIONS[row["dimension"]]
        assert item.facet == row["transversal_facet"].strip().lower().replace(" ", "_")
        assert item.weight == float(row["weight_pct_of_CS"])
        assert item.facet_weight == float(row["facet_weight_pct_of_CS"])
        assert item.dgi_type == " ".join(row["question_type"].split())


@pytest.mark.shared_data
def test_wording_is_our_own(shared_data: Path) -> None:
    """No run of five words of the published concept appears in our wording."""

    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(words[k:k + 5]) for k in range(len(words) - 4)}

    q = load_questionnaire()
    for row, item in zip(_published(shared_data), q.items, strict=True):
        ours = item.text.en + " " + " ".join(o.label.en for o in item.options)
        assert not grams(row["measured_concept"]) & grams(ours), item.id


@pytest.mark.shared_data
def test_derivation_script_finds_nothing_to_change(shared_data: Path) -> None:
    script = ROOT / "scripts/maturity/derive_questionnaire.py"
    csv_path = shared_data / "benchmarks" / CSV_NAME
    done = subprocess.run([sys.executable, str(script), "--csv", str(csv_path), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
