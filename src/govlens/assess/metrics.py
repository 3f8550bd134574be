"""The MQA metric registry: each metric's piveau URI, dimension, level and points.

Points are those of the piveau DQV vocabulary (``pv:trueScore``/``pv:falseScore``)
as tabulated in quality-methods §1.2. Two deliberate decisions of govlens:

* ``accessRightsAvailability`` and ``accessRightsVocabularyAlignment`` belong to
  Reusability (maximum 75); piveau's ``pv:reusablity`` typo is not reproduced.
* ``dateIssuedAvailability`` and ``dateModifiedAvailability`` are measured on the
  dataset and on each distribution, and count once (see :mod:`govlens.assess.mqa`).

The order of :data:`DATASET_METRICS` and :data:`DISTRIBUTION_METRICS` is the
layout of the fact tuples every scorer reads and the store keeps.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from govlens.errors import ConfigError

PV = "https://piveau.eu/ns/voc#"
DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")
FIN, ACC, INT, REU, CTX = range(5)
Level = Literal["dataset", "distribution"]


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    dimension: int
    level: Level
    true_points: int
    false_points: int = 0
    #: The value is an HTTP status code; ``true_points`` go to a 2xx answer.
    status: bool = False
    label: str = ""

    @property
    def uri(self) -> str:
        return PV + self.name

    @property
    def dimension_name(self) -> str:
        return DIMENSIONS[self.dimension]


DATASET_METRICS: tuple[Metric, ...] = (
    Metric("keywordAvailability", FIN, "dataset", 30, label="Keyword usage"),
    Metric("categoryAvailability", FIN, "dataset", 30, label="Categories"),
    Metric("spatialAvailability", FIN, "dataset", 20, label="Geo search"),
    Metric("temporalAvailability", FIN, "dataset", 20, label="Time-based search"),
    Metric("dcatApCompliance", INT, "dataset", 30, label="DCAT-AP compliance"),
    Metric("accessRightsAvailability", REU, "dataset", 10, label="Access restrictions"),
    Metric("accessRightsVocabularyAlignment", REU, "dataset", 5, label="Access restrictions vocabulary"),
    Metric("contactPointAvailability", REU, "dataset", 20, label="Contact point"),
    Metric("publisherAvailability", REU, "dataset", 10, label="Publisher"),
    Metric("dateIssuedAvailability", CTX, "dataset", 5, label="Date of issue"),
    Metric("dateModifiedAvailability", CTX, "dataset", 5, label="Modification date"),
)

DISTRIBUTION_METRICS: tuple[Metric, ...] = (
    Metric("accessUrlStatusCode", ACC, "distribution", 50, status=True, label="AccessURL accessibility"),
    Metric("downloadUrlAvailability", ACC, "distribution", 20, label="DownloadURL"),
    Metric("downloadUrlStatusCode", ACC, "distribution", 30, status=True, label="DownloadURL accessibility"),
    Metric("formatAvailability", INT, "distribution", 20, -5, label="Format"),
    Metric("mediaTypeAvailability", INT, "distribution", 10, -5, label="Media type"),
    Metric("formatMediaTypeVocabularyAlignment", INT, "distribution", 10,
           label="Format/Media type from vocabulary"),
    Metric("formatMediaTypeNonProprietary", INT, "distribution", 20, label="Non-proprietary"),
    Metric("formatMediaTypeMachineInterpretable", INT, "distribution", 20, label="Machine readable"),
    Metric("formatMatch", INT, "distribution", 0, label="Format matches the file"),
    Metric("syntaxValid", INT, "distribution", 0, label="File syntactically valid"),
    Metric("licenceAvailability", REU, "distribution", 20, label="Licence information"),
    Metric("knownLicence", REU, "distribution", 10, label="Licence vocabulary"),
    Metric("rightsAvailability", CTX, "distribution", 5, label="Rights"),
    Metric("byteSizeAvailability", CTX, "distribution", 5, label="File size"),
    Metric("dateIssuedAvailability", CTX, "distribution", 5, label="Date of issue"),
    Metric("dateModifiedAvailability", CTX, "distribution", 5, label="Modification date"),
)

DS_INDEX = {m.name: i for i, m in enumerate(DATASET_METRICS)}
DI_INDEX = {m.name: i for i, m in enumerate(DISTRIBUTION_METRICS)}
DS_ISSUED, DS_MODIFIED = DS_INDEX["dateIssuedAvailability"], DS_INDEX["dateModifiedAvailability"]
DI_ISSUED, DI_MODIFIED = DI_INDEX["dateIssuedAvailability"], DI_INDEX["dateModifiedAvailability"]
DS_COMPLIANCE = DS_INDEX["dcatApCompliance"]
DI_ACCESS_STATUS, DI_DOWNLOAD_STATUS = DI_INDEX["accessUrlStatusCode"], DI_INDEX["downloadUrlStatusCode"]
DI_FORMAT_MATCH, DI_SYNTAX_VALID = DI_INDEX["formatMatch"], DI_INDEX["syntaxValid"]

#: Highest possible score per dimension and in total, with the default weights.
MAX_BY_DIMENSION = (100, 100, 110, 75, 20)
MAX_SCORE = 405


@dataclass(frozen=True, slots=True)
class Weights:
    """Points per metric: ``(true_points, false_points)`` for dataset and distribution metrics.

    Build the default with ``Weights()``; override some with :meth:`with_overrides`.
    Stored with each assessment so scores can be recomputed when weights change.
    """

    dataset: tuple[tuple[int, int], ...] = field(
        default=tuple((m.true_points, m.false_points) for m in DATASET_METRICS)
    )
    distribution: tuple[tuple[int, int], ...] = field(
        default=tuple((m.true_points, m.false_points) for m in DISTRIBUTION_METRICS)
    )

    def with_overrides(self, overrides: Mapping[str, object]) -> Weights:
        """New weights from ``{"metricName": {"true": 10, "false": 0}}`` (or ``[10, 0]``).

        A name may be prefixed ``dataset.`` or ``distribution.``; without a prefix
        it applies at every level the metric is measured.
        """
        ds, di = list(self.dataset), list(self.distribution)
        for raw_name, raw in overrides.items():
            level, _, name = raw_name.rpartition(".")
            pts = _points(raw_name, raw)
            hit = False
            if level in ("", "dataset") and name in DS_INDEX:
                ds[DS_INDEX[name]] = pts
                hit = True
            if level in ("", "distribution") and name in DI_INDEX:
                di[DI_INDEX[name]] = pts
                hit = True
            if not hit:
                raise ConfigError("unknown MQA metric in weights", metric=raw_name)
        return Weights(tuple(ds), tuple(di))

    def to_dict(self) -> dict[str, list[int]]:
        out = {f"dataset.{m.name}": list(p) for m, p in zip(DATASET_METRICS, self.dataset, strict=True)}
        out.update(
            {f"distribution.{m.name}": list(p) for m, p in zip(DISTRIBUTION_METRICS, self.distribution,
                                                                strict=True)}
        )
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Weights:
        return cls().with_overrides(data)

    @classmethod
    def from_file(cls, path: str | Path) -> Weights:
        """Read overrides from a JSON or TOML file."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
            data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
        except (OSError, ValueError) as exc:
            raise ConfigError("cannot read the weights file", path=str(p), cause=str(exc)) from exc
        if not isinstance(data, dict):
            raise ConfigError("the weights file must hold an object of metric names", path=str(p))
        return cls().with_overrides(data)

    def max_score(self) -> int:
        """The best score these weights allow (one distribution, everything true)."""
        ds = sum(max(t, f) for (t, f) in self.dataset)
        di = sum(max(t, f) for (t, f) in self.distribution)
        issued_mod = sum(min(max(t, f) for t, f in (self.dataset[a], self.distribution[b]))
                         for a, b in ((DS_ISSUED, DI_ISSUED), (DS_MODIFIED, DI_MODIFIED)))
        return ds + di - issued_mod

    def dimension_maxima(self) -> tuple[int, int, int, int, int]:
        """The best score of each dimension these weights allow (dates counted once)."""
        out = [0] * len(DIMENSIONS)
        for metrics, pts in ((DATASET_METRICS, self.dataset), (DISTRIBUTION_METRICS, self.distribution)):
            for m, (t, f) in zip(metrics, pts, strict=True):
                out[m.dimension] += max(t, f, 0)
        for a, b in ((DS_ISSUED, DI_ISSUED), (DS_MODIFIED, DI_MODIFIED)):
            out[DATASET_METRICS[a].dimension] -= min(max(*self.dataset[a], 0), max(*self.distribution[b], 0))
        return tuple(out)  # type: ignore[return-value]


def _points(name: str, raw: object) -> tuple[int, int]:
    try:
        if isinstance(raw, Mapping):
            return int(raw.get("true", 0)), int(raw.get("false", 0))
        if isinstance(raw, (list, tuple)) and len(raw) == 2:
            return int(raw[0]), int(raw[1])
        if isinstance(raw, (int, float)):
            return int(raw), 0
    except (TypeError, ValueError):
        pass
    raise ConfigError("weights must be {'true': n, 'false': m}, [n, m] or n", metric=name)


DEFAULT_WEIGHTS = Weights()
