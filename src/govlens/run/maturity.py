"""The maturity pipeline: collect measurements from whatever the store holds, score every
institution and the whole government, rank recommendations and check the action plan.

The measurement sources are in :mod:`govlens.run.maturity_sources`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from govlens.config import Settings
from govlens.maturity.indicators import MeasurementSet, for_institutions
from govlens.maturity.plan import check_plan
from govlens.maturity.questionnaire import Questionnaire, load_questionnaire
from govlens.maturity.recommend import Recommendation, recommend
from govlens.maturity.scoring import Scores, score_all
from govlens.model import ActionCheck, Answer, Measurement
from govlens.run.maturity_sources import PREVIOUS, SOURCES
from govlens.store import Store
from govlens.store.maturity import InstitutionRow, MaturityStore


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
