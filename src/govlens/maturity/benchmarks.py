"""Published benchmarks: OECD DGI 2019 and 2023, OURdata 2023, UN EGDI 2020-2024 and
World Bank GTMI 2020-2022, shipped as package data (``data/benchmarks.json``, built by
``scripts/maturity/derive_benchmarks.py`` from the published tables)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from govlens.errors import ConfigError

FAMILIES = ("dgi", "ourdata", "egdi", "gtmi")
#: The headline number of each family's entries.
HEADLINE = {"dgi": "composite", "ourdata": "composite", "egdi": "egdi", "gtmi": "gtmi"}
SELF_LABEL = "self-assessed (govlens), not an OECD result"


@functools.lru_cache(maxsize=1)
def load_benchmarks() -> dict[str, Any]:
    """The benchmark document shipped with govlens (treat it as read-only)."""
    text = resources.files("govlens.maturity").joinpath("data/benchmarks.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def editions(family: str) -> list[str]:
    return sorted(load_benchmarks()[family])


def country_codes() -> list[str]:
    doc = load_benchmarks()
    codes: set[str] = set()
    for family in FAMILIES:
        for block in doc[family].values():
            codes |= set(block["countries"])
    return sorted(codes)


def country_name(code: str, lang: str = "en") -> str:
    names = load_benchmarks()["countries"].get(code)
    return str(names[lang]) if names else code


def _check_country(code: str) -> str:
    code = code.strip().upper()
    if code not in set(country_codes()):
        raise ConfigError("no published benchmark for this country (use an ISO 3166 alpha-3 code)",
                          country=code)
    return code


def results(code: str) -> dict[str, dict[str, Any]]:
    """Every published result of one country: ``{family: {edition: entry or None}}``."""
    doc = load_benchmarks()
    return {
        family: {ed: doc[family][ed]["countries"].get(code) for ed in editions(family)}
        for family in FAMILIES
    }


def oecd_average() -> dict[str, dict[str, Any]]:
    doc = load_benchmarks()
    return {f: {ed: doc[f][ed].get("oecd_average") for ed in editions(f)} for f in FAMILIES}


def default_peers(code: str) -> list[str]:
    """The reference peer set (Mexico's peers in the published comparison), less ``code``."""
    return [c for c in load_benchmarks()["reference_peers"] if c != code]


def country_view(
    code: str,
    peers: Sequence[str] | None = None,
    self_assessment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One country against the OECD average and its peers, across families and editions.

    ``self_assessment`` (a scores dict) is added under its own key and labelled as
    self-assessed; it never mixes with the published figures.
    """
    code = _check_country(code)
    peer_codes = [_check_country(p) for p in (peers if peers is not None else default_peers(code))]
    doc = load_benchmarks()
    view: dict[str, Any] = {
        "country": code,
        "name": doc["countries"].get(code, {"en": code, "es": code}),
        **results(code),
        "oecd_average": oecd_average(),
        "peers": {p: {"name": doc["countries"].get(p, {"en": p, "es": p}), **results(p)}
                  for p in peer_codes},
        "self_assessment": None,
        "sources": doc["sources"],
    }
    if self_assessment is not None:
        view["self_assessment"] = {**self_assessment, "label": SELF_LABEL}
    return view


def headline_table() -> list[dict[str, Any]]:
    """One row per country: the latest headline figure of each family."""
    doc = load_benchmarks()
    latest = {f: editions(f)[-1] for f in FAMILIES}
    rows = []
    for code in country_codes():
        row: dict[str, Any] = {"country": code, "name": country_name(code)}
        for f, ed in latest.items():
            entry = doc[f][ed]["countries"].get(code)
            row[f"{f}{ed}"] = entry.get(HEADLINE[f]) if entry else None
        rows.append(row)
    key = f"dgi{latest['dgi']}"
    rows.sort(key=lambda r: (r[key] is None, -(r[key] or 0.0), r["country"]))
    return rows


def dimension_series(code: str, edition: str = "2023",
                     peers: Sequence[str] | None = None) -> dict[str, dict[str, float | None]]:
    """DGI dimension scores of the country, the OECD average and each peer (for charts)."""
    doc = load_benchmarks()["dgi"][edition]
    dims = ("digital_by_design", "data_driven", "government_as_a_platform", "open_by_default",
            "user_driven", "proactiveness")

    def pick(entry: dict[str, Any] | None) -> dict[str, float | None]:
        return {d: (entry or {}).get(d) for d in dims}

    out = {code: pick(doc["countries"].get(code)), "OECD": pick(doc.get("oecd_average"))}
    for p in peers if peers is not None else default_peers(code):
        out[p] = pick(doc["countries"].get(p))
    return out
