"""Quality measurements, in the W3C DQV shape, shared by the scorers, the store and the exports."""

from __future__ import annotations

from dataclasses import dataclass

MeasurementValue = bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class QualityMeasurement:
    """One quality measurement, as W3C DQV models it: a metric measured on a subject.

    ``seq`` is 0 for the dataset itself and ``i + 1`` for its ``i``-th
    distribution (declared order matters: MQA ties keep the earlier one);
    ``subject`` is the dataset identifier or the distribution id. ``value`` is
    ``None`` when the metric could not be measured (a URL not checked yet).
    """

    dataset: str
    seq: int
    subject: str
    metric: str
    value: MeasurementValue
    points: float = 0
