"""Draw the records to label for the coverage evaluation (reproducible).

    python benchmarks/coverage_sample.py tune      # the tuning sample
    python benchmarks/coverage_sample.py holdout   # drawn after tuning, from the rest
    python benchmarks/coverage_sample.py holdout2  # drawn after the second tuning, from the rest
    python benchmarks/coverage_sample.py holdout3  # drawn after the fourth tuning, from the rest
    python benchmarks/coverage_sample.py holdout4  # drawn after the fifth tuning, from the rest
    python benchmarks/coverage_sample.py holdout5  # drawn after the sixth tuning, from the rest
    python benchmarks/coverage_sample.py holdout6  # drawn after the seventh tuning, from the rest
    python benchmarks/coverage_sample.py holdout7  # drawn after the eighth round, from the rest

Prints ``source<TAB>identifier`` lines. The ``tune`` draw mixes a random
sample per source and organisation with small keyword pools per kind of
dataset, so rare categories have positives. The ``holdout`` draw is random
per source and organisation among the records not labelled yet, with no
keyword pools, so its figures are not inflated by how records were picked.
See docs/coverage-labelling.md.
"""

from __future__ import annotations

import csv
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import shared_data_dir
from coverage_corpus import Record, records

LABELS = Path(__file__).resolve().parent / "data" / "coverage_labels.csv"

# Share of each organisation (CKAN) or file (data.json) drawn at random, and the floor per group.
RATE = {"tune": 0.10, "holdout": 0.05, "holdout2": 0.05, "holdout3": 0.05, "holdout4": 0.05, "holdout5": 0.05, "holdout6": 0.05, "holdout7": 0.05}
FLOOR = {"tune": 2, "holdout": 1, "holdout2": 1, "holdout3": 1, "holdout4": 1, "holdout5": 1, "holdout6": 1, "holdout7": 1}
CAP = {"tune": 40, "holdout": 20, "holdout2": 20, "holdout3": 20, "holdout4": 20, "holdout5": 20, "holdout6": 20, "holdout7": 20}
# Small real catalogues labelled whole.
WHOLE = ("ar-pydatajson/samples/catalogo-justicia.json", "mx-adela/inegi.json")

# Keyword pools for the tune draw (title and keywords only), up to POOL_TAKE records each.
POOL_TAKE = 3
POOLS = {
    "procurement": r"contrat|licitac|compras|procure|acquisition|solicitation|tender",
    "contracts": r"\bcontracts?\b|contratos|leases?\b|alquiler",
    "suppliers": r"proveedor|vendor|supplier|contractor",
    "budget": r"presupuest|budget|appropriat",
    "spending": r"\bgasto|spending|expenditur|payments?\b|\bpagos?\b|treasury statement",
    "grants": r"subsid|subvenc|\bgrants?\b|beneficiari|assistance",
    "audit": r"auditor|\baudit|inspector general",
    "declarations": r"declarac|disclos|obsequi|gift|intereses",
    "lobbying": r"lobby|gestion de intereses|audiencias",
    "property": r"catastr|inmueble|real property|real estate|propert|parcel",
    "licences": r"concesi|licenc|licens|permis|permit|habilitac",
    "tax": r"impuest|tribut|recaudac|\btax",
    "sanctions": r"sancion|debar|exclu|sanction",
    "elections": r"elecci|electoral|election|vot",
    "regulation": r"normativ|\bleyes\b|decreto|regulat|rulemaking|federal register",
    "courts": r"judicial|tribunal|court|causas|juzgado",
    "companies": r"sociedad|compan|corporat|empresa|business",
    "officials": r"funcionari|autoridades|magistrad|salar|official|workforce|personal",
    "weather": r"meteor|weather|clima|lluvi|precipit",
    "transport": r"transporte|transit|traffic|aeropuert|airport|ferrocarril|rail|vial",
    "geography": r"boundar|limite|mapa|\bmap\b|cartograf|geograf|direccion",
    "environment": r"ambient|environment|emision|emission|agua|water|residuo|waste",
    "statistics": r"estadist|statistic|indice|indicador|census|censo|serie",
    "aid": r"cooperaci|foreign|\baid\b|internacional",
    "projects": r"obras? public|proyecto|capital project|inversion",
}


def fold(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c)
    )


def group_of(r: Record) -> str:
    pub = r.dataset.publisher
    if r.source.startswith("ar-ckan") and pub is not None:
        return f"{r.source.split('/')[0]}:{pub.key}"
    return r.source


def labelled() -> set[tuple[str, str]]:
    if not LABELS.is_file():
        return set()
    with LABELS.open(encoding="utf-8") as fh:
        return {(row["source"], row["identifier"]) for row in csv.DictReader(fh)}


def draw(split: str) -> list[Record]:
    root = shared_data_dir()
    if root is None:
        raise SystemExit("the shared data folder is absent; set GOVLENS_SHARED_DATA")
    done = labelled() if split != "tune" else set()
    rng = random.Random(f"govlens-coverage-{split}")
    pool: list[Record] = []
    seen: set[tuple[str, str]] = set()
    for r in records(root):
        key = (r.source, r.identifier)
        if key in seen or key in done:
            continue  # duplicated identifiers in a file, or already labelled
        seen.add(key)
        pool.append(r)
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in pool:
        groups[group_of(r)].append(r)
    chosen: dict[tuple[str, str], Record] = {}
    for g in sorted(groups):
        members = groups[g]
        n = min(len(members), max(FLOOR[split], min(CAP[split], round(len(members) * RATE[split]))))
        if g in WHOLE:
            n = len(members)
        for r in rng.sample(members, n):
            chosen[(r.source, r.identifier)] = r
    if split == "tune":
        for pattern in POOLS.values():
            rx = re.compile(pattern)
            hits = [
                r for r in pool
                if (r.source, r.identifier) not in chosen
                and rx.search(fold(" ".join([r.dataset.title or "", *r.dataset.keywords])))
            ]
            for r in rng.sample(hits, min(POOL_TAKE, len(hits))):
                chosen[(r.source, r.identifier)] = r
    return list(chosen.values())


def main(argv: list[str]) -> int:
    split = argv[1] if len(argv) > 1 else "tune"
    if split not in RATE:
        print("usage: coverage_sample.py tune|holdout|holdout2|holdout3|holdout4|holdout5|holdout6|holdout7", file=sys.stderr)
        return 2
    for r in draw(split):
        print(f"{r.source}\t{r.identifier}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
