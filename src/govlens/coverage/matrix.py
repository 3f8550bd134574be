"""The coverage matrix: which priority datasets each publisher and the whole
government publish, and how good the ones found are (pure).

Rows are (category, publisher) cells for every publisher seen and every
category of the taxonomy, plus one row per category for the whole government
(publisher :data:`~govlens.model.WHOLE_GOVERNMENT`, ``"*"``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from govlens.coverage.classify import AUTO, THRESHOLD, Similar, classify
from govlens.coverage.quality import Facts, band, dataset_facts, link_outcomes, measured
from govlens.coverage.taxonomy import Taxonomy
from govlens.coverage.terms import TermTable, builtin_table
from govlens.model import (
    GOVERNMENT,
    WHOLE_GOVERNMENT,
    CategoryMatch,
    CoverageCell,
    CoverageQuality,
    Dataset,
    DatasetQuality,
    LinkState,
    Measurement,
)


@dataclass(frozen=True, slots=True)
class Found:
    """A dataset that belongs to at least one category, with its quality."""

    identifier: str
    publisher: str | None
    matches: tuple[CategoryMatch, ...]
    quality: DatasetQuality


@dataclass(frozen=True, slots=True)
class Classified:
    """A dataset that belongs to at least one category, with the facts of its quality that the
    dataset alone fixes (what :func:`measure` turns into its quality when asked)."""

    publisher: str | None
    matches: tuple[CategoryMatch, ...]
    facts: Facts


def classified(
    datasets: Iterable[Dataset],
    *,
    table: TermTable | None = None,
    threshold: float = THRESHOLD,
    similar: Similar = AUTO,
) -> Iterator[Classified]:
    """Classify each dataset; yield those in some category (``similar`` as in
    :func:`~govlens.coverage.classify.classify`)."""
    table = table or builtin_table()
    for ds in datasets:
        matches = classify(ds, table, threshold=threshold, similar=similar)
        if matches:
            yield Classified(ds.publisher.key if ds.publisher else None, matches, dataset_facts(ds))


def measure(
    items: Iterable[Classified],
    *,
    now: datetime,
    outcomes: Mapping[str, str] | None = None,
    mqa: Mapping[str, float] | None = None,
) -> Iterator[Found]:
    """The classified datasets with their quality at ``now``, with these link outcomes (URL →
    outcome of its latest check) and MQA scores."""
    scores = mqa or {}
    for c in items:
        q = measured(c.facts, now=now, outcomes=outcomes, mqa_score=scores.get(c.facts.identifier))
        yield Found(c.facts.identifier, c.publisher, c.matches, q)


def find(
    datasets: Iterable[Dataset],
    *,
    now: datetime,
    links: Mapping[str, LinkState] | None = None,
    mqa: Mapping[str, float] | None = None,
    table: TermTable | None = None,
    threshold: float = THRESHOLD,
    similar: Similar = AUTO,
) -> Iterator[Found]:
    """Classify each dataset; yield those in some category with their quality facts
    (:func:`classified`, then :func:`measure`)."""
    return measure(classified(datasets, table=table, threshold=threshold, similar=similar),
                   now=now, outcomes=link_outcomes(links), mqa=mqa)


def summarise(qualities: Sequence[DatasetQuality]) -> CoverageQuality:
    if not qualities:
        return CoverageQuality()
    scores = [q.mqa_score for q in qualities if q.mqa_score is not None]
    best = max(
        qualities,
        key=lambda q: (
            q.open_data,
            q.machine_readable,
            bool(q.open_licence),
            q.links_ok / q.links_checked if q.links_checked else 0.0,
            bool(q.fresh),
            q.mqa_score or 0.0,
        ),
    )
    mean = fmean(scores) if scores else None
    return CoverageQuality(
        datasets=len(qualities),
        machine_readable=sum(q.machine_readable for q in qualities),
        open_licence=sum(bool(q.open_licence) for q in qualities),
        open_data=sum(q.open_data for q in qualities),
        fresh=sum(bool(q.fresh) for q in qualities),
        freshness_known=sum(q.fresh is not None for q in qualities),
        links_checked=sum(q.links_checked for q in qualities),
        links_ok=sum(q.links_ok for q in qualities),
        mqa_scored=len(scores),
        mqa_mean=round(mean, 1) if mean is not None else None,
        mqa_band=band(mean),
        best=best.identifier,
    )


def build(
    found: Iterable[Found],
    taxonomy: Taxonomy,
    *,
    publishers: Iterable[str] = (),
    categories: Sequence[str] | None = None,
) -> tuple[CoverageCell, ...]:
    """Cells for every category × (publisher seen or given, and the whole government)."""
    cats = tuple(categories) if categories is not None else taxonomy.ids()
    wanted = set(cats)
    hits: dict[tuple[str, str], list[tuple[float, DatasetQuality]]] = defaultdict(list)
    pubs: dict[str, None] = dict.fromkeys(publishers)
    for f in found:
        if f.publisher is not None:
            pubs.setdefault(f.publisher, None)
        for m in f.matches:
            if m.category not in wanted:
                continue
            for who in (WHOLE_GOVERNMENT, f.publisher):
                if who is not None:
                    hits[(m.category, who)].append((m.confidence, f.quality))
    cells = []
    for who in (WHOLE_GOVERNMENT, *sorted(pubs)):
        for cat in cats:
            rows = hits.get((cat, who), [])
            if not rows:
                cells.append(CoverageCell(cat, who, "missing"))
                continue
            rows.sort(key=lambda r: (-r[0], r[1].identifier))
            cells.append(
                CoverageCell(
                    category=cat,
                    publisher=who,
                    status="present",
                    datasets=tuple(q.identifier for _, q in rows),
                    confidence=rows[0][0],
                    quality=summarise([q for _, q in rows]),
                )
            )
    return tuple(cells)


def coverage_share(
    cells: Iterable[CoverageCell],
    *,
    publisher: str = WHOLE_GOVERNMENT,
    framework: str | None = None,
    open_only: bool = False,
) -> float | None:
    """Share (0..1) of the categories present for ``publisher`` (``"*"``: the
    government), optionally of one framework, optionally counting only those
    with at least one open, machine-readable dataset. None when no cell matches.

    This is the measured evidence for the OECD open-by-default items
    ("availability of high-value datasets as open data").
    """
    rows = [
        c for c in cells
        if c.publisher == publisher and (framework is None or c.category.startswith(framework + "."))
    ]
    if not rows:
        return None
    ok = sum(
        c.status == "present" and (not open_only or c.quality.open_data > 0) for c in rows
    )
    return ok / len(rows)


def record(cell: CoverageCell, taxonomy: Taxonomy, lang: str = "en") -> dict[str, Any]:
    """The CLI/API record of a cell (``publisher`` is ``"*"`` for the whole government)."""
    cat = taxonomy[cell.category]
    q = cell.quality
    quality: dict[str, Any] = {}
    if cell.status == "present":
        n = q.datasets
        quality = {
            "datasets": n,
            "machine_readable": q.machine_readable,
            "open_licence": q.open_licence,
            "open_data": q.open_data,
            "fresh": q.fresh,
            "freshness_known": q.freshness_known,
            "links_checked": q.links_checked,
            "links_ok": q.links_ok,
            "link_health": round(q.links_ok / q.links_checked, 3) if q.links_checked else None,
            "mqa_scored": q.mqa_scored,
            "mqa_mean": q.mqa_mean,
            "mqa_band": q.mqa_band,
            "best": q.best,
        }
    return {
        "category": cell.category,
        "label": cat.label.get(lang),
        "framework": cat.framework,
        "publisher": cell.publisher,
        "status": cell.status,
        "datasets": list(cell.datasets),
        "confidence": cell.confidence,
        "quality": quality,
    }


def hvd_availability(
    cells: Sequence[CoverageCell],
    *,
    run: str | None = None,
    measured_at: str | None = None,
    framework: str | None = None,
    open_only: bool = True,
) -> list[Measurement]:
    """``hvd_availability`` measurements for the maturity module: the share of
    high-value and anti-corruption categories available as open data, for the
    government (scope ``government``) and for each publisher (scope: its key)."""
    out = []
    for who in dict.fromkeys(c.publisher for c in cells):
        share = coverage_share(cells, publisher=who, framework=framework, open_only=open_only)
        if share is None:
            continue
        rows = [c for c in cells if c.publisher == who and (framework is None or c.category.startswith(framework + "."))]
        ok = round(share * len(rows))
        what = "as open data" if open_only else "present"
        out.append(
            Measurement(
                indicator="hvd_availability",
                scope=GOVERNMENT if who == WHOLE_GOVERNMENT else who,
                value=share,
                source="coverage",
                run=run,
                measured_at=measured_at,
                detail=f"{ok} of {len(rows)} priority datasets {what}",
            )
        )
    return out
