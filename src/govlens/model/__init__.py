"""The pure core: frozen, typed values. Imports nothing of govlens."""

from govlens.model.catalog import (
    SOURCE_KINDS,
    Catalogue,
    ContactPoint,
    Dataset,
    Distribution,
    NormaliseWarning,
    Publisher,
    SourceKind,
    SourceRecord,
    Temporal,
)
from govlens.model.links import LinkOutcome, LinkState
from govlens.model.quality import FileCheck, Measurement, MeasurementValue
from govlens.model.run import HarvestInfo, StageError

__all__ = [
    "SOURCE_KINDS",
    "Catalogue",
    "ContactPoint",
    "Dataset",
    "Distribution",
    "FileCheck",
    "HarvestInfo",
    "LinkOutcome",
    "LinkState",
    "Measurement",
    "MeasurementValue",
    "NormaliseWarning",
    "Publisher",
    "SourceKind",
    "SourceRecord",
    "StageError",
    "Temporal",
]
