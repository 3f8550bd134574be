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
from govlens.model.quality import FileCheck, MeasurementValue, QualityMeasurement
from govlens.model.maturity import (
    ACTION_STATUSES,
    CENTRE,
    EVIDENCE_KINDS,
    GOVERNMENT,
    Action,
    ActionCheck,
    ActionStatus,
    Answer,
    AnswerValue,
    Evidence,
    Measurement,
)
from govlens.model.run import HarvestInfo, StageError

__all__ = [
    "ACTION_STATUSES",
    "CENTRE",
    "EVIDENCE_KINDS",
    "GOVERNMENT",
    "Action",
    "ActionCheck",
    "ActionStatus",
    "Answer",
    "AnswerValue",
    "Evidence",
    "Measurement",
    "SOURCE_KINDS",
    "Catalogue",
    "ContactPoint",
    "Dataset",
    "Distribution",
    "FileCheck",
    "HarvestInfo",
    "LinkOutcome",
    "LinkState",
    "MeasurementValue",
    "QualityMeasurement",
    "NormaliseWarning",
    "Publisher",
    "SourceKind",
    "SourceRecord",
    "StageError",
    "Temporal",
]
