"""The CKAN normaliser as it was before its fast paths (govlens 91e0053,
``src/govlens/normalise/ckan.py``), kept unchanged as the reference that
``tests/unit/test_normalise_ckan_reference.py`` compares the current one with: the same
datasets, the same warnings in the same order, stored byte for byte the same."""

from __future__ import annotations

from typing import Any

from govlens.model import (
    ContactPoint,
    Dataset,
    Distribution,
    NormaliseWarning,
    Publisher,
    SourceRecord,
    Temporal,
)
from govlens.normalise import values as v
from govlens.normalise.guards import DEFAULT_LIMITS, Limits, cap, json_source_bytes

# The model's own classes (the normaliser builds the same objects through normalise._build).
_Dataset, _Distribution, _SourceRecord = Dataset, Distribution, SourceRecord
_Publisher, _ContactPoint, _Temporal = Publisher, ContactPoint, Temporal


def extras_of(pkg: dict[str, Any]) -> dict[str, Any]:
    """CKAN ``extras`` as a dict (first value wins), from the list-of-pairs or dict form."""
    extras = pkg.get("extras")
    out: dict[str, Any] = {}
    if isinstance(extras, list):
        for e in extras:
            if isinstance(e, dict) and isinstance(e.get("key"), str):
                out.setdefault(e["key"], e.get("value"))
    elif isinstance(extras, dict):
        out.update(extras)
    return out


def _field(pkg: dict[str, Any], extras: dict[str, Any], *names: str) -> Any:
    """The first non-empty value among top-level fields then extras, in the order named."""
    for name in names:
        val = pkg.get(name)
        if val not in (None, "", [], {}):
            return val
    for name in names:
        val = extras.get(name)
        if val not in (None, "", [], {}):
            return val
    return None


def _first_dict(value: Any) -> dict[str, Any]:
    items = v.as_list(value)
    for item in items:
        if isinstance(item, dict):
            return item
    return {}


def normalise(
    pkg: dict[str, Any],
    *,
    site: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    raw: bytes | None = None,
) -> Dataset:
    """One CKAN package dict to a :class:`Dataset`. ``site`` is the portal's root URL."""
    return _normalise(pkg, site, limits, raw, True)[0]


def normalise_split(
    pkg: dict[str, Any],
    *,
    site: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    raw: bytes | None = None,
) -> tuple[Dataset, bytes]:
    """:func:`normalise`, with the source text apart: the dataset (its ``source.text``
    empty) and the text as UTF-8, ``raw`` itself unless capped. The store writes the
    two as they are (``codec.encode_record``), with no decoding and encoding again."""
    return _normalise(pkg, site, limits, raw, False)


def _normalise(pkg: dict[str, Any], site: str | None, limits: Limits, raw: bytes | None,
               with_text: bool) -> tuple[Dataset, bytes]:
    w: list[NormaliseWarning] = []
    ex = extras_of(pkg)
    ident = v.text(pkg.get("id")) or v.text(pkg.get("name"))
    if ident is None:
        ident = "sha1:" + _digest(raw or b"")
        w.append(NormaliseWarning("identifier-missing", "id", None, "no id or name"))
    name = v.text(pkg.get("name"))

    uri = v.text(_field(pkg, ex, "uri"))
    if uri is None and site and name:
        uri = f"{site.rstrip('/')}/dataset/{name}"

    pkg_tags = pkg.get("tags")
    tags: list[Any] = pkg_tags if isinstance(pkg_tags, list) else v.as_list(ex.get("tags"))
    tags = list(cap(tags, limits.max_keywords, "keywords-capped", "tags", w))
    keywords = v.texts(
        (t.get("display_name") or t.get("name")) if isinstance(t, dict) else t for t in tags
    )

    themes = list(v.as_list(_field(pkg, ex, "theme")))
    themes += v.as_list(_field(pkg, ex, "superTheme"))
    if not themes:
        pkg_groups = pkg.get("groups")
        groups = pkg_groups if isinstance(pkg_groups, list) else []
        themes = [g.get("name") for g in groups if isinstance(g, dict)]

    spatial = v.texts(
        [_field(pkg, ex, "spatial_uri"), _field(pkg, ex, "spatial_text")]
        + [s for s in v.as_list(ex.get("spatial")) if isinstance(s, str) and not s.lstrip().startswith("{")]
        + [c.get("uri") or c.get("text") for c in v.as_list(pkg.get("spatial_coverage")) if isinstance(c, dict)]
    )

    temporal = _temporal(pkg, ex, w)
    licence = v.text(pkg.get("license_url")) or v.text(pkg.get("license_id"))

    dataset_issued = v.date(_field(pkg, ex, "issued") or pkg.get("metadata_created"), "issued", w)
    dataset_modified = v.date(_field(pkg, ex, "modified") or pkg.get("metadata_modified"), "modified", w)

    pkg_resources = pkg.get("resources")
    resources = pkg_resources if isinstance(pkg_resources, list) else []
    resources = list(cap(resources, limits.max_distributions, "distributions-capped", "resources", w))
    dists = tuple(
        _distribution(r, i, licence, w) for i, r in enumerate(resources) if isinstance(r, dict)
    )

    text = json_source_bytes(pkg, limits, w, raw)
    return _Dataset(
        identifier=ident,
        title=v.text(pkg.get("title")) or name,
        description=v.text(pkg.get("notes")),
        publisher=_publisher(pkg, ex, w),
        contact_point=_contact(pkg, ex, w),
        keywords=keywords,
        themes=v.texts(themes),
        spatial=spatial,
        temporal=temporal,
        licence=licence,
        access_rights=v.text(_field(pkg, ex, "access_rights")),
        rights=v.text(_field(pkg, ex, "rights")),
        issued=dataset_issued,
        modified=dataset_modified,
        accrual_periodicity=v.text(_field(pkg, ex, "frequency", "accrualPeriodicity", "accrual_periodicity")),
        landing_page=v.text(_field(pkg, ex, "landing_page", "url")),
        language=v.texts(v.as_list(_field(pkg, ex, "language"))),
        conforms_to=v.texts(v.as_list(_field(pkg, ex, "conforms_to"))),
        hvd_categories=v.texts(v.as_list(_field(pkg, ex, "hvd_category"))),
        uri=uri,
        distributions=dists,
        source=_SourceRecord(
            kind="ckan",
            media_type="application/json",
            text=text.decode("utf-8", "replace") if with_text else "",
            profile="ckan-andino" if _is_andino(pkg, ex) else "ckan",
        ),
        warnings=tuple(w),
    ), text


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _is_andino(pkg: dict[str, Any], ex: dict[str, Any]) -> bool:
    return "superTheme" in ex or "superTheme" in pkg


def _publisher(pkg: dict[str, Any], ex: dict[str, Any], w: list[NormaliseWarning]) -> Publisher | None:
    scheming = _first_dict(pkg.get("publisher"))
    pub_name = v.text(scheming.get("name")) or v.text(ex.get("publisher_name"))
    pub_uri = v.text(scheming.get("uri") or scheming.get("identifier")) or v.text(ex.get("publisher_uri"))
    pub_email = v.email(scheming.get("email") or ex.get("publisher_email"), "publisher.email", w)
    pub_url = v.text(scheming.get("url")) or v.text(ex.get("publisher_url"))
    org = pkg.get("organization")
    if isinstance(org, dict) and (v.text(org.get("name")) or v.text(org.get("title"))):
        key = v.text(org.get("name")) or v.slug(str(org.get("title")))
        return _Publisher(
            key=key,
            name=v.text(org.get("title")) or key,
            uri=pub_uri,
            email=pub_email,
            homepage=pub_url,
        )
    if pub_name or pub_uri:
        return _Publisher(
            key=pub_uri or v.slug(pub_name or ""),
            name=pub_name or pub_uri or "",
            uri=pub_uri,
            email=pub_email,
            homepage=pub_url,
        )
    return None


def _contact(pkg: dict[str, Any], ex: dict[str, Any], w: list[NormaliseWarning]) -> ContactPoint | None:
    scheming = _first_dict(pkg.get("contact"))
    name = v.text(scheming.get("name")) or v.text(ex.get("contact_name"))
    raw_email = scheming.get("email") or ex.get("contact_email")
    url = v.text(scheming.get("url")) or v.text(ex.get("contact_uri"))
    if not (name or raw_email or url):
        for who in ("maintainer", "author"):
            name = v.text(pkg.get(who))
            raw_email = pkg.get(f"{who}_email")
            if name or v.text(raw_email):
                break
    email = v.email(raw_email, "contact.email", w)
    if not (name or email or url):
        return None
    return _ContactPoint(name=name, email=email, url=url)


def _temporal(pkg: dict[str, Any], ex: dict[str, Any], w: list[NormaliseWarning]) -> Temporal | None:
    start = _field(pkg, ex, "temporal_start")
    end = _field(pkg, ex, "temporal_end")
    cov = _first_dict(pkg.get("temporal_coverage"))
    start = start or cov.get("start")
    end = end or cov.get("end")
    interval = v.text(ex.get("temporal") if isinstance(ex.get("temporal"), str) else pkg.get("temporal"))
    if not (start or end) and interval and "/" in interval:
        start, _, end = interval.partition("/")
    elif not (start or end) and interval:
        w.append(NormaliseWarning("temporal-unparsed", "temporal", interval[:200], "not an interval"))
    if not (v.text(start) or v.text(end)):
        return None
    return _Temporal(v.date(start, "temporal.start", w), v.date(end, "temporal.end", w))


def _distribution(r: dict[str, Any], i: int, licence: str | None, w: list[NormaliseWarning]) -> Distribution:
    p = f"resources[{i}]"
    url = v.text(r.get("url"))
    # The same URL under two field names is one URL, not a duplicate.
    d1, d2 = r.get("download_url"), r.get("downloadURL")
    downloads = v.urls(dict.fromkeys(v.texts((d1, d2))), f"{p}.download_url", w) if d1 or d2 else ()
    a1, a2 = r.get("access_url"), r.get("accessURL")
    access = dict.fromkeys(v.texts((a1, a2))) if a1 or a2 else {}
    if url and url not in downloads:
        access[url] = None
    access_urls = tuple(u for u in v.urls(access, f"{p}.access_url", w) if u not in downloads)
    fmt, mt_from_format, fmt_raw = v.file_format(r.get("format"), f"{p}.format", w)
    mt = v.media_type(r.get("mimetype") or r.get("mediaType"), f"{p}.mimetype", w) or mt_from_format
    return _Distribution(
        id=v.text(r.get("id")) or f"{i}",
        title=v.text(r.get("name")),
        description=v.text(r.get("description")),
        access_urls=access_urls,
        download_urls=downloads,
        format=fmt,
        format_raw=fmt_raw,
        media_type=mt,
        licence=v.text(r.get("license")) or licence,
        rights=v.text(r.get("rights")),
        byte_size=v.size(r.get("size") if r.get("size") is not None else r.get("byteSize"), f"{p}.size", w),
        issued=v.date(r.get("issued") or r.get("created"), f"{p}.issued", w),
        modified=v.date(r.get("modified") or r.get("last_modified"), f"{p}.modified", w),
        conforms_to=v.texts(v.as_list(r["conforms_to"])) if r.get("conforms_to") else (),
        language=v.texts(v.as_list(r["language"])) if r.get("language") else (),
    )
