"""The CKAN normaliser's fast paths change nothing: on every shared CKAN record, and on
dirty variants of them, it gives the datasets the reference normaliser (the version before
the fast paths, ``tests/ckan_reference.py``) gives, with the same warnings in the same
order, stored byte for byte the same. The ``value-type`` warnings of
``govlens.normalise.shape``, which came after the reference, are left out of the comparison
(``tests/unit/test_normalise_fuzz.py`` tests them)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

import ckan_reference as reference
from govlens.model import Dataset
from govlens.normalise import ckan
from govlens.normalise.guards import DEFAULT_LIMITS, Limits
from govlens.store import codec
from helpers import ar_packages

#: Values a dirty catalogue puts where a clean one has a string: padding, empties, other
#: JSON types, odd URLs, dates, formats, media types, sizes, e-mails, JSON in strings.
DIRTY: list[Any] = [
    None, "", "   ", "  padded  ", 0, 7, 12.5, -3, True, False, [], {}, ["a", " b ", "", 3],
    {"k": "v"}, [{"name": "n"}, "x"], "not a url", "ftp://x y", "http://ok.example/a",
    "  https://pad.example/b  ", "31/12/2020", "12/11/2020", "11/13/2020", "2020-13-01",
    "20141003T110820", "2020-01-02 10:11", "2021-03-04T05:06:07.123+0100", "2020", "csv",
    ".CSV ", "text/csv; charset=utf-8", "TEXT/CSV", "Archivo CSV", "url",
    "http://publications.europa.eu/resource/authority/file-type/CSV",
    "https://www.iana.org/assignments/media-types/text/csv", "1,5 MB", "1,004 KB", "15.9KB",
    "1.234.567 bytes", "590 KB", "lots", "12", "mailto: a@b.example", "not-an-email",
    '["SPA", "ENG"]', '["x"', '{"a": 1}', "2019/2020", "2019-01-01/2019-12-31", "ñandú ü €",
    "http://long.example/" + "x" * 600, "not a url " * 80, "31/12/2020 " * 30,
]
#: The fields the normaliser reads, at the top level (and in ``extras``) and in a resource.
TOP = ["id", "name", "title", "notes", "uri", "tags", "theme", "superTheme", "groups", "spatial",
       "spatial_uri", "spatial_text", "spatial_coverage", "temporal", "temporal_start",
       "temporal_end", "temporal_coverage", "license_url", "license_id", "issued",
       "metadata_created", "modified", "metadata_modified", "resources", "publisher",
       "organization", "contact", "maintainer", "maintainer_email", "author", "author_email",
       "access_rights", "rights", "frequency", "accrualPeriodicity", "accrual_periodicity",
       "landing_page", "url", "language", "conforms_to", "hvd_category", "publisher_name",
       "publisher_uri", "publisher_email", "publisher_url", "contact_name", "contact_email",
       "contact_uri", "extras"]
RESOURCE = ["id", "url", "download_url", "downloadURL", "access_url", "accessURL", "format",
            "mimetype", "mediaType", "name", "description", "license", "rights", "size",
            "byteSize", "issued", "created", "modified", "last_modified", "conforms_to", "language"]


def _dirty(pkg: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of ``pkg`` with dirty values in some of the fields the normaliser reads."""
    out = dict(pkg)
    for key in rng.sample(TOP, rng.randint(1, 12)):
        if key == "resources":
            continue
        out[key] = rng.choice(DIRTY)
    extras = [dict(e) for e in pkg.get("extras") or [] if isinstance(e, dict)]
    for e in extras:
        if rng.random() < 0.4:
            e["value"] = rng.choice(DIRTY)
    extras += [{"key": k, "value": rng.choice(DIRTY)} for k in rng.sample(TOP, rng.randint(0, 4))]
    out["extras"] = extras if rng.random() < 0.8 else {e["key"]: e["value"] for e in extras}
    resources: list[Any] = []
    for r in pkg.get("resources") or []:
        r = dict(r)
        for key in rng.sample(RESOURCE, rng.randint(0, 8)):
            r[key] = rng.choice(DIRTY)
        resources.append(r if rng.random() < 0.95 else rng.choice(DIRTY))
    out["resources"] = resources
    org = out.get("organization")
    if isinstance(org, dict) and rng.random() < 0.3:
        out["organization"] = {**org, rng.choice(["name", "title"]): rng.choice(DIRTY)}
    if rng.random() < 0.2:
        out["contact"] = {"name": rng.choice(DIRTY), "email": rng.choice(DIRTY), "url": rng.choice(DIRTY)}
    if rng.random() < 0.2:
        out["publisher"] = [{"name": rng.choice(DIRTY), "uri": rng.choice(DIRTY), "email": rng.choice(DIRTY)}]
    return out


def _outcome(module: Any, pkg: dict[str, Any], site: str | None, limits: Limits) -> Any:
    raw = orjson.dumps(pkg)
    try:
        ds, text = module.normalise_split(pkg, site=site, limits=limits, raw=raw)
    except Exception as exc:  # noqa: BLE001 - the harvest keeps such a record as unreadable, with this message
        return ("raised", type(exc), str(exc))
    whole = module.normalise(pkg, site=site, limits=limits, raw=raw)
    if module is ckan:
        ds, whole = _without_value_types(ds), _without_value_types(whole)
    return ds, text, whole, codec.encode_record(ds, text), codec.encode_record(whole)


def _without_value_types(ds: Dataset) -> Dataset:
    return replace(ds, warnings=tuple(w for w in ds.warnings if w.code not in ("value-type", "name-missing")))


def _same(pkgs: list[dict[str, Any]], site: str | None, limits: Limits = DEFAULT_LIMITS) -> None:
    for pkg in pkgs:
        got, want = _outcome(ckan, pkg, site, limits), _outcome(reference, pkg, site, limits)
        assert got == want, pkg.get("id")
        if not isinstance(want[0], str):
            assert got[0].warnings == want[0].warnings  # in the same order (the tuples are equal)


@pytest.fixture(scope="module")
def packages(shared_data: Path) -> list[dict[str, Any]]:
    folder = shared_data / "ckanext-dcat" / "examples" / "ckan"
    examples = []
    for path in sorted(folder.glob("*.json")):
        doc = orjson.loads(path.read_bytes())
        examples += [d for d in (doc if isinstance(doc, list) else [doc]) if isinstance(d, dict)]
    return ar_packages(shared_data) + examples


@pytest.mark.shared_data
def test_the_same_datasets_as_the_reference_on_every_shared_ckan_record(
        packages: list[dict[str, Any]]) -> None:
    assert len(packages) > 866
    _same(packages, "https://datos.gob.ar")
    _same(packages[::7], None)


@pytest.mark.shared_data
@pytest.mark.parametrize("seed", range(3))
def test_the_same_datasets_as_the_reference_on_dirty_records(packages: list[dict[str, Any]],
                                                             seed: int) -> None:
    rng = random.Random(seed)
    dirty = [_dirty(p, rng) for p in packages]
    _same(dirty, "https://datos.gob.ar")
    capped = Limits(max_keywords=2, max_distributions=1, max_record_bytes=4000)
    _same(dirty[::5], None, capped)
