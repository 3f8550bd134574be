"""data.gouv.fr's (udata) dataset quality score: nine criteria, 0 to 1 (quality-methods §2).

================================ ===================================================
criterion                        true when
================================ ===================================================
``license``                      the dataset (or, for DCAT sources, a distribution) has a licence
``temporal_coverage``            a temporal coverage is set
``spatial``                      a spatial coverage is set
``update_frequency``             a recognised frequency other than ``unknown``
``update_fulfilled_in_time``     ``(last_update + frequency − now).days ≥ −1``; true for
                                 frequencies without a period; absent without a frequency
``dataset_description_quality``  the description is longer than 100 characters
``has_open_format``              not every distribution has no format or a closed one
``all_resources_available``      no distribution's main URL was found unavailable
``resources_documentation``      a distribution is documentation or has a description
================================ ===================================================

The last three are absent for a dataset without distributions. Score = number
of true criteria / 9. Frequencies follow udata's ``UpdateFrequency`` (its
periods are transcribed below); the values catalogues use (EU frequency IRIs,
Dublin Core ``freq:``, ISO 8601 ``R/P1Y``, Spanish words) map to them through
``[frequencies]`` in ``aliases.toml``. ``last_update`` is the latest
modification date of the dataset or a distribution (issued when none).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

from govlens.assess import vocab
from govlens.model import Dataset, Distribution, LinkState

CRITERIA = (
    "license",
    "temporal_coverage",
    "spatial",
    "update_frequency",
    "update_fulfilled_in_time",
    "dataset_description_quality",
    "has_open_format",
    "all_resources_available",
    "resources_documentation",
)
QUALITY_MAX_SCORE = 9
QUALITY_DESCRIPTION_LENGTH = 100
CLOSED_FORMATS = frozenset({"pdf", "doc", "docx", "word", "xls", "excel", "xlsx"})
CLOSED_CODES = frozenset({"PDF", "DOC", "DOCX", "XLS", "XLSX"})

_D = timedelta(days=1)
#: udata UpdateFrequency periods (None: no period, always "in time").
PERIODS: dict[str, timedelta | None] = {
    "continuous": None, "oneMinute": timedelta(minutes=1), "fiveMinutes": timedelta(minutes=5),
    "tenMinutes": timedelta(minutes=10), "fifteenMinutes": timedelta(minutes=15),
    "thirtyMinutes": timedelta(minutes=30), "hourly": timedelta(hours=1), "bihourly": timedelta(hours=2),
    "trihourly": timedelta(hours=3), "twelveHours": timedelta(hours=12), "severalTimesADay": _D,
    "threeTimesADay": _D, "semidaily": _D, "daily": _D, "fiveTimesAWeek": 7 * _D,
    "threeTimesAWeek": 7 * _D, "semiweekly": 7 * _D, "weekly": 7 * _D, "biweekly": 14 * _D,
    "threeTimesAMonth": 31 * _D, "semimonthly": 31 * _D, "monthly": 31 * _D, "bimonthly": 62 * _D,
    "quarterly": 93 * _D, "threeTimesAYear": 365 * _D, "semiannual": 365 * _D, "annual": 365 * _D,
    "biennial": 730 * _D, "triennial": 1095 * _D, "quadrennial": 1460 * _D, "quinquennial": 1825 * _D,
    "decennial": 3650 * _D, "bidecennial": 7300 * _D, "tridecennial": 10950 * _D, "punctual": None,
    "irregular": None, "never": None, "notPlanned": None, "other": None, "unknown": None,
}


@cache
def _frequency_aliases() -> dict[str, str]:
    data = tomllib.loads(vocab.read_data("aliases.toml"))
    out = {vocab.token(k): k for k in PERIODS}
    out.update({vocab.token(k): v for k, v in data["frequencies"].items()})
    return out


@lru_cache(maxsize=4096)
def frequency(value: str | None) -> str | None:
    """udata's frequency id for a declared accrual periodicity, or None when unrecognised."""
    if not value:
        return None
    v = value.strip()
    low = v.lower()
    for prefix in ("http://publications.europa.eu/resource/authority/frequency/", "http://purl.org/cld/freq/",
                   "https://publications.europa.eu/resource/authority/frequency/"):
        if low.startswith(prefix):
            v = "eu:" + v[len(prefix):] if "europa" in prefix else v[len(prefix):]
            break
    return _frequency_aliases().get(vocab.token(v))


@lru_cache(maxsize=65536)
def parse_date(value: str) -> datetime | None:
    """An ISO 8601 date at any precision ("2014", "2014-10", dates, date-times) as naive UTC."""
    v = value.strip()
    try:
        if len(v) == 4 and v.isdigit():
            return datetime(int(v), 1, 1)
        if len(v) == 7 and v[4] == "-":
            return datetime(int(v[:4]), int(v[5:]), 1)
        d = datetime.fromisoformat(v)
    except ValueError:
        return None
    return d.astimezone(UTC).replace(tzinfo=None) if d.tzinfo else d


def last_update(ds: Dataset) -> datetime | None:
    best: datetime | None = None
    for value in (ds.modified, *(d.modified for d in ds.distributions)):
        d = parse_date(value) if value else None
        if d is not None and (best is None or d > best):
            best = d
    if best is None:
        for value in (ds.issued, *(d.issued for d in ds.distributions)):
            d = parse_date(value) if value else None
            if d is not None and (best is None or d > best):
                best = d
    return best


def closed_or_no_format(dist: Distribution) -> bool:
    return _closed(dist.format_raw or dist.format)


@lru_cache(maxsize=16384)
def _closed(declared: str | None) -> bool:
    if not declared or not declared.strip():
        return True
    if vocab.token(declared) in CLOSED_FORMATS:
        return True
    return vocab.format_code(declared) in CLOSED_CODES


def primary_url(dist: Distribution) -> str | None:
    """The URL that stands for the distribution: its first download URL, else its first access URL."""
    if dist.download_urls:
        return dist.download_urls[0]
    return dist.access_urls[0] if dist.access_urls else None


def criteria(ds: Dataset, links: Mapping[str, LinkState], now: datetime) -> tuple[bool | None, ...]:
    """The nine criteria; None where udata leaves a key out."""
    dists = ds.distributions
    freq = frequency(ds.accrual_periodicity)
    in_time: bool | None = None
    if freq is not None:
        period = PERIODS[freq]
        if period is None:
            in_time = True
        else:
            last = last_update(ds)
            in_time = last is not None and (last + period - now).days >= -1
    licensed = bool(ds.licence) or (
        ds.source is not None and ds.source.kind == "dcat" and any(d.licence for d in dists)
    )
    t = ds.temporal
    has_res = bool(dists)
    return (
        licensed,
        t is not None and bool(t.start or t.end),
        bool(ds.spatial),
        freq is not None and freq != "unknown",
        in_time,
        ds.description is not None and len(ds.description) > QUALITY_DESCRIPTION_LENGTH,
        (not all(closed_or_no_format(d) for d in dists)) if has_res else None,
        _all_available(dists, links) if has_res else None,
        any(d.kind == "documentation" or bool(d.description) for d in dists) if has_res else None,
    )


def _all_available(dists: tuple[Distribution, ...], links: Mapping[str, LinkState]) -> bool:
    if not links:
        return True  # nothing checked: udata's default "unknown" is truthy
    for d in dists:
        url = primary_url(d)
        st = links.get(url) if url else None
        if st is not None and st.outcome in ("broken", "failing"):
            return False
    return True


def score(values: tuple[bool | None, ...]) -> float:
    """Share of the nine criteria met, 0 to 1."""
    return sum(1 for v in values if v is True) / QUALITY_MAX_SCORE
