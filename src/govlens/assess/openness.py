"""Tim Berners-Lee's 5-star openness, as ckanext-qa scores it (quality-methods §3).

Per distribution (``resource_score``), on its main URL (first download URL,
else first access URL):

1. the link is known to be broken (the latest check's outcome is ``broken``) ⇒ 0;
2. else the format detected in the file's content, when the file was inspected;
3. else the URL's extension: a format in the table ⇒ its stars, a known format
   without stars ⇒ 1;
4. else the declared format ⇒ its stars;
5. else ⇒ 1 ("could not understand the file format");
6. a score above 0 with a licence that is not open ⇒ 0.

The dataset takes the best of its distributions (0 without distributions).
"Open" is the Open Definition register's verdict (od or osd approved), shipped
with govlens; the licence is the distribution's, else the dataset's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from govlens.assess import vocab
from govlens.assess.udata import primary_url
from govlens.model import Distribution, InspectionFact, LinkState

MAX_STARS = 5


def url_filename(url: str) -> str | None:
    """The last path segment of a URL (lower case), without query or fragment; None without a path."""
    i = url.find("://")
    start = url.find("/", i + 3) if i >= 0 else 0
    if start < 0:
        return None
    path = url[start:].split("?", 1)[0].split("#", 1)[0]
    return path.rsplit("/", 1)[-1].lower()


@lru_cache(maxsize=4096)
def _ext_stars(exts: str) -> int | None:
    """Stars for ``"csv"`` or ``"tar.gz"`` (the last two extensions tried first)."""
    parts = exts.split(".")
    for ext in (exts, parts[-1]) if len(parts) > 1 else (exts,):
        hit = vocab.stars_for_name(ext)
        if hit is not None:
            return hit
        if vocab.format_code(ext) is not None:
            return 1  # a known format the table does not score
    return None


def extension_stars(url: str) -> int | None:
    """Stars for a URL's file extension (``.csv``, ``.tar.gz``); None when it names no known format."""
    name = url_filename(url)
    if not name or "." not in name:
        return None
    return _ext_stars(".".join(name.split(".")[1:][-2:]))


@lru_cache(maxsize=16384)
def _declared(fmt: str | None, raw: str | None, media: str | None) -> int | None:
    for value in (fmt, raw, media):
        if value:
            hit = vocab.stars_for_name(value)
            if hit is not None:
                return hit
    return None


def declared_stars(dist: Distribution) -> int | None:
    return _declared(dist.format, dist.format_raw, dist.media_type)


@lru_cache(maxsize=65536)
def licence_open(value: str | None) -> bool:
    if not value:
        return False
    hit = vocab.licence(value)
    return hit is not None and hit.open


def distribution_stars(
    dist: Distribution,
    licence: str | None,
    links: Mapping[str, LinkState],
    files: Mapping[str, InspectionFact] | None = None,
) -> int:
    url = primary_url(dist)
    if url is not None and links:
        st = links.get(url)
        if st is not None and st.outcome == "broken":
            return 0
    stars: int | None = None
    if files and url is not None:
        fc = files.get(url)
        if fc is not None and fc.served_format:
            stars = vocab.stars_for_name(fc.served_format)
            if stars is None and vocab.format_code(fc.served_format) is not None:
                stars = 1
    if stars is None and url is not None:
        stars = extension_stars(url)
    if stars is None:
        stars = declared_stars(dist)
    if stars is None:
        stars = 1
    if stars > 0 and not licence_open(dist.licence or licence):
        return 0
    return stars
