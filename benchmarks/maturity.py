"""Maturity evaluation: what every maturity page and the review report compute.

Builds a SQLite database with N institutions (default 300) that each answer every item
they may answer (about 140 answers each; 42,000 rows at the default), plus the centre.
Then, side by side in one run:

* the floor: reading every answer row from the database (SQLAlchemy Core, no decoding);
* govlens: ``evaluate(store)``: read and decode the answers, score every institution and
  the whole government (dimensions, facets, principles), rank recommendations;
* the pure scoring alone (``score_all``) on answers already in memory.

Prints the median of R repetitions (default 5) and the ratio of evaluate to the floor.

    python benchmarks/maturity.py [--institutions 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from govlens.maturity.indicators import EMPTY
from govlens.maturity.questionnaire import Item, load_questionnaire
from govlens.maturity.scoring import score_all
from govlens.model import CENTRE, Answer
from govlens.run.maturity import evaluate
from govlens.store import Store
from govlens.store import schema as t
from govlens.store.maturity import MaturityStore


def value(item: Item, rng: random.Random) -> object:
    if item.kind == "choice":
        return rng.choice(item.options).key
    if item.kind in ("percent", "percent_inverse"):
        return float(rng.randint(0, 100))
    return tuple(o.key for o in item.options if rng.random() < 0.5)


def build(path: Path, n: int) -> Store:
    rng = random.Random(7)
    q = load_questionnaire()
    store = Store.open(f"sqlite:///{path}")
    ms = MaturityStore(store)
    answers = [Answer(CENTRE, i.id, value(i, rng)) for i in q.items]  # type: ignore[arg-type]
    for k in range(n):
        iid = f"inst{k:04d}"
        ms.add_institution(iid, f"Institution {k}", [f"pub{k}"])
        answers += [Answer(iid, i.id, value(i, rng)) for i in q.items if i.level == "all"]  # type: ignore[arg-type]
    for start in range(0, len(answers), 5000):
        ms.save_answers(answers[start:start + 5000])
    return store


def timed(fn: object, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--institutions", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "bench.sqlite", args.institutions)
        ms = MaturityStore(store)
        answers = ms.answers()
        insts = [i.id for i in ms.institutions()]
        q = load_questionnaire()

        def floor() -> None:
            with store.engine.connect() as conn:
                conn.execute(sa.select(t.mat_answers)).all()

        floor_s = timed(floor, args.repeat)
        eval_s = timed(lambda: evaluate(store), args.repeat)
        score_s = timed(lambda: score_all(q, answers, EMPTY, insts), args.repeat)
        store.close()
    print(f"institutions: {args.institutions}, answers: {len(answers)}, repeat: {args.repeat} (median)")
    print(f"floor, read the answer rows:     {floor_s * 1000:8.1f} ms")
    print(f"govlens evaluate (read+score+recommend): {eval_s * 1000:8.1f} ms")
    print(f"govlens score_all alone:         {score_s * 1000:8.1f} ms")
    print(f"ratio evaluate / floor:          {eval_s / floor_s:8.1f}x")


if __name__ == "__main__":
    main()
