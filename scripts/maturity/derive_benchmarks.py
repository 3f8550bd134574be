#!/usr/bin/env python3
"""Build govlens's benchmark package data from the published tables, read by path.

Inputs (the shared benchmarks folder, see its MANIFEST.md):
  oecd_dgi2019_table7_extracted.csv      DGI 2019, Table 7 (scores as printed)
  oecd_dgi2023_dimensions_bipa.csv       DGI 2023, Table A.1 (dimension scores, composite, rank)
  oecd_ourdata2023_subpillars_bipa.csv   OURdata 2023 pillars and sub-pillars (unweighted, 0-1)
  oecd_dgi2023_ourdata2023_gaag2025.csv  OECD SDMX export (OURdata 2023 composite, OECD average)
  un_egdi_2020.csv, un_egdi_2022.csv, un_egdi_2024.csv
  wb_govtech_gtmi_2020_2022_clean.xlsx   GTMI 2020 and 2022
  mexico_peers_benchmark_summary_derived.csv (the reference peer set)

Output: src/govlens/maturity/data/benchmarks.json. Values are copied as published;
averages that the sources do not print are computed here and listed in the average's
``derived`` field (the names of the computed figures).

Needs openpyxl (xlsx) and pycountry (country names), both in the dev extra.
Usage: derive_benchmarks.py [--data DIR] [--check]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "src/govlens/maturity/data/benchmarks.json"
OECD_MEMBERS = ["AUS", "AUT", "BEL", "CAN", "CHL", "COL", "CRI", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "ISL", "IRL", "ISR", "ITA", "JPN", "KOR", "LVA", "LTU", "LUX", "MEX", "NLD", "NZL", "NOR", "POL", "PRT", "SVK", "SVN", "ESP", "SWE", "CHE", "TUR", "GBR", "USA"]
NAME_OVERRIDES = {
    "Korea": "KOR",
    "Republic of Korea": "KOR",
    "Democratic Republic of the Congo": "COD",
    "Georgia (Country)": "GEO",
    "Iran (Islamic Republic of)": "IRN",
    "Micronesia (Federated States of)": "FSM",
}
DIMENSIONS = ("digital_by_design", "data_driven", "government_as_a_platform", "open_by_default",
              "user_driven", "proactiveness")
DGI2019_COLUMNS = ("digital_by_design", "data_driven", "gov_as_platform", "open_by_default",
                   "user_driven", "proactiveness")
DGI2023_VARIABLES = ("digital_design", "data_driven", "govt_as_platform", "open_default",
                     "user_driven", "proactiveness")
PILLARS = {"availability": "availability", "accessibility": "accessibility", "reuse": "reuse"}
SUBPILLARS = ("availability_policy", "availability_release", "availability_implementation",
              "accessibility_policy", "accessibility_release", "accessibility_implementation",
              "reuse_promotion", "reuse_dataliteracy", "reuse_monitoring")
BIPA = "blavatnik-index/bipa2024_sourcedata@088271d0d6a9c1717d925073166fde8a54f0428b"
SOURCES: dict[str, dict[str, str]] = {
    "dgi2019": {
        "title": "OECD (2020), Digital Government Index: 2019 results, Table 7",
        "file": "oecd_dgi2019_table7_extracted.csv",
        "origin": f"{BIPA} data_raw/OECD_DGI_2023/oecd_2019_digital_government_index_method_b00142a4-en.pdf",
        "terms": "OECD terms: re-use permitted for any purpose",
    },
    "dgi2023": {
        "title": "OECD (2024), 2023 OECD Digital Government Index: Results and Key Findings, Table A.1",
        "file": "oecd_dgi2023_dimensions_bipa.csv",
        "origin": f"{BIPA} data_raw/OECD_DGI_2023/oecd_dgi_2023.csv",
        "terms": "OECD terms: re-use permitted for any purpose",
    },
    "ourdata2023": {
        "title": "OECD (2023), OURdata Index 2023: composite (Government at a Glance 2025 data) "
                 "and pillar and sub-pillar scores",
        "file": "oecd_dgi2023_ourdata2023_gaag2025.csv; oecd_ourdata2023_subpillars_bipa.csv",
        "origin": "OECD SDMX DF_GOV_DGOGD_2025 (copy in LeeSeogMin/president@22f6d54); "
                  f"{BIPA} data_raw/OECD_OURDATA_2023/oecd_ourdata_2023.csv",
        "terms": "OECD terms: re-use permitted for any purpose",
    },
    "egdi": {
        "title": "United Nations E-Government Survey 2020, 2022 and 2024: EGDI and components",
        "file": "un_egdi_2020.csv; un_egdi_2022.csv; un_egdi_2024.csv",
        "origin": "UN DESA EGOVKB data, copies listed in MANIFEST.md",
        "terms": "UN DESA data",
    },
    "gtmi": {
        "title": "World Bank GovTech Maturity Index 2020 and 2022",
        "file": "wb_govtech_gtmi_2020_2022_clean.xlsx",
        "origin": "hawa-at/ht_portfolio_work@4e3f27f data/Clean_GovTech.xlsx (World Bank GovTech dataset)",
        "terms": "World Bank GovTech dataset, CC BY 4.0",
    },
}


def default_data() -> Path:
    for base in (ROOT.parent / "shared/data/benchmarks", Path("/work/shared/data/benchmarks")):
        if (base / "MANIFEST.md").is_file():
            return base
    raise SystemExit("cannot find the shared benchmarks folder; pass --data")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def iso3(name: str) -> str:
    import pycountry

    name = name.strip()
    if name in NAME_OVERRIDES:
        return NAME_OVERRIDES[name]
    return str(pycountry.countries.lookup(name).alpha_3)


def num(text: str | None, ndigits: int | None = None) -> float | None:
    if text is None or str(text).strip() in ("", "NA", "New"):
        return None
    value = float(text)
    return round(value, ndigits) if ndigits is not None else value


def mean_of(countries: dict[str, dict[str, Any]], key: str, members: list[str]) -> float | None:
    vals = [countries[c][key] for c in members if c in countries and countries[c].get(key) is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def dgi2019(data: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    oecd: dict[str, Any] = {}
    for r in rows(data / "oecd_dgi2019_table7_extracted.csv"):
        entry = {d: num(r[c]) for d, c in zip(DIMENSIONS, DGI2019_COLUMNS, strict=True)}
        entry["composite"] = num(r["composite"])
        if r["country"].strip() == "OECD":
            oecd = {**entry, "derived": []}
            continue
        entry["rank"] = int(r["rank_composite"])
        out[iso3(r["country"])] = entry
    return {"source": "dgi2019", "countries": out, "oecd_average": oecd}


def dgi2023(data: Path) -> dict[str, Any]:
    by: dict[str, dict[str, Any]] = defaultdict(dict)
    names = dict(zip(DGI2023_VARIABLES, DIMENSIONS, strict=True))
    for r in rows(data / "oecd_dgi2023_dimensions_bipa.csv"):
        var, c = r["variable"], r["cc_iso3c"]
        if var in names:
            by[c][names[var]] = num(r["value"])
        elif var == "composite_index":
            by[c]["composite"] = num(r["value"])
        elif var == "composite_rank":
            by[c]["rank"] = int(float(r["value"]))
    ranked = [c for c in by if "rank" in by[c]]
    oecd = {k: round(mean_of(by, k, ranked) or 0.0, 3) for k in (*DIMENSIONS, "composite")}
    oecd["derived"] = [*DIMENSIONS, "composite"]
    oecd["note"] = (f"mean of the {len(ranked)} ranked OECD members' published scores; equals the "
                    "OECD row of Table A.1 (0.684, 0.633, 0.615, 0.525, 0.607, 0.567; 0.605)")
    return {"source": "dgi2023", "countries": dict(sorted(by.items())), "oecd_average": oecd}


def ourdata2023(data: Path) -> dict[str, Any]:
    sub: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rows(data / "oecd_ourdata2023_subpillars_bipa.csv"):
        sub[r["cc_iso3c"]][r["variable"]] = num(r["value"])
    composite: dict[str, float] = {}
    for r in rows(data / "oecd_dgi2023_ourdata2023_gaag2025.csv"):
        if r["MEASURE"] == "OUR":
            composite[r["REF_AREA"]] = float(r["OBS_VALUE"])
    out: dict[str, Any] = {}
    for c, v in sorted(sub.items()):
        out[c] = {
            "composite": composite.get(c),
            **{p: v[f"{p}_score"] for p in PILLARS},
            "subpillars": {s: v[s] for s in SUBPILLARS},
        }
    members = [c for c in out if c in OECD_MEMBERS]
    oecd: dict[str, Any] = {"composite": composite.get("OECD_REP")}
    oecd.update({p: round(mean_of(out, p, members) or 0.0, 3) for p in PILLARS})
    oecd["derived"] = list(PILLARS)
    oecd["note"] = ("composite as published (OECD_REP); pillars are the mean of the "
                    f"{len(members)} OECD members with data")
    return {"source": "ourdata2023", "countries": out, "oecd_average": oecd}


_UN_COLUMNS = ("Country Name", "E-Government Rank", "E-Government Index", "Online Service Index",
               "Human Capital Index", "Telecommunication Infrastructure Index",
               "E-Participation Index")
EGDI_COLUMNS = {
    "2020": _UN_COLUMNS,
    "2022": _UN_COLUMNS,
    # The 2024 copy has its columns renamed (see MANIFEST.md).
    "2024": ("Country", "Rank", "E_Index", "Online_Service", "Human_Capital", "Tele_Infra",
             "E_Participation"),
}


def egdi(data: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for year, cols in EGDI_COLUMNS.items():
        name, rank, idx, osi, hci, tii, epi = cols
        countries: dict[str, Any] = {}
        for r in rows(data / f"un_egdi_{year}.csv"):
            countries[iso3(r[name])] = {
                "egdi": num(r[idx]), "rank": int(r[rank]), "osi": num(r[osi]),
                "hci": num(r[hci]), "tii": num(r[tii]), "epi": num(r[epi]),
            }
        members = [c for c in countries if c in OECD_MEMBERS]
        out[year] = {
            "source": "egdi",
            "countries": dict(sorted(countries.items())),
            "oecd_average": {"egdi": mean_of(countries, "egdi", members), "derived": ["egdi"],
                             "note": f"mean of the {len(members)} OECD members"},
            "world_average": {"egdi": mean_of(countries, "egdi", list(countries)), "derived": ["egdi"],
                              "note": f"mean of the {len(countries)} UN member states"},
        }
    return out


def gtmi(data: Path) -> dict[str, Any]:
    import openpyxl

    wb = openpyxl.load_workbook(data / "wb_govtech_gtmi_2020_2022_clean.xlsx", read_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    table = list(ws.iter_rows(values_only=True))
    head = list(table[0])
    year_i, code_i, grp_i, gtmi_i = (head.index(k) for k in ("Year", "Code", "Grp", "GTMI"))
    out: dict[str, Any] = {}
    for r in table[1:]:
        if r[year_i] is None or r[gtmi_i] is None:
            continue
        year = str(int(r[year_i]))
        out.setdefault(year, {"source": "gtmi", "countries": {}})
        out[year]["countries"][str(r[code_i])] = {"gtmi": round(float(r[gtmi_i]), 6),
                                                   "group": str(r[grp_i])}
    for block in out.values():
        cs = block["countries"]
        members = [c for c in cs if c in OECD_MEMBERS]
        block["countries"] = dict(sorted(cs.items()))
        block["oecd_average"] = {"gtmi": mean_of(cs, "gtmi", members), "derived": ["gtmi"],
                                 "note": f"mean of the {len(members)} OECD members"}
        block["world_average"] = {"gtmi": mean_of(cs, "gtmi", list(cs)), "derived": ["gtmi"],
                                  "note": f"mean of the {len(cs)} economies"}
    return out


def country_names(codes: set[str]) -> dict[str, Any]:
    import pycountry

    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    out = {}
    for c in sorted(codes):
        rec = pycountry.countries.get(alpha_3=c)
        if rec is None:
            continue
        en = getattr(rec, "common_name", None) or rec.name
        out[c] = {"en": en, "es": es.gettext(rec.name), "oecd": c in OECD_MEMBERS}
    return out


def build(data: Path) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "govlens-benchmarks/1",
        "note": "Published results of the OECD, the UN and the World Bank, copied as published. "
                "Averages marked derived are computed by govlens from the same tables.",
        "sources": SOURCES,
        "dgi": {"2019": dgi2019(data), "2023": dgi2023(data)},
        "ourdata": {"2023": ourdata2023(data)},
        "egdi": egdi(data),
        "gtmi": gtmi(data),
        "oecd_members": OECD_MEMBERS,
        "reference_peers": [r["iso3"] for r in rows(data / "mexico_peers_benchmark_summary_derived.csv")
                            if r["iso3"] != "OECD_REP"],
    }
    codes: set[str] = set()
    for family in ("dgi", "ourdata", "egdi", "gtmi"):
        for block in doc[family].values():
            codes |= set(block["countries"])
    doc["countries"] = country_names(codes)
    return doc


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")
    args = ap.parse_args(argv)
    text = render(build(args.data or default_data()))
    if args.check:
        same = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
        if not same:
            print("benchmarks.json is out of date; run scripts/maturity/derive_benchmarks.py")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
