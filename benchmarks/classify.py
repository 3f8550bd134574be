"""Precision and recall of the coverage classifier on the hand-labelled real records.

    python benchmarks/classify.py                 # the tune split
    python benchmarks/classify.py --split holdout # the held-out split
    python benchmarks/classify.py --split holdout2 # the second held-out split
    python benchmarks/classify.py --split holdout3 # the third held-out split
    python benchmarks/classify.py --split holdout4 # the fourth held-out split (unseen in the sixth tuning)
    python benchmarks/classify.py --split holdout5 # the fifth held-out split (unseen in the seventh tuning, printed once after it)
    python benchmarks/classify.py --split holdout6 # the sixth held-out split (labelled blind; unseen in the eighth round, printed once after it)
    python benchmarks/classify.py --split holdout7 # the seventh held-out split (labelled blind; unseen in the ninth round)
    python benchmarks/classify.py --split seen    # the seven seen splits together (coverage_eval.SEEN)
    python benchmarks/classify.py --split all --errors  # the same: never a split drawn after them
    python benchmarks/classify.py --no-eval --matrix # on-demand matrix from a store
    python benchmarks/classify.py --rules-only    # without the embedding signal (embed extra)
    python benchmarks/classify.py --learned       # with the embedding signal's learned decision

Prints precision and recall per category and overall (micro over the
categories present, micro over all categories, macro), lists the errors with
their evidence, and times the classifier on every record of the corpus
against a baseline (a plain substring search of the same phrases), and with
the embedding signal when the ``embed`` extra is installed. With
``--matrix`` it also harvests the corpus into a temporary SQLite store and
times ``govlens.coverage.service.coverage`` (decode, classify, quality facts,
matrix), the on-demand path ``govlens coverage`` takes.
Labels: benchmarks/data/coverage_labels.csv; guide: docs/coverage-labelling.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import shared_data_dir
from coverage_corpus import records
from coverage_eval import SEEN, Evaluation, evaluate

from govlens.coverage.classify import AUTO, classify, evidence
from govlens.coverage.embed import Signal, default_signal
from govlens.coverage.evaluate import Report
from govlens.coverage.terms import builtin_table
from govlens.coverage.text import fold


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.2f}"


def print_report(ev: Evaluation, show_errors: bool, only: str | None = None) -> None:
    rep = ev.report
    print(f"split {ev.split}: {rep.datasets} labelled datasets")
    print(f"{'category':40} {'supp':>4} {'tp':>4} {'fp':>4} {'fn':>4}  prec  recall")
    for c in rep.categories:
        if c.support or c.fp:
            print(f"{c.category:40} {c.support:4} {c.tp:4} {c.fp:4} {c.fn:4} {fmt(c.precision)} {fmt(c.recall)}")
    p, r = rep.micro(present_only=True)
    print(f"\nmicro, {len(rep.present)} categories present: precision {p:.3f}  recall {r:.3f}")
    p, r = rep.micro(present_only=False)
    print(f"micro, all categories (false positives in absent ones count): precision {p:.3f}  recall {r:.3f}")
    p, r = rep.macro()
    print(f"macro over categories present: precision {p:.3f}  recall {r:.3f}")
    for fw in ("odc", "hvd", "g8"):
        sub = Report(rep.datasets, tuple(c for c in rep.categories if c.category.startswith(fw + ".")))
        p, r = sub.micro(present_only=True)
        print(f"  {fw:4} micro, {len(sub.present)} categories present: precision {p:.3f}  recall {r:.3f}")
    if not show_errors:
        return
    print("\nerrors (- missed, + wrong):")
    table = builtin_table()
    for lb in ev.labels:
        got = ev.predicted[lb.key]
        missed, wrong = lb.categories - got, got - lb.categories
        if only:
            missed, wrong = frozenset(c for c in missed if c == only), frozenset(c for c in wrong if c == only)
        if not missed and not wrong:
            continue
        ds = ev.records[lb.key].dataset
        print(f"  {lb.identifier[:60]}  | {(ds.title or '')[:70]}")
        allev = evidence(ds, table)
        for cat in sorted(missed):
            conf, evs = allev.get(cat, (0.0, ()))
            print(f"     - {cat} ({conf:.2f}) {[(e.field, e.value, e.weight) for e in evs[:4]]}")
        for cat in sorted(wrong):
            conf, evs = allev.get(cat, (0.0, ()))
            print(f"     + {cat} ({conf:.2f}) {[(e.field, e.value, e.weight) for e in evs[:4]]}")


def _best(passes: int, run) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(passes):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def timing(root: Path, learned: bool = False) -> None:
    """Best of three passes for both (the first pass also fills the stem cache)."""
    datasets = [r.dataset for r in records(root)]
    table = builtin_table()
    phrases = {
        fold(p)
        for c in table.taxonomy.categories
        for group in (c.terms.strong, c.terms.weak)
        for ps in group.values()
        for p in ps
    }

    def ours() -> None:
        for d in datasets:
            classify(d, table, similar=None)

    def baseline() -> None:
        for d in datasets:
            text = fold(" ".join([d.title or "", *d.keywords, (d.description or "")[:1500]]))
            sum(1 for p in phrases if p in text)

    t_ours, t_base = _best(3, ours), _best(3, baseline)
    n = len(datasets)
    n_matches = sum(len(classify(d, table, similar=None)) for d in datasets)
    print(
        f"\ntiming over {n} records (best of 3 passes): govlens classify, rules, {n / t_ours:,.0f} datasets/s "
        f"({n_matches} matches); baseline substring scan of {len(phrases)} phrases "
        f"{n / t_base:,.0f} datasets/s; ratio {t_base / t_ours:.1f}x"
    )
    print(f"projected for 1,000,000 datasets on one core: {1_000_000 * t_ours / n:,.0f} s")
    signal = default_signal(learned=learned)
    if signal is None:
        print("embedding signal: the embed extra is not installed")
        return
    embedded = [0]

    def encode(texts: list[str]):  # type: ignore[no-untyped-def]
        embedded[0] += len(texts)
        return signal.encode(texts)

    counting = Signal(encode, signal.exemplars, learned=signal.learned)
    signal.encode(["warm up"])  # load the model once, outside the timing
    t_emb = _best(1, lambda: [classify(d, table, similar=counting) for d in datasets])
    print(
        f"with the embedding signal{', learned decision,' if learned else ''} (one pass): {n / t_emb:,.0f} datasets/s, {embedded[0]} of {n} datasets "
        f"at the decision boundary embedded ({signal.exemplars.model}); {t_emb / t_ours:.1f}x the rules' time; "
        f"projected for 1,000,000 datasets on one core: {1_000_000 * t_emb / n:,.0f} s"
    )


def matrix(root: Path) -> None:
    import tempfile

    from coverage_corpus import CKAN_DIR, DATAJSON_FILES, SINGLE_RECORDS

    from govlens.config import Settings
    from govlens.coverage.cache import CLASSIFICATIONS
    from govlens.coverage.service import coverage
    from govlens.run.harvest import harvest
    from govlens.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/coverage.sqlite"
        for rel in (CKAN_DIR, *DATAJSON_FILES, *SINGLE_RECORDS):
            info = harvest(Settings(db_url=url), str(root / rel), catalogue=rel)
            if info.status != "complete":
                raise SystemExit(f"harvest of {rel} failed: {info.errors}")
        with Store.open(url) as store:
            cov = coverage(store)  # each pass classifies afresh, as the first request for a run does
            def afresh() -> object:
                CLASSIFICATIONS.clear()
                return coverage(store)

            took = _best(3, afresh)
    n = sum(c.datasets for c in cov.catalogues)
    print(
        f"\non-demand matrix (best of 3) of {len(cov.catalogues)} stored catalogues, {n} datasets: {took:.2f} s "
        f"({n / took:,.0f} datasets/s); projected for 1,000,000 datasets: {1_000_000 * took / n:,.0f} s"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--split",
        default="tune",
        choices=["tune", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "seen", "all"],
    )
    ap.add_argument("--errors", action="store_true", help="list every error with its evidence")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--no-eval", action="store_true", help="skip the precision and recall figures")
    ap.add_argument("--matrix", action="store_true", help="time the on-demand matrix of a stored corpus")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--category", default=None, help="list only the errors on this category")
    ap.add_argument(
        "--learned", action="store_true", help="the embedding signal's learned decision (in-sample on these labels)"
    )
    ap.add_argument(
        "--rules-only", action="store_true", help="without the embedding signal even when the embed extra is installed"
    )
    args = ap.parse_args()
    root = shared_data_dir()
    if root is None:
        print("the shared data folder is absent; set GOVLENS_SHARED_DATA", file=sys.stderr)
        return 2
    splits = {"all": SEEN, "seen": SEEN}.get(args.split, (args.split,))
    if not args.no_eval:
        signal = None if args.rules_only else default_signal(learned=args.learned)
        how = "" if signal is None else f" + embedding signal ({signal.exemplars.model})"
        print(f"classifier: rules{how}{', learned decision' if args.learned and signal else ''}")
        ev = evaluate(root, splits, args.threshold, similar=None if args.rules_only else signal or AUTO)
        print_report(ev, args.errors or bool(args.category), args.category)
    if not args.no_timing:
        timing(root, args.learned)
    if args.matrix:
        matrix(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
