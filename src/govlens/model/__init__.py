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
from govlens.model.coverage import (
    WHOLE_GOVERNMENT,
    CategoryMatch,
    CoverageCell,
    CoverageQuality,
    DatasetQuality,
    Evidence,
)
from govlens.model.links import LinkOutcome, LinkState
from govlens.model.run import HarvestInfo, StageError

__all__ = [
    "SOURCE_KINDS",
    "WHOLE_GOVERNMENT",
    "CategoryMatch",
    "Catalogue",
    "ContactPoint",
    "CoverageCell",
    "CoverageQuality",
    "Dataset",
    "DatasetQuality",
    "Distribution",
    "Evidence",
    "HarvestInfo",
    "LinkOutcome",
    "LinkState",
    "NormaliseWarning",
    "Publisher",
    "SourceKind",
    "SourceRecord",
    "StageError",
    "Temporal",
]
