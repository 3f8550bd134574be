"""Quality facts of a dataset that the coverage matrix reports (pure).

Machine-readable format and open licence are read from the dataset itself
with the metadata assessment's vocabularies (``govlens.assess.vocab``, the
single source of the machine-readable file types of quality-methods §1.7 and
of open licences); freshness compares ``modified`` with the declared
frequency as udata's ``update_fulfilled_in_time`` does. Link states and MQA
scores come from the link checker and the metadata assessment as inputs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from govlens.assess import vocab
from govlens.assess.score import rating
from govlens.model import Dataset, DatasetQuality, LinkState

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
    """True when a distribution declares a machine-readable format: its format,
    raw format or media type stands for an EU file type of MQA's
    machine-readable list (quality-methods §1.7), read with the assessment's
    vocabularies (:func:`govlens.assess.vocab.format_code`,
    :func:`~govlens.assess.vocab.media_code`, with the documented aliases)."""
    return any(_distribution_machine_readable(d.format, d.format_raw, d.media_type) for d in ds.distributions)


@lru_cache(maxsize=16384)
def _distribution_machine_readable(fmt: str | None, raw: str | None, media: str | None) -> bool:
    readable = vocab.tables().machine_readable
    codes = (
        vocab.format_code(fmt) if fmt else None,
        vocab.format_code(raw) if raw and raw != fmt else None,
        vocab.media_code(media) if media and media.strip() else None,
    )
    return any(c in readable for c in codes if c is not None)


def open_licence(ds: Dataset) -> bool | None:
    """True when the dataset (or every distribution that states one) has an open
    licence, False when one is known not to be open, None when none is declared
    or none is recognised. Licences are read with the assessment's licence table
    (:func:`govlens.assess.vocab.licence`: EU authority and EDP vocabulary, the
    Open Definition register and the documented aliases)."""
    declared = [x for x in (ds.licence, *(d.licence for d in ds.distributions)) if x]
    if not declared:
        return None
    verdicts = [_licence_open(x) for x in declared]
    if any(v is False for v in verdicts):
        return False
    return True if any(verdicts) else None


def _licence_open(value: str) -> bool | None:
    hit = vocab.licence(value)
    return None if hit is None else hit.open


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
    return _in_time(period, _last_update(ds) if isinstance(period, timedelta) else None, now)


def _last_update(ds: Dataset) -> datetime | None:
    return _parse_date(ds.modified) or _parse_date(ds.issued)


def _in_time(period: timedelta | None | bool, last: datetime | None, now: datetime) -> bool | None:
    """:func:`fresh` from the declared ``period`` and the ``last`` update."""
    if period is None:
        return None
    if period is False:
        return True
    if last is None:
        return None
    assert isinstance(period, timedelta)
    return last + period >= now - _DAY


def band(score: float | None) -> str | None:
    """MQA rating band of a 0..405 score or mean score (``govlens.assess.score.rating``)."""
    return None if score is None else rating(score)


@dataclass(frozen=True, slots=True)
class Facts:
    """What a dataset's quality needs that the dataset alone fixes: its verdicts on format and
    licence, the inputs of freshness and its distinct distribution URLs. The rest (freshness at a
    given time, link states, MQA score) is read by :func:`measured` when asked."""

    identifier: str
    machine_readable: bool
    open_licence: bool | None
    period: timedelta | None | bool
    last: datetime | None
    urls: tuple[str, ...]


def dataset_facts(ds: Dataset) -> Facts:
    period = frequency_period(ds.accrual_periodicity)
    return Facts(ds.identifier, machine_readable(ds), open_licence(ds), period,
                 _last_update(ds) if isinstance(period, timedelta) else None,
                 tuple(dict.fromkeys(u for d in ds.distributions for u in d.urls)))


def measured(
    facts: Facts,
    *,
    now: datetime,
    outcomes: Mapping[str, str] | None = None,
    mqa_score: float | None = None,
) -> DatasetQuality:
    """The quality of a dataset of ``facts`` at ``now``, with these link outcomes (URL → the
    outcome of its latest check) and MQA score."""
    checked = ok = 0
    if outcomes:
        for url in facts.urls:
            outcome = outcomes.get(url)
            if outcome is not None and outcome != "unknown":
                checked += 1
                ok += outcome == "ok"
    return DatasetQuality(
        identifier=facts.identifier,
        machine_readable=facts.machine_readable,
        open_licence=facts.open_licence,
        fresh=_in_time(facts.period, facts.last, now),
        links_checked=checked,
        links_ok=ok,
        mqa_score=mqa_score,
        mqa_band=band(mqa_score),
    )


def dataset_quality(ds: Dataset, *, now: datetime, links: Mapping[str, LinkState] | None = None,
                    mqa_score: float | None = None) -> DatasetQuality:
    """:func:`measured` of the dataset's :func:`dataset_facts`, with these link states."""
    return measured(dataset_facts(ds), now=now, outcomes=link_outcomes(links), mqa_score=mqa_score)


def link_outcomes(links: Mapping[str, LinkState] | None) -> dict[str, str] | None:
    """URL → outcome of the given link states."""
    return None if links is None else {url: state.outcome for url, state in links.items()}
