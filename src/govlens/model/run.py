"""Typed summaries that each pipeline stage returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StageError:
    """A failure met by a stage, kept so it can be reported (never a quality finding)."""

    error: str
    message: str
    source: str | None = None
    page: str | None = None


@dataclass(frozen=True, slots=True)
class HarvestInfo:
    """What one harvest run stored. Counts are of the catalogue as harvested in this run."""

    run: int
    catalogue: str
    source: str
    kind: str
    status: str
    datasets: int
    distributions: int
    publishers: int
    warnings: int
    withdrawn: int
    resumed: bool
    errors: tuple[StageError, ...] = ()
    seconds: float = 0.0
