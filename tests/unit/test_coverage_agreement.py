"""Agreement of two readings of the labelling guide (benchmarks/coverage_agreement.py).

The second reading (benchmarks/data/coverage_labels_second.csv) was made blind, by the
guide, of 150 records drawn from the labelled ones, and committed before it was compared
with the first (benchmarks/data/coverage_labels.csv). The figures printed by
``coverage_agreement.py compare`` are asserted as floors, rounded down like the
evaluation floors. Figures and their command: docs/coverage.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

from coverage_agreement import SECOND, SIZE, Agreement, agreement, compare, draw, quotas, render
from coverage_corpus import records

from govlens.coverage.taxonomy import builtin_taxonomy

#: (precision, recall) of the second reading with the first as reference, as printed, rounded down.
MICRO_FLOOR = (0.96, 0.91)
FRAMEWORK_FLOOR = {"odc": (0.93, 0.80), "hvd": (0.96, 0.88), "g8": (0.96, 0.94)}
IDENTICAL_FLOOR = 0.86
#: Cohen's kappa of the categories with at least 5 positives in either reading, rounded down.
KAPPA_FLOOR = {
    "hvd.statistics": 0.92,
    "g8.statistics": 0.92,  # the same scope, implied both ways
    "g8.finance-contracts": 0.92,
    "g8.health": 1.0,
    "g8.energy-environment": 0.96,
    "odc.spending": 0.94,
    "g8.earth-observation": 1.0,
    "g8.transport-infrastructure": 1.0,
    "g8.crime-justice": 0.93,
    "g8.government-accountability": 0.92,  # 0.9298, printed 0.930
    "hvd.earth-observation-environment": 0.65,
}


@pytest.mark.shared_data
def test_the_second_reading_is_the_drawn_sample_of_real_records(shared_data: Path) -> None:
    drawn = draw()
    assert len(drawn) == SIZE == len(set(drawn))
    second = compare()
    assert set(second.second) == {f"{s}#{i}" for s, i in drawn}
    known = {(r.source, r.identifier) for r in records(shared_data)}
    assert set(drawn) <= known
    # Each record keeps the split of its first reading.
    assert all(second.second[k].split == second.first[k].split for k in second.second)


@pytest.mark.shared_data
def test_measured_agreement_of_the_two_readings(shared_data: Path) -> None:
    c = compare()
    assert len(c.first) == len(c.second) == SIZE
    p, r = c.report.micro()
    assert p >= MICRO_FLOOR[0] and r >= MICRO_FLOOR[1], (p, r)
    for fw, (fp, fr) in FRAMEWORK_FLOOR.items():
        got = c.by_framework[fw].micro()
        assert got[0] >= fp and got[1] >= fr, (fw, got)
    assert c.identical >= IDENTICAL_FLOOR, c.identical
    kappas = {a.category: a.kappa for a in c.categories if a.positives >= 5}
    assert set(kappas) == set(KAPPA_FLOOR)
    for cat, floor in KAPPA_FLOOR.items():
        k = kappas[cat]
        assert k is not None and k >= floor, (cat, k)
    lines = render(c, listing=True)
    assert lines[0] == f"records: {SIZE}"
    assert sum(1 for line in lines if line.startswith("    first:  ")) == len(c.disagreeing())


def test_kappa_and_counts_of_a_hand_made_example() -> None:
    # Ten records; category a: both 4, first only 1, second only 1, neither 4.
    # Observed agreement 0.8, each reading 0.5 positive, chance 0.5, kappa (0.8-0.5)/0.5 = 0.6.
    first = {str(i): frozenset({"a"}) for i in range(5)} | {str(i): frozenset() for i in range(5, 10)}
    second = {str(i): frozenset({"a"}) for i in (0, 1, 2, 3, 5)}
    (a,) = agreement(first, second, ["a"])
    assert (a.both, a.first_only, a.second_only, a.neither) == (4, 1, 1, 4)
    assert a.positives == 5
    assert a.kappa == pytest.approx(0.6)
    # Agreement no better than chance is 0; certain chance agreement has no kappa.
    assert Agreement("b", 1, 1, 1, 1).kappa == pytest.approx(0.0)
    assert Agreement("c", 0, 0, 0, 10).kappa is None
    # Total disagreement on a balanced category is -1.
    assert Agreement("d", 0, 5, 5, 0).kappa == pytest.approx(-1.0)


def test_implied_categories_count_as_the_evaluation_counts_them(tmp_path: Path) -> None:
    head = "split,source,identifier,categories,note\n"
    (tmp_path / "first.csv").write_text(
        head + "tune,s,x,odc.budgets,\ntune,s,y,hvd.statistics,\ntune,s,z,,\n", encoding="utf-8"
    )
    (tmp_path / "second.csv").write_text(
        head + "tune,s,x,g8.finance-contracts,\ntune,s,y,g8.statistics,\ntune,s,z,,\n", encoding="utf-8"
    )
    c = compare(tmp_path / "second.csv", tmp_path / "first.csv", builtin_taxonomy())
    # x: first {odc.budgets, g8.finance-contracts}, second {g8.finance-contracts};
    # y: both {hvd.statistics, g8.statistics} (each implies the other); z: both empty.
    assert c.report.micro() == (1.0, 0.75)
    assert c.by_framework["odc"].micro() == (1.0, 0.0)
    assert c.identical == pytest.approx(2 / 3)
    assert c.disagreeing() == ["s#x"]


def test_quotas_follow_split_sizes() -> None:
    assert quotas({"tune": 300, "holdout": 100}, 40) == {"tune": 30, "holdout": 10}
    q = quotas({"a": 1, "b": 1, "c": 1}, 2)
    assert q == {"a": 1, "b": 1, "c": 0}
    assert sum(quotas({"x": 345, "y": 113, "z": 87}, 150).values()) == 150


def test_the_committed_second_reading_names_known_categories() -> None:
    ids = set(builtin_taxonomy().ids())
    text = SECOND.read_text(encoding="utf-8").splitlines()
    assert text[0] == "split,source,identifier,categories,note"
    c = compare()
    assert all(lb.categories <= ids for lb in c.second.values())
