"""Project Open Data (data.json v1.1) schema validity, for data.json sources (quality-methods §4).

A dataset entry is validated as the source gave it (``Dataset.source.text``)
against the JSON Schemas the Project Open Data dashboard uses: the federal
v1.1 schema when the entry carries ``bureauCode`` or ``programCode`` (only US
federal agencies have them), else the non-federal v1.1 schema. Schemas ship
with govlens (CC0). Other source kinds, and data.json documents of another
profile (POD 1.0, DCAT-US 3, Argentina's profile), are not validated (``None``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from govlens.assess.vocab import read_data
from govlens.model import Dataset

SCHEMA_BASE = "https://project-open-data.cio.gov/v1.1/schema/"
FEDERAL, NON_FEDERAL = "federal-v1.1", "non-federal-v1.1"
_FILES = {
    FEDERAL: ("dataset.json", ("dataset.json", "distribution.json", "vcard.json", "organization.json")),
    NON_FEDERAL: ("dataset-non-federal.json",
                  ("dataset-non-federal.json", "distribution.json", "vcard-non-federal.json", "organization.json")),
}
MAX_ERRORS = 20
#: data.json profiles that claim POD v1.1 (Argentina's profile, POD 1.0 and DCAT-US 3 are other schemas).
POD_PROFILES = frozenset({"pod-1.1", None})


@dataclass(frozen=True, slots=True)
class PodResult:
    valid: bool
    schema: str
    errors: tuple[str, ...] = ()


@cache
def validator(variant: str) -> Any:
    """A Draft 4 validator for one schema variant, its $refs resolved from the shipped files."""
    from jsonschema import Draft4Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    main, files = _FILES[variant]
    resources = []
    for name in files:
        doc = json.loads(read_data(f"pod/{variant}/{name}"))
        resources.append((SCHEMA_BASE + name, DRAFT4.create_resource(doc)))
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads(read_data(f"pod/{variant}/{main}"))
    return Draft4Validator(schema, registry=registry)  # "format" stays an annotation, as in draft 4


def validate_entry(entry: object) -> PodResult:
    """Validate one data.json dataset entry (already parsed)."""
    variant = FEDERAL if isinstance(entry, dict) and ("bureauCode" in entry or "programCode" in entry) \
        else NON_FEDERAL
    v = validator(variant)
    errors = []
    for err in sorted(v.iter_errors(entry), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in err.absolute_path) or "(entry)"
        errors.append(f"{where}: {err.message[:200]}")
        if len(errors) >= MAX_ERRORS:
            break
    return PodResult(not errors, variant, tuple(errors))


def pod_validity(ds: Dataset) -> PodResult | None:
    """The POD verdict for a data.json dataset; None for other sources or without the source record."""
    src = ds.source
    if src is None or src.kind != "datajson" or not src.text or src.profile not in POD_PROFILES:
        return None
    try:
        entry = json.loads(src.text)
    except ValueError as exc:
        return PodResult(False, NON_FEDERAL, (f"(entry): not JSON: {exc}",))
    return validate_entry(entry)
