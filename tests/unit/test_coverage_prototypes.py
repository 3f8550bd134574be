"""The measurement of category prototypes (``benchmarks/coverage_prototypes.py``): its texts and its arithmetic."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

pytest.importorskip("sklearn")  # coverage_learned, which it builds on, fits with it (dev extra)

from coverage_prototypes import (
    GUIDE,
    add,
    choose,
    guide_texts,
    micro,
    phrases,
    prototype_texts,
    similarities,
    standardise,
)

from govlens.coverage.taxonomy import builtin_taxonomy


def test_the_guide_gives_a_belongs_cell_to_almost_every_category() -> None:
    guide = guide_texts(GUIDE.read_text(encoding="utf-8"))
    tax = builtin_taxonomy()
    assert "statistics" in guide["hvd.statistics"] and "time series" in guide["hvd.statistics"]
    assert "→" not in guide["odc.budgets"] and "`" not in guide["hvd.mobility"]
    # the G8 categories classified through the HVD ones have no row of their own
    assert set(tax.ids()) - set(guide) == {"g8.companies", "g8.geospatial", "g8.statistics"}


def test_phrases_split_a_cell() -> None:
    assert phrases("roll-call votes of legislators") == ["roll-call votes of legislators"]
    assert phrases("weather and climate observations, forecasts, alerts, radar") == [
        "weather", "climate observations", "forecasts", "alerts", "radar"
    ]


def test_prototype_texts_are_labels_and_descriptions_in_both_languages_and_the_guide() -> None:
    tax = builtin_taxonomy()
    plain = prototype_texts(tax)
    budgets = tax["odc.budgets"]
    assert plain["odc.budgets"] == [budgets.label.es, budgets.label.en, budgets.description.es, budgets.description.en]
    guided = prototype_texts(tax, {"odc.budgets": "approved budgets, budget bills"})
    assert guided["odc.budgets"][4:] == ["approved budgets, budget bills", "approved budgets", "budget bills"]
    assert guided["odc.spending"] == plain["odc.spending"]


def test_similarity_is_the_best_prototype_and_standardised_per_category() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], np.float32)
    protos = [np.array([[1.0, 0.0], [0.0, 1.0]], np.float32), np.array([[0.6, 0.8]], np.float32)]
    sims = similarities(vectors, protos)
    np.testing.assert_allclose(sims, [[1.0, 0.6], [1.0, 0.8], [0.8, 1.0]], atol=1e-6)
    z = standardise(sims, np.array([True, True, False]))
    np.testing.assert_allclose(z[:2, 1], [-1.0, 1.0], atol=1e-5)  # mean 0.7, spread 0.1 on the first two
    np.testing.assert_allclose(z[2, 1], 3.0, atol=1e-4)
    assert (z[:, 0][:2] == 0).all()  # no spread: the floor keeps it finite


def test_add_needs_both_the_similarity_and_the_rules_confidence_and_follows_implications() -> None:
    base = np.array([[True, False, False], [False, False, False]])
    z = np.array([[5.0, 5.0, 0.0], [5.0, 1.0, 0.0]])
    conf = np.array([[0.0, 0.2, 0.0], [0.05, 0.3, 0.0]])
    implies = np.zeros((3, 3), bool)
    implies[1, 2] = True  # category 1 implies category 2
    out = add(base, z, conf, implies, t=4.0, f=0.1)
    assert out.tolist() == [[True, True, True], [False, False, False]]
    assert add(base, z, conf, implies, t=4.0, f=0.0)[1].tolist() == [True, False, False]


def test_micro_counts_the_categories_with_a_labelled_positive() -> None:
    gold = np.array([[True, False], [True, False]])
    pred = np.array([[True, True], [False, True]])
    assert micro(pred, gold) == (1.0, 0.5)  # the second category has no positive: not counted


def test_choose_keeps_the_precision_of_the_base_and_adds_what_is_right() -> None:
    gold = np.array([[True, True], [True, False], [False, True], [True, False]])
    base = np.array([[True, False], [True, False], [False, False], [True, False]])
    z = np.array([[0.0, 3.0], [0.0, 2.0], [0.0, 3.0], [0.0, 0.0]])
    conf = np.full_like(z, 0.5)
    rows = np.ones(4, bool)
    t, f = choose(base, gold, z, conf, np.zeros((2, 2), bool), rows)
    out = add(base, z, conf, np.zeros((2, 2), bool), t, f)
    assert micro(out, gold) == (1.0, 1.0)  # both missing ones added, the wrong one (z 2) not
    assert 2.0 < t <= 3.0
