"""The real catalogue records used to evaluate the coverage classifier.

Reads the shared data folder by path (never copied into the repository):
datos.gob.ar CKAN records, the Ministerio de Justicia data.json, the US agency
data.json files and the Mexican ADELA record. Each source is read by the
harvester ``govlens harvest`` would use for it (``govlens.harvest``: the
CKAN file harvester, the data.json harvester with its profile detection and
catalogue-level defaults) and normalised page by page by the harvester's own
normaliser, so the classifier sees exactly the datasets a user's harvest
stores. Records are keyed as the labels key them: by the file of a CKAN
package (its ``name``) and by the data.json ``identifier``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govlens.harvest.base import Options
from govlens.harvest.sources import make_harvester
from govlens.model import Dataset, SourceKind

CKAN_DIR = "ar-ckan-archivo/datos_argentina/metadata"
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
    source: str  # path relative to the shared data folder (a CKAN package: its own file)
    identifier: str  # the identifier the labels use
    raw: dict[str, Any]
    dataset: Dataset


async def _harvest(path: Path, kind: SourceKind) -> list[tuple[dict[str, Any], Dataset]]:
    """Every (raw record, dataset) of a local source, through its harvester."""
    opts = Options()
    harvester = make_harvester(str(path), kind, None, opts)  # type: ignore[arg-type]  # local: no client
    out: list[tuple[dict[str, Any], Dataset]] = []
    async for page in harvester.pages(None):
        raws = [r for r in page.records if isinstance(r, dict)]
        datasets = harvester.normaliser()(raws, opts.limits)
        out.extend(zip(raws, datasets, strict=True))
    return out


def records(root: Path) -> Iterator[Record]:
    """Every record of the evaluation sources, in a stable order."""
    for raw, ds in asyncio.run(_harvest(root / CKAN_DIR, "ckan")):
        yield Record(f"{CKAN_DIR}/{raw['name']}.json", raw["name"], raw, ds)
    for rel in (*DATAJSON_FILES, *SINGLE_RECORDS):
        for raw, ds in asyncio.run(_harvest(root / rel, "datajson")):
            yield Record(rel, str(raw.get("identifier") or raw.get("title")), raw, ds)
