"""Quality values shared between stages: file-inspection facts and measurements (DQV shape)."""

from __future__ import annotations

from dataclasses import dataclass

MeasurementValue = bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What inspecting the file behind one URL found (filled by the inspect stage).

    The scorers read it for MQA ``formatMatch``/``syntaxValid`` and for the
    content-based step of the 5-star openness score. ``detected_format`` is a
    format name or EU file-type code as recognised from the content; ``None``
    fields mean "not determined".
    """

    url: str
    detected_format: str | None = None
    format_matches: bool | None = None
    syntax_valid: bool | None = None


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
