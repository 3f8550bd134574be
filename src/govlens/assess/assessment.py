"""Everything govlens measures on one dataset, and its measurements as DQV-shaped rows.

:func:`assess_dataset` is the one entry point of the pure scorers: MQA facts and
score, udata criteria and score, 5-star openness, DCAT-AP SHACL compliance and
POD schema validity. Inputs beyond the dataset are explicit:

* ``links``: URL → latest :class:`~govlens.model.LinkState` (from the link
  checker's store). A URL absent from the mapping was not checked: it scores
  0 and shows as "not checked", never as failed.
* ``files``: URL → :class:`~govlens.model.InspectionFact` (from file inspection);
  absent means not inspected (``formatMatch``/``syntaxValid`` not measured).
* ``now``: the reference time for udata's "updated in time" (the pipeline
  passes the harvest run's time so re-assessing a run is reproducible).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from govlens.assess import mqa, openness, udata
from govlens.assess.compliance import Compliance, compliance
from govlens.assess.facts import (
    NO_LINKS,
    Facts,
    dataset_facts,
    distribution_facts,
    inherited_licence,
)
from govlens.assess.metrics import (
    DATASET_METRICS,
    DEFAULT_WEIGHTS,
    DI_INDEX,
    DISTRIBUTION_METRICS,
    DS_INDEX,
    Weights,
)
from govlens.assess.mqa import MqaScore
from govlens.assess.pod import PodResult, pod_validity
from govlens.model import Dataset, InspectionFact, LinkState, MeasurementValue, QualityMeasurement

UDATA_PREFIX = "udata:"
STARS = "openness:stars"
UDATA_SCORE = "udata:score"
POD_VALID, POD_ERRORS = "pod:schemaValid", "pod:errors"
SHACL_SHAPES, SHACL_VALIDATED, SHACL_VIOLATIONS = "shacl:shapes", "shacl:validated", "shacl:violations"


@dataclass(frozen=True, slots=True)
class DatasetAssessment:
    identifier: str
    publisher: str | None
    mqa: MqaScore
    ds_facts: Facts
    dist_facts: tuple[Facts, ...]
    dist_ids: tuple[str, ...]
    udata_criteria: tuple[bool | None, ...]
    udata: float
    dist_stars: tuple[int, ...]
    stars: int
    compliance: Compliance | None = None
    pod: PodResult | None = None
    #: What each fix would gain on this dataset, ``(action index, points, distributions changed)``
    #: (``govlens.advise.fixes.dataset_gains``), when the pipeline's workers computed it; the store
    #: computes it otherwise.
    fix_gains: tuple[tuple[int, int, int], ...] | None = None

    @property
    def dcat_ap_compliant(self) -> bool | None:
        return self.ds_facts[DS_INDEX["dcatApCompliance"]]  # type: ignore[return-value]


def assess_dataset(
    ds: Dataset,
    *,
    links: Mapping[str, LinkState] = NO_LINKS,
    files: Mapping[str, InspectionFact] | None = None,
    now: datetime | None = None,
    shacl: bool = True,
    pod: bool = True,
    weights: Weights = DEFAULT_WEIGHTS,
) -> DatasetAssessment:
    """Assess one dataset (pure). ``shacl=False``/``pod=False`` skip the schema checks."""
    when = now if now is not None else datetime.now(UTC).replace(tzinfo=None)
    comp = compliance(ds, details=True) if shacl else None
    ds_f = dataset_facts(ds, comp.conforms if comp is not None else None)
    inherit = inherited_licence(ds)
    dists = ds.distributions
    di_f = tuple([distribution_facts(d, inherit, links, files) for d in dists])
    crit = udata.criteria(ds, links, when)
    stars = tuple([openness.distribution_stars(d, ds.licence, links, files) for d in dists])
    return DatasetAssessment(
        identifier=ds.identifier,
        publisher=ds.publisher.key if ds.publisher is not None else None,
        mqa=mqa.score(ds_f, di_f, weights),
        ds_facts=ds_f,
        dist_facts=di_f,
        dist_ids=tuple([d.id for d in dists]),
        udata_criteria=crit,
        udata=udata.score(crit),
        dist_stars=stars,
        stars=max(stars, default=0),
        compliance=comp,
        pod=pod_validity(ds) if pod else None,
    )


#: One measurement as plain values, in :class:`~govlens.model.QualityMeasurement`'s field order:
#: ``(dataset, seq, subject, metric, value, points)``.
MeasurementTuple = tuple[str, int, str, str, MeasurementValue, float]


def measurement_tuples(a: DatasetAssessment, weights: Weights = DEFAULT_WEIGHTS) -> list[MeasurementTuple]:
    """The assessment as DQV-shaped rows (one per metric and subject), as plain tuples."""
    ident = a.identifier
    pts = mqa.points
    rows: list[MeasurementTuple] = [
        (ident, 0, ident, m.name, v, pts(v, t, f, m.status))
        for m, (t, f), v in zip(DATASET_METRICS, weights.dataset, a.ds_facts, strict=True)
    ]
    dist_metrics = tuple(zip(DISTRIBUTION_METRICS, weights.distribution, strict=True))
    for i, (did, facts, stars) in enumerate(zip(a.dist_ids, a.dist_facts, a.dist_stars, strict=True), 1):
        rows.extend([
            (ident, i, did, m.name, v, pts(v, t, f, m.status))
            for (m, (t, f)), v in zip(dist_metrics, facts, strict=True)
        ])
        rows.append((ident, i, did, STARS, stars, 0))
    rows.extend([
        (ident, 0, ident, UDATA_PREFIX + name, v, 1 if v is True else 0)
        for name, v in zip(udata.CRITERIA, a.udata_criteria, strict=True)
    ])
    rows.append((ident, 0, ident, UDATA_SCORE, round(a.udata, 6), 0))
    rows.append((ident, 0, ident, STARS, a.stars, 0))
    if a.compliance is not None:
        c = a.compliance
        rows.append((ident, 0, ident, SHACL_SHAPES, c.shapes, 0))
        rows.append((ident, 0, ident, SHACL_VALIDATED, c.validated, 0))
        if c.violations or c.error:
            rows.append((ident, 0, ident, SHACL_VIOLATIONS, "\n".join(c.violations) or c.error, 0))
    if a.pod is not None:
        rows.append((ident, 0, ident, POD_VALID, a.pod.valid, 0))
        if a.pod.errors:
            rows.append((ident, 0, ident, POD_ERRORS, "\n".join(a.pod.errors), 0))
    return rows


def measurements(a: DatasetAssessment, weights: Weights = DEFAULT_WEIGHTS) -> list[QualityMeasurement]:
    """The assessment as DQV-shaped rows (one per metric and subject)."""
    return [QualityMeasurement(*r) for r in measurement_tuples(a, weights)]


@dataclass(frozen=True, slots=True)
class StoredFacts:
    """What the scorers need back from stored measurements, to rescore without re-assessing."""

    identifier: str
    ds_facts: Facts
    dist_facts: tuple[Facts, ...]
    dist_ids: tuple[str, ...]


def facts_from_measurements(identifier: str, rows: Iterable[QualityMeasurement]) -> StoredFacts:
    """Rebuild a dataset's MQA facts from its measurement rows (any order)."""
    ds: list[bool | int | None] = [None] * len(DATASET_METRICS)
    dists: dict[int, tuple[str, list[bool | int | None]]] = {}
    for r in rows:
        if r.seq == 0:
            j = DS_INDEX.get(r.metric)
            if j is not None:
                ds[j] = r.value  # type: ignore[assignment]
            continue
        slot = dists.setdefault(r.seq, (r.subject, [None] * len(DISTRIBUTION_METRICS)))
        k = DI_INDEX.get(r.metric)
        if k is not None:
            slot[1][k] = r.value  # type: ignore[assignment]
    ordered = [dists[s] for s in sorted(dists)]
    return StoredFacts(identifier, tuple(ds), tuple(tuple(v) for _, v in ordered),
                       tuple(i for i, _ in ordered))


def rescore(facts: StoredFacts, weights: Weights) -> MqaScore:
    return mqa.score(facts.ds_facts, facts.dist_facts, weights)


def assess_many(datasets: Sequence[Dataset], **kwargs: object) -> list[DatasetAssessment]:
    return [assess_dataset(ds, **kwargs) for ds in datasets]  # type: ignore[arg-type]
