"""The REST API over metadata quality: dataset scores, each metric explained, the quality of a
catalogue, of its institutions and of the whole government, and ranked fixes.

Scores come from the latest complete run of a catalogue, which must have been assessed
(``govlens assess``); otherwise the answer is 404. Roll-ups and metadata fixes are read from
the per-run aggregates, never computed per request; coverage fixes are computed by the coverage
service once per run and kept (``govlens.coverage.cache``).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from govlens.errors import NotFound
from govlens.report.i18n import Translator
from govlens.coverage.fixes import fix_text
from govlens.coverage.taxonomy import builtin_taxonomy
from govlens.run.quality import (
    assessed_runs,
    coverage_fix_record,
    group_coverage_fixes,
    metadata_fix_record,
    score_record,
    summary_record,
)
from govlens.run.quality_facts import QualityReader, dataset_quality
from govlens.serve.web import store
from govlens.store import measurements as ms
from govlens.store import quality_stats

router = APIRouter(tags=["quality"])

Rating = Literal["excellent", "good", "sufficient", "bad"]


class ScoreRecord(BaseModel):
    """One dataset's scores: exactly the fields of ``govlens scores``."""

    catalogue: str
    dataset: str
    publisher: str | None
    mqa_score: int
    mqa_rating: Rating
    findability: int
    accessibility: int
    interoperability: int
    reusability: int
    contextuality: int
    dcat_ap_compliant: bool | None
    udata_score: float
    stars: int


class ScorePage(BaseModel):
    run: int
    items: list[ScoreRecord]
    next_after: str | None = None


class QualityRecord(BaseModel):
    """A group's quality, as ``govlens publishers`` prints it; ``publisher`` is null for a whole
    catalogue and ``catalogue`` too for the whole government."""

    catalogue: str | None
    publisher: str | None
    publisher_key: str | None
    datasets: int
    distributions: int
    mqa_mean: float | None
    mqa_rating: Rating | None
    udata_mean: float | None
    findability_mean: float | None
    accessibility_mean: float | None
    interoperability_mean: float | None
    reusability_mean: float | None
    contextuality_mean: float | None
    dcat_ap_compliant_share: float | None
    stars_mean: float | None
    stars: dict[str, int]
    ratings: dict[str, int]
    metrics: dict[str, float | None]
    score_bins: list[int] | None = None


class FixRecord(BaseModel):
    """One ranked fix, as ``govlens fixes`` prints it with ``text`` in the language asked.

    Metadata fixes (``kind`` "metadata") come first, ranked by MQA points gained; their
    ``dataset_ids`` hold up to 10 of the datasets they raise (``govlens fixes`` lists them all).
    Coverage fixes (``kind`` "coverage") follow: a priority dataset of ``category`` to publish
    (``action`` "publish-missing") or to open ("open-existing"), with the datasets found for it;
    they gain no points, so their point fields are null. ``rank`` counts within the kind."""

    catalogue: str
    publisher: str | None
    publisher_key: str | None
    rank: int
    action: str
    level: str
    datasets: int
    distributions: int
    points_each: float | None
    points_max: int | None
    mean_gain: float | None
    total_gain: int | None
    group_datasets: int
    text: str
    dataset_ids: list[str]
    kind: Literal["metadata", "coverage"]
    category: str | None


class MetricRecord(BaseModel):
    seq: int
    subject: str
    metric: str
    dimension: str
    value: bool | int | float | str | None
    points: float
    max_points: int
    verdict: Literal["yes", "no", "not_measured"]
    reason: str
    why: str


class DatasetQualityRecord(BaseModel):
    run: int
    score: ScoreRecord
    best_distribution: int | None
    metrics: list[MetricRecord]
    udata: dict[str, bool | None]


def _run(request: Request, name: str) -> int:
    """The catalogue's latest complete run, assessed, with its roll-ups (404 otherwise)."""
    (run,) = assessed_runs(store(request), name)
    quality_stats.ensure(store(request), run.id)
    return run.id


@router.get("/catalogues/{name}/scores", response_model=ScorePage, summary="Dataset scores of a catalogue")
def list_scores(
    request: Request,
    name: str,
    publisher: str | None = Query(None, description="Only this institution's datasets (by key)"),
    after: str | None = Query(None, description="Return datasets after this identifier"),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    """One record per dataset of the latest assessed run, in identifier order; pass
    ``next_after`` back as ``after`` for the next page."""
    run = _run(request, name)
    rows = ms.score_page(store(request), run, publisher=publisher, after=after, limit=limit)
    return {"run": run, "items": [score_record(name, s) for s in rows],
            "next_after": rows[-1].dataset if len(rows) == limit else None}


@router.get("/catalogues/{name}/scores/{identifier:path}", response_model=DatasetQualityRecord,
            summary="One dataset's scores, every metric explained")
def get_dataset_quality(request: Request, name: str, identifier: str,
                        lang: Literal["es", "en"] = "en") -> dict[str, Any]:
    """The dataset's scores and each MQA measurement with its points and why it passed or failed."""
    st = store(request)
    run = _run(request, name)
    view = dataset_quality(st, run, st.dataset(run, identifier).dataset)
    if view is None:
        raise NotFound("the dataset has no assessment in the latest run", catalogue=name, dataset=identifier)
    t = Translator(lang)
    return {
        "run": run, "score": score_record(name, view.score), "best_distribution": view.score.best_distribution,
        "metrics": [{"seq": x.seq, "subject": x.subject, "metric": x.metric, "dimension": x.dimension,
                     "value": x.value, "points": x.points, "max_points": x.max_points, "verdict": x.verdict,
                     "reason": x.reason, "why": t("why." + x.reason, **x.param_dict)} for x in view.lines],
        "udata": {c.name: c.value for c in view.criteria},
    }


def _names(request: Request, name: str) -> dict[str, Any]:
    st = store(request)
    return st.publishers(st.catalogue(name).id)


@router.get("/catalogues/{name}/quality", response_model=QualityRecord, summary="Quality of a catalogue")
def get_catalogue_quality(request: Request, name: str) -> dict[str, Any]:
    """Mean MQA score and band, dimension means, udata mean, stars, share of "yes" per metric
    and the score distribution (bins of 10 points; the first holds scores of 0 or less)."""
    run = _run(request, name)
    facts = QualityReader(store(request)).catalogue(name, run)
    if facts is None:  # pragma: no cover - _run checked the assessment
        raise NotFound("the latest run has not been assessed yet", catalogue=name)
    return {**summary_record(name, None, None, facts.summary), "score_bins": list(facts.summary.bins)}


@router.get("/catalogues/{name}/quality/publishers", response_model=list[QualityRecord],
            summary="Quality of each institution of a catalogue")
def list_publisher_quality(request: Request, name: str) -> list[dict[str, Any]]:
    """One record per institution (as ``govlens publishers``), best mean score first."""
    run = _run(request, name)
    names = _names(request, name)
    summaries = QualityReader(store(request)).summaries(run)
    out = [{**summary_record(name, names[k]["name"] if k in names else (k or None), k or None, s),
            "score_bins": list(s.bins)} for k, s in summaries.items()]
    out.sort(key=lambda r: (-(r["mqa_mean"] or 0), r["publisher_key"] or ""))
    return out


@router.get("/catalogues/{name}/quality/publishers/{key:path}", response_model=QualityRecord,
            summary="Quality of one institution")
def get_publisher_quality(request: Request, name: str, key: str) -> dict[str, Any]:
    run = _run(request, name)
    found = quality_stats.groups(store(request), run, [key], with_fixes=False)
    if key not in found:
        raise NotFound("no such institution in the latest assessed run", catalogue=name, publisher=key)
    names = _names(request, name)
    s = found[key].tally.summary()
    return {**summary_record(name, names[key]["name"] if key in names else key, key, s), "score_bins": list(s.bins)}


@router.get("/catalogues/{name}/fixes", response_model=list[FixRecord], summary="Ranked fixes")
def list_fixes(request: Request, name: str, publisher: str | None = None,
               lang: Literal["es", "en"] = "en",
               kind: Literal["all", "metadata", "coverage"] = Query(
                   "all", description="Only metadata fixes (read from the roll-ups) or only coverage fixes")
               ) -> list[dict[str, Any]]:
    """What to fix first, for the whole catalogue or for one institution (``publisher``, by key):
    the metadata fixes that would raise the mean MQA score most, best first, then the priority
    datasets to publish or to open (coverage fixes, classified once per run and kept)."""
    st = store(request)
    run = _run(request, name)
    found = quality_stats.groups(st, run, [publisher]) if publisher is not None else {}
    group = found.get(publisher) if publisher is not None else quality_stats.run_group(st, run)  # type: ignore[arg-type]
    if group is None:
        raise NotFound("no such institution in the latest assessed run", catalogue=name, publisher=publisher)
    names = _names(request, name)
    label = None if publisher is None else (names[publisher]["name"] if publisher in names else publisher)
    head = {"catalogue": name, "publisher": label, "publisher_key": publisher}
    out = []
    if kind != "coverage":
        out += [{**head, **metadata_fix_record(rank, f, {"text": f.text(lang)})}
                for rank, f in enumerate(group.fixes.fixes(), 1)]
    if kind != "metadata":
        tax = builtin_taxonomy()
        cov = group_coverage_fixes(st, st.run(run), publisher, group.tally.n)
        out += [{**head, **coverage_fix_record(rank, c, group.tally.n, {"text": fix_text(c, tax, lang)})}
                for rank, c in enumerate(cov, 1)]
    return out


@router.get("/quality", response_model=QualityRecord, summary="Quality of the whole government")
def get_government_quality(request: Request) -> dict[str, Any]:
    """Every catalogue's latest assessed run, merged."""
    st = store(request)
    facts = QualityReader(st).government(r.id for r in st.latest_runs())
    if facts is None:
        raise NotFound("no catalogue has been assessed yet; run `govlens assess`")
    return {**summary_record(None, None, None, facts.summary), "score_bins": list(facts.summary.bins)}
