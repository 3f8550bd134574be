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
from govlens.model.run import HarvestInfo, StageError
from govlens.model.tables import (
    Coverage,
    Dialect,
    FieldInfo,
    InspectionFact,
    SheetTask,
    TableError,
    TableReport,
)

__all__ = [
    "SOURCE_KINDS",
    "Catalogue",
    "ContactPoint",
    "Coverage",
    "Dataset",
    "Dialect",
    "Distribution",
    "FieldInfo",
    "HarvestInfo",
    "InspectionFact",
    "LinkOutcome",
    "LinkState",
    "NormaliseWarning",
    "Publisher",
    "SheetTask",
    "SourceKind",
    "SourceRecord",
    "StageError",
    "TableError",
    "TableReport",
    "Temporal",
]
