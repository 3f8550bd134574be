"""Plain values read back from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    id: int
    name: str
    source: str
    kind: str
    title: str | None
    language: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    catalogue_id: int
    catalogue: str
    source: str
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    cursor: str | None
    pages: int
    datasets: int
    distributions: int
    publishers: int
    warnings: int
    withdrawn: int
    errors: str | None


@dataclass(frozen=True, slots=True)
class OpenRun:
    """A run ready to receive pages: new, or resumed from its last committed page."""

    run: RunRow
    resumed: bool
    next_seq: int
