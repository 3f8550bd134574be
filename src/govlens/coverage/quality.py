"""Quality facts of a dataset that the coverage matrix reports (pure).

Machine-readable format and open licence are read from the dataset itself
with the MQA machine-readable file-type list (quality-methods §1.7) and the
CKAN open licence ids; freshness compares ``modified`` with the declared
frequency as udata's ``update_fulfilled_in_time`` does. Link states and MQA
scores come from the link checker and the metadata assessment as inputs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from govlens.model import Dataset, DatasetQuality, LinkState

#: MQA machine-readable file types (EU file-type codes), plus common spellings.
MACHINE_READABLE = frozenset(
    """csv geojson ics json json_ld kml kmz netcdf ods rdfa rdf_n_quads rdf_n_triples rdf_trig
    rdf_turtle rdf_xml rss shp xls xlsx xml jsonld json-ld ttl turtle nt n-triples rdf tsv gpkg
    geopackage api""".split()
)
MACHINE_READABLE_TYPES = frozenset(
    """text/csv application/json application/geo+json application/ld+json application/xml text/xml
    application/rdf+xml text/turtle application/n-triples application/vnd.ms-excel
    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
    application/vnd.oasis.opendocument.spreadsheet application/vnd.google-earth.kml+xml
    text/tab-separated-values application/geopackage+sqlite3""".split()
)
#: Open licences: the CKAN ids quality-methods §5 lists as open, and URI fragments.
OPEN_LICENCE_IDS = frozenset(
    """odc-pddl odc-odbl odc-by cc-zero cc0 cc-by cc-by-4.0 cc-by-sa cc-by-sa-4.0 gfdl other-open
    other-pd other-at uk-ogl""".split()
)
OPEN_LICENCE_PARTS = (
    "creativecommons.org/licenses/by/",
    "creativecommons.org/licenses/by-sa/",
    "creativecommons.org/publicdomain/zero",
    "opendatacommons.org/licenses/",
    "usa.gov/publicdomain",
    "publicdomain",
    "datos.gob.mx/libreusomx",
    "libre-uso-mx",
    "licence-ouverte",
    "open-government-licence",
    "data.europa.eu/eli/dec_impl/2021/1553",
    "authority/licence/cc_by",
    "authority/licence/cc0",
)
CLOSED_LICENCE_IDS = frozenset("notspecified cc-nc other-nc other-closed".split())

_DAY = timedelta(days=1)
#: Declared frequencies → period (ISO 8601 durations, EU frequency codes, CKAN words).
_FREQ_DAYS = {
    "daily": 1, "weekly": 7, "biweekly": 14, "monthly": 31, "bimonthly": 62,
    "quarterly": 92, "biannual": 183, "semiannual": 183, "annual": 366, "annually": 366,
    "yearly": 366, "biennial": 731, "triennial": 1096, "quinquennial": 1827,
    "annual_2": 183, "annual_3": 122, "monthly_2": 15, "monthly_3": 10, "weekly_2": 3,
    "weekly_3": 2, "daily_2": 1, "hourly": 1, "cont": 1, "continuous": 1, "update_cont": 1,
}
#: Frequencies with no period: always "in time" (udata's rule).
_NO_PERIOD = frozenset("irreg irregular unknown other never not_planned notplanned op_datpro".split())
_ISO = re.compile(r"^(?:R/)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:\d+S)?)?$")


def machine_readable(ds: Dataset) -> bool:
    for d in ds.distributions:
        for token in (d.format, d.format_raw):
            if token and _format_key(token) in MACHINE_READABLE:
                return True
        if d.media_type and d.media_type.split(";")[0].strip().lower() in MACHINE_READABLE_TYPES:
            return True
    return False


def _format_key(token: str) -> str:
    t = token.strip().rstrip("/").rsplit("/", 1)[-1].lower()
    return t.lstrip(".")


def open_licence(ds: Dataset) -> bool | None:
    """True when the dataset (or every distribution that states one) has an open
    licence, False when one is known to be closed, None when none is declared."""
    declared = [x for x in (ds.licence, *(d.licence for d in ds.distributions)) if x]
    if not declared:
        return None
    verdicts = [_licence_open(x) for x in declared]
    if any(v is False for v in verdicts):
        return False
    return True if any(verdicts) else None


def _licence_open(value: str) -> bool | None:
    v = value.strip().lower()
    if v in OPEN_LICENCE_IDS:
        return True
    if v in CLOSED_LICENCE_IDS:
        return False
    if any(p in v for p in OPEN_LICENCE_PARTS):
        return True
    return None


def frequency_period(value: str | None) -> timedelta | None | bool:
    """The period of a declared frequency; ``False`` for "no period"; ``None`` if unknown."""
    if not value:
        return None
    v = value.strip()
    m = _ISO.match(v.upper())
    if m and any(m.groups()):
        y, mo, w, d, h, mi = (int(x) if x else 0 for x in m.groups())
        days = y * 366 + mo * 31 + w * 7 + d + (h / 24) + (mi / 1440)
        return timedelta(days=max(days, 1 / 24))
    key = v.rstrip("/").rsplit("/", 1)[-1].lower()
    if key in _NO_PERIOD:
        return False
    if key in _FREQ_DAYS:
        return timedelta(days=_FREQ_DAYS[key])
    return None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    v = value.strip().replace("Z", "+00:00")
    for n in (len(v), 19, 10, 7, 4):
        try:
            dt = datetime.fromisoformat(v[:n]) if n > 7 else datetime.strptime(v[:n], "%Y-%m" if n == 7 else "%Y")
        except ValueError:
            continue
        return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return None


def fresh(ds: Dataset, now: datetime) -> bool | None:
    """udata's ``update_fulfilled_in_time``: ``modified + period ≥ now − 1 day``;
    True for frequencies with no period, None when frequency or date is unknown."""
    period = frequency_period(ds.accrual_periodicity)
    if period is None:
        return None
    if period is False:
        return True
    last = _parse_date(ds.modified) or _parse_date(ds.issued)
    if last is None:
        return None
    assert isinstance(period, timedelta)
    return last + period >= now - _DAY


def band(score: float | None) -> str | None:
    """MQA rating band of a 0..405 score (quality-methods §1.4)."""
    if score is None:
        return None
    if score >= 351:
        return "excellent"
    if score >= 221:
        return "good"
    if score >= 121:
        return "sufficient"
    return "bad"


def dataset_quality(
    ds: Dataset,
    *,
    now: datetime,
    links: Mapping[str, LinkState] | None = None,
    mqa_score: float | None = None,
) -> DatasetQuality:
    checked = ok = 0
    if links:
        for url in dict.fromkeys(u for d in ds.distributions for u in d.urls):
            state = links.get(url)
            if state is not None and state.outcome != "unknown":
                checked += 1
                ok += state.outcome == "ok"
    return DatasetQuality(
        identifier=ds.identifier,
        machine_readable=machine_readable(ds),
        open_licence=open_licence(ds),
        fresh=fresh(ds, now),
        links_checked=checked,
        links_ok=ok,
        mqa_score=mqa_score,
        mqa_band=band(mqa_score),
    )
