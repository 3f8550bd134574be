#!/usr/bin/env python3
"""Keep the questionnaire's structure in line with the OECD's published item list.

Reads the DGI 2023 data points and weights (``oecd_dgi2023_survey_items_weights_extracted.csv``
in the shared benchmarks folder, by path) and rewrites the structural fields of every item
in ``src/govlens/maturity/data/questionnaire.yaml``: ``id``, ``dgi``, ``dimension``, ``facet``,
``weight``, ``facet_weight`` and ``dgi_type``, in the published order. Everything written by
hand (wording, options, points, principles, level, measured indicators) is kept. An item in
the CSV that the questionnaire lacks gets a skeleton to fill in; an item no longer in the CSV
is an error.

Usage: derive_questionnaire.py [--csv PATH] [--check]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "src/govlens/maturity/data/questionnaire.yaml"
CSV_NAME = "oecd_dgi2023_survey_items_weights_extracted.csv"
DIMENSIONS = {
    "Digital by design": "digital_by_design",
    "Data-driven public sector": "data_driven",
    "Government as a platform": "government_as_a_platform",
    "Open by default": "open_by_default",
    "User-driven": "user_driven",
    "Proactiveness": "proactiveness",
}
FACETS = {
    "Strategic Approach": "strategic_approach",
    "Policy levers": "policy_levers",
    "Implementation": "implementation",
    "Monitoring": "monitoring",
}
STRUCTURAL = ("id", "dgi", "dimension", "facet", "weight", "facet_weight", "dgi_type")
AUTHORED = ("scale", "level", "principles", "en", "es", "options", "measure")


def default_csv() -> Path:
    for base in (ROOT.parent / "shared/data", Path("/work/shared/data")):
        if (base / "benchmarks" / CSV_NAME).is_file():
            return base / "benchmarks" / CSV_NAME
    raise SystemExit(f"cannot find {CSV_NAME}; pass --csv")


def item_id(question: str) -> str:
    return "q" + question.strip().lower()


def structural_rows(path: Path) -> list[dict[str, Any]]:
    """The published data points, as the questionnaire's structural fields."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "id": item_id(r["question"]),
            "dgi": r["question"].strip(),
            "dimension": DIMENSIONS[r["dimension"].strip()],
            "facet": FACETS[r["transversal_facet"].strip()],
            "weight": float(r["weight_pct_of_CS"]),
            "facet_weight": float(r["facet_weight_pct_of_CS"]),
            "dgi_type": " ".join(r["question_type"].split()),
        }
        for r in rows
    ]


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=100000, sort_keys=False,
                          allow_unicode=True).strip()
    return text[:-4].strip() if text.endswith("\n...") else text


def render_item(item: dict[str, Any]) -> str:
    lines = [f"  - id: {item['id']}"]
    for key in STRUCTURAL[1:] + AUTHORED:
        if key not in item:
            continue
        value = item[key]
        if key == "options":
            lines.append("    options:")
            lines.extend(f"      - {_flow(opt)}" for opt in value)
        elif key == "dgi":
            lines.append(f'    dgi: "{value}"')
        else:
            lines.append(f"    {key}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def derive(csv_path: Path, text: str) -> str:
    head, sep, _ = text.partition("\nitems:\n")
    if not sep:
        raise SystemExit("questionnaire.yaml has no 'items:' section")
    authored = {str(i["dgi"]): i for i in yaml.safe_load(text)["items"]}
    published = structural_rows(csv_path)
    gone = set(authored) - {r["dgi"] for r in published}
    if gone:
        raise SystemExit(f"items not in the published list: {sorted(gone)}")
    out = [head, sep]
    for row in published:
        own = authored.get(row["dgi"], {"scale": "yes_no", "level": "all", "principles": [],
                                        "en": "TODO", "es": "TODO"})
        out.append(render_item({**row, **{k: own[k] for k in AUTHORED if k in own}}))
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=None)
    ap.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")
    args = ap.parse_args(argv)
    current = TARGET.read_text(encoding="utf-8")
    new = derive(args.csv or default_csv(), current)
    if args.check:
        if new != current:
            print("questionnaire.yaml is out of date; run scripts/maturity/derive_questionnaire.py")
            return 1
        return 0
    TARGET.write_text(new, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
