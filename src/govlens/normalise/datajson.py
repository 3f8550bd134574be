"""data.json records to the model: Project Open Data v1.0/v1.1 (DCAT-US), Argentina's
profile (datos.gob.ar) and Mexico's ADELA records (datos.gob.mx, 2014-2017).

The mapping follows quality-methods §8.1 (data.json column); ``docs/harvest.md``
has the table. A dataset's ``license`` applies to the distributions that do
not declare their own (ADELA declares it per distribution).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

from govlens.model import (
    ContactPoint,
    Dataset,
    Distribution,
    NormaliseWarning,
    Publisher,
    SourceRecord,
    Temporal,
)
from govlens.normalise import shape
from govlens.normalise import values as v
from govlens.normalise.guards import DEFAULT_LIMITS, Limits, cap, json_source

ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
#: data.json ``accessLevel`` values (and their Spanish spellings) to EU access rights.
ACCESS_LEVELS = {
    "public": "PUBLIC",
    "publico": "PUBLIC",
    "público": "PUBLIC",
    "restricted public": "RESTRICTED",
    "restricted": "RESTRICTED",
    "restringido": "RESTRICTED",
    "non-public": "NON_PUBLIC",
    "non public": "NON_PUBLIC",
    "privado": "NON_PUBLIC",
    "no público": "NON_PUBLIC",
}

_NO_THEME = "a theme object with no id or label"


def _theme_name(theme: dict[str, Any]) -> Any:
    return theme.get("id") or theme.get("label") or None


def detect_profile(catalogue: Mapping[str, Any] | None, *, array: bool = False, single: bool = False) -> str:
    """The metadata profile of a data.json document from its catalogue-level fields."""
    if single:
        return "mx-adela"
    if array:
        return "pod-1.0"
    cat = catalogue or {}
    conforms = cat.get("conformsTo")
    conforms_s = (orjson.dumps(conforms).decode() if not isinstance(conforms, str) else conforms).lower()
    if "superThemeTaxonomy" in cat or "themeTaxonomy" in cat:
        return "ar-datajson"
    if "dcat-us 3" in conforms_s or "dcat-us/3" in conforms_s:
        return "dcat-us-3"
    if "v1.1" in conforms_s:
        return "pod-1.1"
    return "pod-1.0"


def normalise(
    rec: dict[str, Any],
    *,
    profile: str = "pod-1.1",
    defaults: Mapping[str, Any] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    raw: bytes | None = None,
) -> Dataset:
    """One data.json dataset object. ``defaults`` holds catalogue-level ``publisher``
    and ``license``, used where the dataset has none."""
    w: list[NormaliseWarning] = []
    v.dropped.values.clear()
    defaults = defaults or {}
    text_source = json_source(rec, limits, w, raw)
    ident = v.text(rec.get("identifier")) or v.text(rec.get("@id"))
    if ident is None:
        ident = "sha1:" + hashlib.sha1(text_source.encode(), usedforsecurity=False).hexdigest()
        w.append(NormaliseWarning("identifier-missing", "identifier", None, "no identifier"))

    kw = rec.get("keyword")
    if isinstance(kw, str):
        if "," in kw:
            w.append(NormaliseWarning("keywords-string", "keyword", kw[:200], "split on commas"))
        kw = [k for k in kw.split(",")]
    keywords = list(cap(v.as_list(kw), limits.max_keywords, "keywords-capped", "keyword", w))

    licence = v.text(rec.get("license")) or v.text(defaults.get("license"))
    dists_raw = rec.get("distribution")
    if isinstance(dists_raw, dict):
        dists_raw = [dists_raw]
    if not isinstance(dists_raw, list):
        dists_raw = []
    if not dists_raw and (rec.get("accessURL") or rec.get("downloadURL") or rec.get("webService")):
        # POD v1.0 put the single distribution's fields on the dataset itself.
        dists_raw = [{k: rec.get(k) for k in ("accessURL", "downloadURL", "format", "mediaType")}]
        if rec.get("webService"):
            dists_raw.append({"accessURL": rec.get("webService"), "format": "API"})
    dists_raw = list(cap(dists_raw, limits.max_distributions, "distributions-capped", "distribution", w))

    access = v.text(rec.get("accessLevel"))
    access_rights = access
    if access is not None:
        code = ACCESS_LEVELS.get(access.lower())
        if code:
            access_rights = ACCESS_RIGHT + code
        else:
            w.append(NormaliseWarning("access-level-unknown", "accessLevel", access[:200],
                                      "not a data.json access level"))
    themes = [*shape.named(list(v.as_list(rec.get("theme"))), "theme", _theme_name, _NO_THEME, w),
              *shape.named(list(v.as_list(rec.get("superTheme"))), "superTheme", _theme_name, _NO_THEME, w)]
    return Dataset(
        identifier=ident,
        title=v.text(rec.get("title")),
        description=v.text(rec.get("description")),
        publisher=_publisher(rec.get("publisher") or defaults.get("publisher"), w),
        contact_point=_contact(rec, w),
        keywords=v.texts(keywords),
        themes=v.texts(themes),
        spatial=v.texts(v.as_list(rec.get("spatial")) if not isinstance(rec.get("spatial"), dict)
                        else [orjson.dumps(rec["spatial"]).decode()]),
        temporal=_temporal(rec.get("temporal"), "temporal", w),
        licence=licence,
        access_rights=access_rights,
        rights=v.text(rec.get("rights")),
        issued=v.date(rec.get("issued"), "issued", w),
        modified=v.date(rec.get("modified"), "modified", w),
        accrual_periodicity=v.text(rec.get("accrualPeriodicity")),
        landing_page=v.text(rec.get("landingPage")),
        language=v.texts(v.as_list(rec.get("language"))),
        conforms_to=v.texts(v.as_list(rec.get("conformsTo")) if isinstance(rec.get("conformsTo"), (str, list))
                            else []),
        uri=v.text(rec.get("@id")),
        distributions=tuple(_distribution(d, i, licence, w) for i, d in enumerate(dists_raw)
                            if isinstance(d, dict)),
        source=SourceRecord(kind="datajson", media_type="application/json", text=text_source,
                            profile=profile),
        warnings=shape.warnings(rec, "datajson", w, not all(isinstance(d, dict) for d in dists_raw)),  # last
    )


def _publisher(pub: Any, w: list[NormaliseWarning]) -> Publisher | None:
    if isinstance(pub, str):
        name = v.text(pub)
        return Publisher(key=v.slug(name), name=name) if name else None
    if not isinstance(pub, dict):
        if pub is not None:
            v.unread(pub)
        return None
    name = v.text(pub.get("name")) or v.text(pub.get("fn"))
    if name is None:
        return None
    return Publisher(
        key=v.text(pub.get("@id")) or v.slug(name),
        name=name,
        uri=v.text(pub.get("@id")),
        email=v.email(pub.get("mbox") or pub.get("hasEmail"), "publisher.mbox", w),
    )


def _contact(rec: dict[str, Any], w: list[NormaliseWarning]) -> ContactPoint | None:
    cp = rec.get("contactPoint")
    if isinstance(cp, list):
        cp = next((c for c in cp if isinstance(c, dict)), None)
    if isinstance(cp, dict):
        name = v.text(cp.get("fn"))
        email = v.email(cp.get("hasEmail"), "contactPoint.hasEmail", w)
        url = v.text(cp.get("hasURL"))
    else:
        name = v.text(cp)
        email = v.email(rec.get("mbox"), "mbox", w)
        url = None
    if not (name or email or url):
        return None
    return ContactPoint(name=name, email=email, url=url)


def _temporal(value: Any, path: str, w: list[NormaliseWarning]) -> Temporal | None:
    s = v.text(value)
    if s is None:
        return None
    if "/" not in s:
        w.append(NormaliseWarning("temporal-unparsed", path, s[:200], "not an interval"))
        return Temporal(start=s)
    start, _, end = s.partition("/")
    if start.startswith("R"):
        w.append(NormaliseWarning("temporal-unparsed", path, s[:200], "a repeating interval"))
        return Temporal(start=s)
    return Temporal(v.date(start, f"{path}.start", w), v.date(end, f"{path}.end", w))


def _distribution(d: dict[str, Any], i: int, licence: str | None, w: list[NormaliseWarning]) -> Distribution:
    p = f"distribution[{i}]"
    downloads = v.urls(v.as_list(d.get("downloadURL")), f"{p}.downloadURL", w)
    access = tuple(u for u in v.urls(v.as_list(d.get("accessURL")), f"{p}.accessURL", w) if u not in downloads)
    fmt, mt_from_format, fmt_raw = v.file_format(d.get("format"), f"{p}.format", w)
    mt = v.media_type(d.get("mediaType"), f"{p}.mediaType", w) or mt_from_format
    conforms = [d.get("conformsTo"), d.get("describedBy")]
    return Distribution(
        id=v.text(d.get("identifier")) or v.text(d.get("@id")) or str(i),
        title=v.text(d.get("title")),
        description=v.text(d.get("description")),
        access_urls=access,
        download_urls=downloads,
        format=fmt,
        format_raw=fmt_raw,
        media_type=mt,
        licence=v.text(d.get("license")) or licence,
        rights=v.text(d.get("rights")),
        byte_size=v.size(d.get("byteSize"), f"{p}.byteSize", w),
        issued=v.date(d.get("issued"), f"{p}.issued", w),
        modified=v.date(d.get("modified"), f"{p}.modified", w),
        conforms_to=v.texts(conforms),
        kind=v.text(d.get("type")),
        language=v.texts(v.as_list(d.get("language"))),
    )
