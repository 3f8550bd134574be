"""The maturity pipeline: collect measurements from whatever the store holds, score every
institution and the whole government, rank recommendations and check the action plan.

Measurement sources are small functions ``(MaturityStore, institutions) -> [Measurement]``
listed in :data:`SOURCES`. Each reads what another stage stored and returns nothing when
that stage has not run; no value is ever made up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from govlens.config import Settings
from govlens.maturity.indicators import MeasurementSet, for_institutions
from govlens.maturity.plan import check_plan
from govlens.maturity.questionnaire import Questionnaire, load_questionnaire
from govlens.maturity.recommend import Recommendation, recommend
from govlens.maturity.scoring import Scores, score_all
from govlens.model import GOVERNMENT, ActionCheck, Answer, Measurement
from govlens.store import Store
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


_HVD_CACHE: dict[tuple[str, tuple[int, ...]], list[Measurement]] = {}


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
    key = (ms.store.engine.url.render_as_string(hide_password=True), tuple(sorted(r.id for r in runs)))
    if key not in _HVD_CACHE:
        cov = coverage(ms.store)
        cells = list(cov.government) + [c for cat in cov.catalogues for c in cat.cells]
        label = ", ".join(f"{r.catalogue}#{r.id}" for r in sorted(runs, key=lambda r: r.catalogue))
        _HVD_CACHE.clear()
        _HVD_CACHE[key] = hvd_availability(cells, run=label, measured_at=datetime.now(UTC).isoformat())
    return list(_HVD_CACHE[key])


SOURCES: list[Source] = [publishing_institutions, high_value_datasets]
#: Sources of the previous run's values (for trends such as rising link rot).
PREVIOUS: list[Source] = []


def collect_measurements(ms: MaturityStore, institutions: Sequence[InstitutionRow]) -> MeasurementSet:
    """Every source's measurements, per publisher combined into the institutions."""
    latest: list[Measurement] = []
    previous: list[Measurement] = []
    for source in SOURCES:
        latest.extend(source(ms, institutions))
    for source in PREVIOUS:
        previous.extend(source(ms, institutions))
    owners = {i.id: i.publishers for i in institutions}
    return MeasurementSet.of(for_institutions(latest, owners), for_institutions(previous, owners))


@dataclass(frozen=True, slots=True)
class MaturityState:
    """Everything the maturity views show, computed from one database at one moment."""

    questionnaire: Questionnaire
    institutions: tuple[InstitutionRow, ...]
    answers: tuple[Answer, ...]
    measurements: MeasurementSet
    scores: dict[str, Scores]
    recommendations: dict[str, list[Recommendation]]

    @property
    def names(self) -> dict[str, str]:
        return {i.id: i.name for i in self.institutions}


def evaluate(store: Store, measurements: MeasurementSet | None = None) -> MaturityState:
    ms = MaturityStore(store)
    q = load_questionnaire()
    institutions = tuple(ms.institutions())
    answers = tuple(ms.answers())
    measured = measurements if measurements is not None else collect_measurements(ms, institutions)
    scores = score_all(q, answers, measured, [i.id for i in institutions])
    names = {i.id: i.name for i in institutions}
    return MaturityState(q, institutions, answers, measured, scores,
                         recommend(q, scores, measured, names))


def check_actions(store: Store, now: datetime | None = None,
                  state: MaturityState | None = None) -> list[ActionCheck]:
    """Check every action's target now, and keep the result in the history."""
    ms = MaturityStore(store)
    st = state or evaluate(store)
    checks = check_plan(ms.actions(), st.measurements, st.scores, now or datetime.now(UTC))
    ms.record_checks(checks)
    return checks


def after_run(settings: Settings, now: datetime | None = None) -> list[ActionCheck]:
    """What every pipeline run ends with: check the action plan's targets against the new
    results (nothing to do, and nothing read, when no action was adopted)."""
    with Store.open(settings.db_url) as store:
        if not MaturityStore(store).actions():
            return []
        return check_actions(store, now)
