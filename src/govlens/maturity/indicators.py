"""The indicators govlens measures and the maturity module uses as evidence.

A :class:`~govlens.model.Measurement` carries one value of one of these
indicators for one scope. Sources fill a :class:`MeasurementSet`; the
questionnaire's measured items, the recommendation rules and the action plan
targets read from it. Nothing here computes a measurement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from govlens.errors import ConfigError
from govlens.maturity.questionnaire import Label
from govlens.model import GOVERNMENT, Measurement


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    label: Label
    unit: str  # share (0..1) | points
    source: str  # the area that measures it
    higher_is_better: bool = True
    maximum: float = 1.0
    #: How an institution's value follows from its publishers' values: ``mean`` (weighted
    #: by each measurement's weight) or ``max`` (an institution has what any of its
    #: publishers has).
    combine: str = "mean"

    def normalised(self, value: float) -> float:
        """The value as a share from 0 to 1, higher is better."""
        share = min(max(value / self.maximum, 0.0), 1.0)
        return share if self.higher_is_better else 1.0 - share


def _i(iid: str, en: str, es: str, source: str, **kw: object) -> Indicator:
    return Indicator(iid, Label(en, es), source=source, unit=str(kw.pop("unit", "share")), **kw)  # type: ignore[arg-type]


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        _i("open_licence_share", "Datasets under an open licence", "Conjuntos con licencia abierta",
           "assess"),
        _i("machine_readable_share", "Distributions in a machine-readable format",
           "Distribuciones en formato legible por máquina", "assess"),
        _i("metadata_completeness", "Metadata completeness (mean MQA score over its maximum)",
           "Completitud de metadatos (puntaje MQA medio sobre su máximo)", "assess"),
        _i("mqa_mean", "Mean MQA score", "Puntaje MQA medio", "assess", unit="points",
           maximum=405.0),
        _i("mqa_bad_share", "Datasets in the MQA 'bad' band", "Conjuntos en la banda MQA 'mala'",
           "assess", higher_is_better=False),
        _i("link_health", "Links that work", "Enlaces que funcionan", "probe"),
        _i("link_broken_share", "Broken links", "Enlaces rotos", "probe", higher_is_better=False),
        _i("hvd_availability", "High-value datasets available", "Conjuntos de alto valor disponibles",
           "coverage", combine="max"),
        _i("publishing_institutions_share", "Institutions that publish open data",
           "Instituciones que publican datos abiertos", "store"),
    )
}


def indicator(iid: str) -> Indicator:
    try:
        return INDICATORS[iid]
    except KeyError:
        raise ConfigError("unknown indicator", indicator=iid, known=", ".join(INDICATORS)) from None


@dataclass(frozen=True, slots=True)
class MeasurementSet:
    """Measurements keyed by (indicator, scope), with the previous value kept when a source
    reports one (for trends such as rising link rot)."""

    latest: Mapping[tuple[str, str], Measurement]
    previous: Mapping[tuple[str, str], Measurement]

    @classmethod
    def of(cls, latest: Iterable[Measurement], previous: Iterable[Measurement] = ()) -> MeasurementSet:
        def index(ms: Iterable[Measurement]) -> dict[tuple[str, str], Measurement]:
            out: dict[tuple[str, str], Measurement] = {}
            for m in ms:
                indicator(m.indicator)  # unknown indicators are a programming error
                out[(m.indicator, m.scope)] = m
            return out

        return cls(latest=index(latest), previous=index(previous))

    def get(self, iid: str, scope: str = GOVERNMENT) -> Measurement | None:
        return self.latest.get((iid, scope))

    def value(self, iid: str, scope: str = GOVERNMENT) -> float | None:
        m = self.latest.get((iid, scope))
        return None if m is None else m.value

    def prior(self, iid: str, scope: str = GOVERNMENT) -> float | None:
        m = self.previous.get((iid, scope))
        return None if m is None else m.value

    def scopes(self) -> set[str]:
        return {scope for _, scope in self.latest}

    def __len__(self) -> int:
        return len(self.latest)

    def __add__(self, other: MeasurementSet) -> MeasurementSet:
        return MeasurementSet({**self.latest, **other.latest}, {**self.previous, **other.previous})


EMPTY = MeasurementSet({}, {})


def for_institutions(
    measurements: Iterable[Measurement], institutions: Mapping[str, Sequence[str]]
) -> list[Measurement]:
    """Measurements per institution, from measurements per publisher key.

    ``institutions`` maps an institution id to its publisher keys. Government-wide
    measurements pass through; an institution's value combines its publishers' values
    by the indicator's rule; measurements of publishers that belong to no institution
    are dropped. Every combined measurement keeps the runs it came from.
    """
    owner: dict[str, list[str]] = {}
    for inst, keys in institutions.items():
        for k in keys:
            owner.setdefault(k, []).append(inst)
    out: list[Measurement] = []
    grouped: dict[tuple[str, str], list[Measurement]] = {}
    for m in measurements:
        if m.scope == GOVERNMENT or m.scope in institutions and m.scope not in owner:
            out.append(m)
            continue
        for inst in owner.get(m.scope, ()):
            grouped.setdefault((m.indicator, inst), []).append(m)
    for (iid, inst), ms in grouped.items():
        if len(ms) == 1:
            out.append(replace(ms[0], scope=inst))
            continue
        rule = indicator(iid).combine
        if rule == "max":
            value: float | None = max(m.value for m in ms)
        else:
            value = weighted_mean((m.value, m.weight if m.weight is not None else 1.0) for m in ms)
        if value is None:
            continue
        runs = sorted({m.run for m in ms if m.run})
        out.append(Measurement(
            iid, inst, value, ms[0].source, ", ".join(runs) or None,
            max((m.measured_at for m in ms if m.measured_at), default=None),
            f"{len(ms)} publishers", sum(m.weight if m.weight is not None else 1.0 for m in ms)))
    return out


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of ``(value, weight)`` pairs; ``None`` when the weights add up to nothing."""
    total = weight = 0.0
    for v, w in pairs:
        total += v * w
        weight += w
    return total / weight if weight else None
