"""Measurement sources for the maturity module: each reads what another stage stored and
returns measurements per publisher key, per institution or for the whole government.

A source is a function ``(MaturityStore, institutions) -> [Measurement]`` listed in
:data:`SOURCES` (the latest values) or :data:`PREVIOUS` (the values at the previous run,
for trends). A source whose stage has not run returns nothing: no value is ever made up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from govlens.model import GOVERNMENT, Measurement
from govlens.store import RunRow
from govlens.store.maturity import InstitutionRow, MaturityStore

Source = Callable[[MaturityStore, Sequence[InstitutionRow]], list[Measurement]]


def publishing_institutions(ms: MaturityStore, institutions: Sequence[InstitutionRow]) -> list[Measurement]:
    """Which registered institutions publish at least one dataset in the latest runs."""
    if not institutions:
        return []
    counts, runs = ms.publisher_datasets()
    if not runs:
        return []
    run = ", ".join(runs)
    out = []
    publishing = 0
    for inst in institutions:
        n = sum(counts.get(p, 0) for p in inst.publishers)
        publishing += n > 0
        out.append(Measurement("publishing_institutions_share", inst.id, 1.0 if n else 0.0, "store",
                               run, detail=f"{n} datasets"))
    out.append(Measurement("publishing_institutions_share", GOVERNMENT,
                           publishing / len(institutions), "store", run,
                           detail=f"{publishing} of {len(institutions)} institutions"))
    return out


_CACHE: dict[tuple[object, ...], list[Measurement]] = {}


def _cached(key: tuple[object, ...], compute: Callable[[], list[Measurement]]) -> list[Measurement]:
    """Measurements that are costly to rebuild, kept until what they were computed from
    changes (``key`` names it); only the latest key of each source is kept."""
    if key not in _CACHE:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        _CACHE[key] = compute()
    return list(_CACHE[key])


def _runs_label(runs: Sequence[RunRow]) -> str:
    return ", ".join(f"{r.catalogue}#{r.id}" for r in sorted(runs, key=lambda r: r.catalogue))


def _db(ms: MaturityStore) -> str:
    return ms.store.engine.url.render_as_string(hide_password=True)


def high_value_datasets(ms: MaturityStore, institutions: Sequence[InstitutionRow]) -> list[Measurement]:
    """The share of high-value and anti-corruption datasets available as open data, per
    publisher and for the whole government (the coverage matrix of the latest runs).

    The matrix is rebuilt from the stored records, so its measurements are kept per set
    of latest runs and recomputed only when a new run completes."""
    from govlens.coverage import hvd_availability
    from govlens.coverage.service import coverage

    runs = ms.store.latest_runs()
    if not runs:
        return []

    def compute() -> list[Measurement]:
        cov = coverage(ms.store)
        cells = list(cov.government) + [c for cat in cov.catalogues for c in cat.cells]
        return hvd_availability(cells, run=_runs_label(runs), measured_at=datetime.now(UTC).isoformat())

    return _cached(("hvd", _db(ms), tuple(sorted(r.id for r in runs))), compute)


LinkRow = tuple[str | None, str, str | None, str | None]


def _link_measurements(rows: Sequence[LinkRow], run: str,
                       previous: bool) -> list[Measurement]:
    from govlens.aggregate.links import link_health

    if previous:  # the same URLs as they stood at each catalogue's previous run
        rows = [(k, url, before, None) for k, url, _now, before in rows]
    per, overall = link_health(rows)
    out: list[Measurement] = []
    for key, h in [*((k, v) for k, v in per.items() if k is not None), (GOVERNMENT, overall)]:
        if not h.checked:
            continue
        out.append(Measurement("link_health", key, h.ok / h.checked, "probe", run,
                               detail=f"{h.ok} of {h.checked} checked URLs work", weight=h.checked))
        out.append(Measurement("link_broken_share", key, h.broken / h.checked, "probe", run,
                               detail=f"{h.broken} of {h.checked} checked URLs broken",
                               weight=h.checked))
    return out


_ROWS: dict[tuple[object, ...], list[LinkRow]] = {}


def _link_rows(ms: MaturityStore) -> tuple[str, list[LinkRow]] | None:
    """Every (publisher, URL, outcome, previous outcome) of the latest runs, kept until a
    run or a probe changes."""
    from govlens.store.links import probe_runs, publisher_links

    runs = ms.store.latest_runs()
    probes = probe_runs(ms.store)
    if not runs or not probes:
        return None
    key = (_db(ms), tuple(sorted(r.id for r in runs)), tuple((p.id, p.status, p.checked) for p in probes))
    if key not in _ROWS:
        _ROWS.clear()
        _ROWS[key] = [row for r in runs for row in publisher_links(ms.store, r.id)]
    return _runs_label(runs), _ROWS[key]


def link_health_now(ms: MaturityStore, institutions: Sequence[InstitutionRow]) -> list[Measurement]:
    """Link health of the latest runs' URLs: the share that work and the share broken, per
    publisher and for the whole government (distinct URLs; unchecked URLs left out)."""
    got = _link_rows(ms)
    return [] if got is None else _link_measurements(got[1], got[0], previous=False)


def link_health_before(ms: MaturityStore, institutions: Sequence[InstitutionRow]) -> list[Measurement]:
    """The same URLs as checked at each catalogue's previous run (for rising link rot)."""
    got = _link_rows(ms)
    return [] if got is None else _link_measurements(got[1], got[0], previous=True)


MACHINE_READABLE_METRIC = "formatMediaTypeMachineInterpretable"


def _quality_measurements(ms: MaturityStore, runs: Sequence[RunRow]) -> list[Measurement]:
    from govlens.assess.metrics import MAX_SCORE
    from govlens.assess.openness import licence_open
    from govlens.run.quality import publisher_summaries

    label = _runs_label(runs)
    out: list[Measurement] = []
    totals: dict[str, list[tuple[float, float]]] = {}

    def add(indicator: str, scope: str, value: float, weight: float, detail: str) -> None:
        out.append(Measurement(indicator, scope, value, "assess", label, detail=detail, weight=weight))
        totals.setdefault(indicator, []).append((value, weight))

    for run in runs:
        for p in publisher_summaries(ms.store, run.catalogue):
            s, key = p.summary, p.publisher_key or ""
            if s.mqa_mean is not None and s.datasets:
                bad = dict(s.ratings).get("bad", 0)
                add("mqa_mean", key, s.mqa_mean, s.datasets, f"mean of {s.datasets} datasets")
                add("metadata_completeness", key, s.mqa_mean / MAX_SCORE, s.datasets,
                    f"mean MQA {s.mqa_mean:.0f} of {MAX_SCORE}")
                add("mqa_bad_share", key, bad / s.datasets, s.datasets,
                    f"{bad} of {s.datasets} datasets in the bad band")
            mr = next((m for m in s.metrics if m.metric == MACHINE_READABLE_METRIC), None)
            if mr is not None and mr.share is not None:
                add("machine_readable_share", key, mr.share, mr.measured,
                    f"{mr.yes} of {mr.measured} distributions")
        opened: dict[str, list[int]] = {}
        for sd in ms.store.iter_datasets(run.id):
            ds = sd.dataset
            is_open = licence_open(ds.licence) or any(licence_open(d.licence) for d in ds.distributions)
            tally = opened.setdefault(sd.publisher_key or "", [0, 0])
            tally[0] += is_open
            tally[1] += 1
        for key, (yes, n) in opened.items():
            add("open_licence_share", key, yes / n, n, f"{yes} of {n} datasets")
    for indicator, pairs in totals.items():
        weight = sum(w for _, w in pairs)
        if weight:
            out.append(Measurement(indicator, GOVERNMENT, sum(v * w for v, w in pairs) / weight, "assess",
                                   label, detail="all assessed catalogues", weight=weight))
    return [m for m in out if m.scope != ""]


def metadata_quality(ms: MaturityStore, institutions: Sequence[InstitutionRow]) -> list[Measurement]:
    """From the metadata assessment of the latest runs (only those assessed): mean MQA score,
    its share of the maximum, the share of datasets in the bad band, the share of
    distributions in a machine-readable format, and the share of datasets under an open
    licence (the Open Definition register that the assessment ships)."""
    from govlens.store import measurements as stored

    runs = [r for r in ms.store.latest_runs() if stored.has_assessment(ms.store, r.id)]
    if not runs:
        return []
    stamps = []
    for r in runs:
        a = stored.assessment(ms.store, r.id)
        stamps.append((r.id, str(a.rescored_at or a.assessed_at)))
    return _cached(("mqa", _db(ms), tuple(sorted(stamps))), lambda: _quality_measurements(ms, runs))


SOURCES: list[Source] = [publishing_institutions, high_value_datasets, link_health_now,
                         metadata_quality]
#: Sources of the previous run's values (for trends such as rising link rot).
PREVIOUS: list[Source] = [link_health_before]
