"""The real catalogue records used to evaluate the coverage classifier.

Reads the shared data folder by path (never copied into the repository):
datos.gob.ar CKAN records, the Ministerio de Justicia data.json, the US agency
data.json files and the Mexican ADELA record. Each record becomes a
``govlens.model.Dataset`` through the small mapping below, which carries the
fields the classifier reads (title, description, keywords, themes and groups,
publisher, distributions, licence, frequency, dates) and keys every record by
the identifier the labels use (CKAN ``name``, data.json ``identifier``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govlens.model import Dataset, Distribution, Publisher

CKAN_GLOB = "ar-ckan-archivo/datos_argentina/metadata/*.json"
DATAJSON_FILES = (
    "ar-pydatajson/samples/catalogo-justicia.json",
    "us-agency-datajson/cms.json",
    "us-agency-datajson/consumerfinance.json",
    "us-agency-datajson/dhs.json",
    "us-agency-datajson/fcc.json",
    "us-agency-datajson/fda.json",
    "us-agency-datajson/gsa.json",
    "us-agency-datajson/opm.json",
    "us-agency-datajson/treasury.json",
)
SINGLE_RECORDS = ("mx-adela/inegi.json",)


@dataclass(frozen=True, slots=True)
class Record:
    source: str  # path relative to the shared data folder
    identifier: str
    raw: dict[str, Any]
    dataset: Dataset


def shared_data_dir() -> Path | None:
    for c in (os.environ.get("GOVLENS_SHARED_DATA"), "../shared/data", "/work/shared/data"):
        if c and (Path(c) / "MANIFEST.md").is_file():
            return Path(c)
    return None


def records(root: Path) -> Iterator[Record]:
    """Every record of the evaluation sources, in a stable order."""
    for path in sorted(root.glob(CKAN_GLOB)):
        raw = json.loads(path.read_text(encoding="utf-8"))
        yield Record(str(path.relative_to(root)), raw["name"], raw, from_ckan(raw))
    for rel in DATAJSON_FILES:
        cat = json.loads((root / rel).read_text(encoding="utf-8"))
        for raw in cat.get("dataset", []):
            ds = from_datajson(raw)
            yield Record(rel, ds.identifier, raw, ds)
    for rel in SINGLE_RECORDS:
        raw = json.loads((root / rel).read_text(encoding="utf-8"))
        ds = from_datajson(raw)
        yield Record(rel, ds.identifier, raw, ds)


def _text(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _list(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, str):
        try:
            parsed = json.loads(v)
        except ValueError:
            return [v]
        return parsed if isinstance(parsed, list) else [v]
    return list(v) if isinstance(v, (list, tuple)) else [v]


def from_ckan(raw: dict[str, Any]) -> Dataset:
    extras = {e.get("key"): e.get("value") for e in raw.get("extras") or []}
    org = raw.get("organization") or {}
    themes: list[str] = []
    for g in raw.get("groups") or []:
        themes += [x for x in (g.get("name"), g.get("title")) if x]
    themes += [str(x) for x in _list(extras.get("superTheme"))]
    themes += [str(x) for x in _list(extras.get("theme"))]
    dists = tuple(
        Distribution(
            id=str(r.get("id") or i),
            title=_text(r.get("name")),
            description=_text(r.get("description")),
            download_urls=(r["url"],) if r.get("url") else (),
            format=_text(r.get("format")),
            format_raw=_text(r.get("format")),
            media_type=_text(r.get("mimetype")),
        )
        for i, r in enumerate(raw.get("resources") or [])
    )
    return Dataset(
        identifier=raw["name"],
        title=_text(raw.get("title")),
        description=_text(raw.get("notes")),
        publisher=Publisher(key=org["name"], name=(org.get("title") or org["name"]).strip())
        if org.get("name")
        else None,
        keywords=tuple(t["name"] for t in raw.get("tags") or [] if t.get("name")),
        themes=tuple(dict.fromkeys(themes)),
        licence=_text(raw.get("license_id")),
        modified=_text(raw.get("metadata_modified")),
        issued=_text(extras.get("issued")) or _text(raw.get("metadata_created")),
        accrual_periodicity=_text(extras.get("accrualPeriodicity")),
        distributions=dists,
    )


def from_datajson(raw: dict[str, Any]) -> Dataset:
    pub = raw.get("publisher")
    name = pub.get("name") if isinstance(pub, dict) else _text(pub)
    themes = [str(x) for x in _list(raw.get("theme")) + _list(raw.get("superTheme"))]
    dists = []
    for i, d in enumerate(raw.get("distribution") or []):
        if not isinstance(d, dict):
            continue
        dists.append(
            Distribution(
                id=str(d.get("identifier") or i),
                title=_text(d.get("title")),
                description=_text(d.get("description")),
                access_urls=(d["accessURL"],) if d.get("accessURL") else (),
                download_urls=(d["downloadURL"],) if d.get("downloadURL") else (),
                format=_text(d.get("format")) or _text(d.get("mediaType")),
                format_raw=_text(d.get("format")),
                media_type=_text(d.get("mediaType")),
                licence=_text(d.get("license")),
            )
        )
    return Dataset(
        identifier=str(raw.get("identifier") or raw.get("title")),
        title=_text(raw.get("title")),
        description=_text(raw.get("description")),
        publisher=Publisher(key=name, name=name) if name else None,
        keywords=tuple(str(k) for k in _list(raw.get("keyword")) if k),
        themes=tuple(dict.fromkeys(themes)),
        licence=_text(raw.get("license")),
        modified=_text(raw.get("modified")),
        issued=_text(raw.get("issued")),
        accrual_periodicity=_text(raw.get("accrualPeriodicity")),
        distributions=tuple(dists),
    )
