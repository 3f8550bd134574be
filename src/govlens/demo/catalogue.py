"""The embedded demo catalogue: a Mexican-style CKAN portal with the faults real ones have.

Everything is generated from the templates in :mod:`govlens.demo.institutions`
with a fixed seed, so the catalogue is the same every time. Faults are spread
on purpose: missing licences, "Libre Uso MX" written several ways, free-text
formats, free-text sizes, non-ISO and stale dates, duplicated URLs, missing
contact points and descriptions, and links that are dead, redirected, slow or
serve something else than what they declare (see :mod:`govlens.demo.files`).
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from govlens.demo.files import FILE_FAULTS, FileSpec
from govlens.demo.institutions import FREQUENCIES, GROUPS, INSTITUTIONS, Institution, Topic

SEED = 2024
#: The date the demo catalogue is "harvested" at: ages are computed from it, not from the clock.
AS_OF = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)

#: How the licence is declared: (license_id, license_title, license_url), weighted.
LICENCES: tuple[tuple[tuple[str, str, str], int], ...] = (
    (("libre-uso-mx", "Libre Uso MX", "https://www.datos.gob.mx/libreusomx"), 40),
    (("Libre Uso MX", "Libre Uso MX", ""), 8),
    (("libreusomx", "Términos de Libre Uso MX", "http://datos.gob.mx/libreusomx/"), 6),
    (("LIBRE USO MX", "", ""), 4),
    (("cc-by-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"), 10),
    (("odc-odbl", "Open Data Commons Open Database License (ODbL)", "http://www.opendefinition.org/licenses/odc-odbl"), 3),
    (("notspecified", "Licencia no especificada", ""), 8),
    (("", "", ""), 12),
    (("other-closed", "Uso restringido", ""), 3),
)

#: Declared formats for CSV-like files, as publishers type them.
CSV_FORMATS = ("CSV", "CSV", "CSV", "csv", ".CSV", "CSV ", "text/csv", "Archivo CSV", "Csv")
OTHER_FORMATS = {"xlsx": ("XLSX", "xlsx", "Excel", "XLS"), "json": ("JSON", "json", "API JSON"),
                 "pdf": ("PDF", "pdf"), "zip": ("ZIP", "zip", "SHP comprimido")}

STATES = ("Aguascalientes", "Baja California", "Chiapas", "Chihuahua", "Ciudad de México", "Coahuila",
          "Guanajuato", "Guerrero", "Jalisco", "México", "Michoacán", "Nuevo León", "Oaxaca", "Puebla",
          "Querétaro", "Quintana Roo", "Sinaloa", "Sonora", "Tabasco", "Veracruz", "Yucatán", "Zacatecas")


@dataclass(frozen=True, slots=True)
class DemoCatalogue:
    """Packages (CKAN ``package_show`` dicts, in ``metadata_created`` order) and their files."""

    packages: tuple[dict[str, Any], ...]
    files: dict[str, FileSpec]


def slugify(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(c if c.isalnum() else "-" for c in ascii_)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:90]


def _weighted(rng: random.Random, options: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _stamp(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.%f")


def build(seed: int = SEED) -> DemoCatalogue:
    """Build the demo catalogue (deterministic for a given seed)."""
    rng = random.Random(seed)
    packages: list[dict[str, Any]] = []
    files: dict[str, FileSpec] = {}
    for inst in INSTITUTIONS:
        org = _organisation(rng, inst)
        for topic in inst.topics:
            for year in topic.years or (None,):
                packages.append(_package(rng, inst, org, topic, year, files))
    packages.sort(key=lambda p: (p["metadata_created"], p["id"]))
    return DemoCatalogue(tuple(packages), files)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _organisation(rng: random.Random, inst: Institution) -> dict[str, Any]:
    return {
        "id": _uuid(rng), "name": inst.key, "title": inst.title, "type": "organization",
        "description": f"Datos abiertos publicados por la {inst.title} ({inst.acronym}).",
        "image_url": "", "created": "2015-03-02T10:00:00.000000", "is_organization": True,
        "approval_status": "approved", "state": "active",
    }


def _package(rng: random.Random, inst: Institution, org: dict[str, Any], topic: Topic, year: int | str | None,
             files: dict[str, FileSpec]) -> dict[str, Any]:
    title = topic.title.format(year=year) if year else topic.title
    notes = topic.description.format(year=year) if year else topic.description
    name = slugify(f"{inst.key}-{title}")
    pid = _uuid(rng)
    created = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 2900), seconds=rng.randint(0, 86399))
    if isinstance(year, int):
        created = max(created, datetime(year, 1, 15, tzinfo=UTC) + timedelta(days=rng.randint(0, 300)))
    created = min(created, AS_OF - timedelta(days=20))
    stale = rng.random() < 0.25
    modified = created + timedelta(days=rng.randint(0, 60) if stale else rng.randint(0, max(1, (AS_OF - created).days)))
    lic_id, lic_title, lic_url = _weighted(rng, LICENCES)
    frequency = rng.choice(FREQUENCIES)
    extras = [{"key": "frecuencia", "value": frequency}] if rng.random() < 0.8 else []
    if rng.random() < 0.12:
        extras.append({"key": "modified", "value": modified.strftime("%Y%m%dT%H%M%S")})
    elif rng.random() < 0.08:
        extras.append({"key": "issued", "value": created.strftime("%d/%m/%Y")})
    if rng.random() < 0.5:
        extras.append({"key": "spatial", "value": "México" if rng.random() < 0.7 else rng.choice(STATES)})
    if isinstance(year, int) and rng.random() < 0.6:
        extras += [{"key": "temporal_start", "value": f"{year}-01-01"}, {"key": "temporal_end", "value": f"{year}-12-31"}]
    if rng.random() < 0.9:
        extras.append({"key": "language", "value": '["spa"]' if rng.random() < 0.5 else "es"})
    contact = rng.random()
    maintainer, email = "", ""
    if contact < 0.6:
        maintainer, email = f"Unidad de Transparencia {inst.acronym}", f"datos.abiertos@{inst.domain}"
    elif contact < 0.75:
        maintainer, email = f"Dirección General de Tecnologías de la Información, {inst.acronym}", f"mailto:dgti@{inst.domain}"
    elif contact < 0.82:
        maintainer = "Enlace de datos abiertos"
    tags = list(topic.tags) + (["datos abiertos"] if rng.random() < 0.3 else [])
    resources = _resources(rng, inst, topic, name, pid, created, modified, files)
    return {
        "id": pid, "name": name, "title": title,
        "notes": notes if rng.random() > 0.06 else "",
        "type": "dataset", "state": "active", "private": False, "version": None,
        "author": inst.acronym if rng.random() < 0.5 else "", "author_email": "",
        "maintainer": maintainer, "maintainer_email": email,
        "license_id": lic_id, "license_title": lic_title, "license_url": lic_url,
        "isopen": lic_id in ("libre-uso-mx", "cc-by-4.0", "odc-odbl"),
        "url": f"https://www.gob.mx/{inst.key}/documentos/{name}" if rng.random() < 0.4 else "",
        "metadata_created": _stamp(created), "metadata_modified": _stamp(modified),
        "owner_org": org["id"], "organization": org,
        "groups": [{"id": f"grp-{inst.group}", "name": inst.group, "title": GROUPS[inst.group],
                    "display_name": GROUPS[inst.group], "description": "", "image_display_url": ""}],
        "tags": [{"id": f"tag-{slugify(t)}", "name": t, "display_name": t, "state": "active",
                  "vocabulary_id": None} for t in dict.fromkeys(tags)],
        "extras": extras,
        "resources": resources, "num_resources": len(resources), "num_tags": len(tags),
        "relationships_as_object": [], "relationships_as_subject": [],
    }


def _resources(rng: random.Random, inst: Institution, topic: Topic, name: str, pid: str,
               created: datetime, modified: datetime, files: dict[str, FileSpec]) -> list[dict[str, Any]]:
    plan = [("csv", topic.table)]
    if rng.random() < 0.45:
        plan.append((rng.choice(["xlsx", "json", "pdf"]), topic.table))
    if topic.table == "geo" and rng.random() < 0.7:
        plan.append(("zip", topic.table))
    out = []
    for pos, (ext, table) in enumerate(plan):
        path = f"/archivos/{inst.key}/{name}-{pos + 1}.{ext}"
        fault = _weighted(rng, FILE_FAULTS) if ext == "csv" else _weighted(rng, FILE_FAULTS[:1] + FILE_FAULTS[-3:])
        files[path] = FileSpec(path, ext, table, fault, rng.randint(0, 1 << 30))
        declared = rng.choice(CSV_FORMATS) if ext == "csv" else rng.choice(OTHER_FORMATS[ext])
        size: Any = None
        r = rng.random()
        if r < 0.35:
            size = rng.randint(2_000, 9_000_000)
        elif r < 0.5:
            size = rng.choice(["590 KB", "1,2 MB", "6979 kb", "1,004 KB", "15.9KB", "2 MB", "desconocido"])
        res = {
            "id": _uuid(rng), "package_id": pid, "position": pos, "state": "active",
            "name": f"{'Datos' if ext == 'csv' else 'Archivo'} {ext.upper()}" if rng.random() < 0.5 else f"{name}.{ext}",
            "description": "" if rng.random() < 0.3 else f"Archivo en formato {ext.upper()}.",
            "format": declared, "mimetype": "text/csv" if ext == "csv" and rng.random() < 0.3 else None,
            "url": "{base}" + path, "size": size, "resource_type": "file", "url_type": None,
            "created": _stamp(created), "last_modified": _stamp(modified) if rng.random() < 0.5 else None,
            "hash": "", "datastore_active": False, "cache_url": None, "mimetype_inner": None,
        }
        if rng.random() < 0.06:
            res["download_url"] = res["url"]  # the same URL declared twice
        out.append(res)
    if len(out) > 1 and rng.random() < 0.15:
        out[-1]["url"] = out[0]["url"]  # two resources pointing at one file
    return out


def with_base(packages: tuple[dict[str, Any], ...], base: str) -> list[dict[str, Any]]:
    """The packages with file URLs pointing at ``base`` (the server's URL)."""
    out = []
    for p in packages:
        q = dict(p)
        q["resources"] = [{**r, **{k: r[k].replace("{base}", base) for k in ("url", "download_url") if k in r}}
                          for r in p["resources"]]
        out.append(q)
    return out
