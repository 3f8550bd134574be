"""CKAN package dicts (``package_show`` / ``package_search`` results) to the model.

The mapping follows ckanext-dcat's (``docs/mapping.md``), with the fallbacks of
quality-methods §8.1; ``docs/harvest.md`` has the table. Core CKAN fields,
``extras`` (``key``/``value`` pairs, often JSON in a string), ckanext-scheming
fields (``contact``, ``publisher``, ``temporal_coverage``...) and the fields of
Argentina's Andino (``accessURL``, ``superTheme``...) are all read.
"""

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
from govlens.normalise import shape
from govlens.normalise import values as v
from govlens.normalise._build import builder
from govlens.normalise.guards import DEFAULT_LIMITS, Limits, cap, json_source_bytes

_text = v.text
_date = v.date
_URL = v.URL.match

# The same classes, built faster (about 5,000 objects a 1,000-dataset page).
_Dataset, _Distribution, _SourceRecord = builder(Dataset), builder(Distribution), builder(SourceRecord)
_Publisher, _ContactPoint, _Temporal = builder(Publisher), builder(ContactPoint), builder(Temporal)


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


_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _field(pkg: dict[str, Any], extras: dict[str, Any], *names: str) -> Any:
    """The first non-empty value among top-level fields then extras, in the order named."""
    for name in names:
        val = pkg.get(name)
        if val not in _EMPTY:
            return val
    for name in names:
        val = extras.get(name)
        if val not in _EMPTY:
            return val
    return None


def _tag_name(tag: dict[str, Any]) -> Any:
    return tag.get("display_name") or tag.get("name") or None


def _group_name(group: dict[str, Any]) -> Any:
    return group.get("name") or None


def _field1(pkg: dict[str, Any], extras: dict[str, Any], name: str) -> Any:
    """:func:`_field` of one name."""
    val = pkg.get(name)
    if val not in _EMPTY:
        return val
    val = extras.get(name)
    return None if val in _EMPTY else val


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
    v.dropped.values.clear()
    get = pkg.get
    ex = extras_of(pkg)
    name = _text(get("name"))
    ident = _text(get("id")) or name
    if ident is None:
        ident = "sha1:" + _digest(raw or b"")
        w.append(NormaliseWarning("identifier-missing", "id", None, "no id or name"))

    uri = _text(_field1(pkg, ex, "uri"))
    if uri is None and site and name:
        uri = f"{site.rstrip('/')}/dataset/{name}"

    suspect = False
    pkg_tags = get("tags")
    tags: list[Any] = pkg_tags if isinstance(pkg_tags, list) else v.as_list(ex.get("tags"))
    tags = list(cap(tags, limits.max_keywords, "keywords-capped", "tags", w))
    keywords = v.texts(shape.named(tags, "tags", _tag_name, "a tag object with no name or display_name", w))

    themes = list(v.as_list(_field1(pkg, ex, "theme")))
    themes += v.as_list(_field1(pkg, ex, "superTheme"))
    if not themes:
        pkg_groups = get("groups")
        groups = pkg_groups if isinstance(pkg_groups, list) else []
        names = shape.named(groups, "groups", _group_name, "a group object with no name", w)
        themes = [n for g, n in zip(groups, names, strict=True) if isinstance(g, dict)]
        suspect = len(themes) != len(groups)

    spatial = v.texts(
        [_field1(pkg, ex, "spatial_uri"), _field1(pkg, ex, "spatial_text")]
        + [s for s in v.as_list(ex.get("spatial")) if isinstance(s, str) and not s.lstrip().startswith("{")]
        + [c.get("uri") or c.get("text") for c in v.as_list(get("spatial_coverage")) if isinstance(c, dict)]
    )

    temporal = _temporal(pkg, ex, w)
    licence = _text(get("license_url")) or _text(get("license_id"))

    dataset_issued = _date(_field1(pkg, ex, "issued") or get("metadata_created"), "issued", w)
    dataset_modified = _date(_field1(pkg, ex, "modified") or get("metadata_modified"), "modified", w)

    pkg_resources = get("resources")
    resources = pkg_resources if isinstance(pkg_resources, list) else []
    resources = list(cap(resources, limits.max_distributions, "distributions-capped", "resources", w))
    dists = tuple(
        _distribution(r, i, licence, w) for i, r in enumerate(resources) if isinstance(r, dict)
    )
    suspect = suspect or len(dists) != len(resources)

    text = json_source_bytes(pkg, limits, w, raw)
    return _Dataset(
        identifier=ident,
        title=_text(get("title")) or name,
        description=_text(get("notes")),
        publisher=_publisher(pkg, ex, w),
        contact_point=_contact(pkg, ex, w),
        keywords=keywords,
        themes=v.texts(themes),
        spatial=spatial,
        temporal=temporal,
        licence=licence,
        access_rights=_text(_field1(pkg, ex, "access_rights")),
        rights=_text(_field1(pkg, ex, "rights")),
        issued=dataset_issued,
        modified=dataset_modified,
        accrual_periodicity=_text(_field(pkg, ex, "frequency", "accrualPeriodicity", "accrual_periodicity")),
        landing_page=_text(_field(pkg, ex, "landing_page", "url")),
        language=v.texts(v.as_list(_field1(pkg, ex, "language"))),
        conforms_to=v.texts(v.as_list(_field1(pkg, ex, "conforms_to"))),
        hvd_categories=v.texts(v.as_list(_field1(pkg, ex, "hvd_category"))),
        uri=uri,
        distributions=dists,
        source=_SourceRecord(
            kind="ckan",
            media_type="application/json",
            text=text.decode("utf-8", "replace") if with_text else "",
            profile="ckan-andino" if _is_andino(pkg, ex) else "ckan",
        ),
        warnings=shape.warnings(pkg, "ckan", w, suspect),  # last: the readers above have run
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
    """One resource. The common case (strings already clean, formats and media types seen
    before) takes the short way; anything else goes through ``values`` as before."""
    get = r.get
    p = f"resources[{i}]"
    url = _text(get("url"))
    # The same URL under two field names is one URL, not a duplicate.
    d1, d2 = get("download_url"), get("downloadURL")
    a1, a2 = get("access_url"), get("accessURL")
    if d1 or d2:
        downloads = v.urls(dict.fromkeys(v.texts((d1, d2))), f"{p}.download_url", w)
        access = dict.fromkeys(v.texts((a1, a2))) if a1 or a2 else {}
        if url and url not in downloads:
            access[url] = None
        access_urls = tuple(u for u in v.urls(access, f"{p}.access_url", w) if u not in downloads)
    else:  # no download URL, the common case: v.urls of the access URLs, inline
        downloads = ()
        access = {}
        for a in (a1, a2, url) if a1 or a2 else (url,):
            a = a.strip() if type(a) is str else _text(a)
            if a:
                access[a] = None
        for a in access:
            if not _URL(a):
                w.append(NormaliseWarning("url-invalid", f"{p}.access_url", a[:500], "not an absolute URL"))
        access_urls = tuple(access)
    fmt = mt_from_format = fmt_raw = None
    raw_format = get("format")
    if type(raw_format) is str:
        (fmt, mt_from_format, fmt_raw), found = v.file_format_of(raw_format)
        if found is not None:
            w.append(NormaliseWarning(found[0], f"{p}.format", found[1], found[2]))
    elif raw_format is not None:
        fmt, mt_from_format, fmt_raw = v.file_format(raw_format, f"{p}.format", w)
    raw_mt = get("mimetype") or get("mediaType")
    mt = None
    if type(raw_mt) is str:
        mt, found = v.media_type_of(raw_mt)
        if found is not None:
            w.append(NormaliseWarning(found[0], f"{p}.mimetype", found[1], found[2]))
    elif raw_mt is not None:
        mt = v.media_type(raw_mt, f"{p}.mimetype", w)
    size = get("size")
    if size is None:
        size = get("byteSize")
    conforms, language = get("conforms_to"), get("language")
    return _Distribution(
        id=_text(get("id")) or f"{i}",
        title=_text(get("name")),
        description=_text(get("description")),
        access_urls=access_urls,
        download_urls=downloads,
        format=fmt,
        format_raw=fmt_raw,
        media_type=mt or mt_from_format,
        licence=_text(get("license")) or licence,
        rights=_text(get("rights")),
        byte_size=v.size(size, f"{p}.size", w) if size is not None else None,
        issued=_date(get("issued") or get("created"), f"{p}.issued", w),
        modified=_date(get("modified") or get("last_modified"), f"{p}.modified", w),
        conforms_to=v.texts(v.as_list(conforms)) if conforms else (),
        language=v.texts(v.as_list(language)) if language else (),
    )
