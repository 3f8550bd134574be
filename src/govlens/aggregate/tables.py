"""Roll-ups of tabular inspections for publisher scorecards: share valid, top errors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from govlens.model import InspectionFact


@dataclass(frozen=True, slots=True)
class TableSummary:
    """Inspections of a group of files (a publisher, a catalogue).

    ``share_valid`` is over the files that could be inspected; ``unreadable``
    counts those that could not (download failed, not a table). ``partial``
    counts verdicts that rest on part of a file only.
    """

    files: int
    inspected: int
    valid: int
    unreadable: int
    partial: int
    format_mismatch: int
    share_valid: float | None
    top_errors: tuple[tuple[str, int], ...]
    files_with_error: tuple[tuple[str, int], ...]


def summarise(facts: Iterable[InspectionFact], top: int = 5) -> TableSummary:
    facts = list(facts)
    inspected = [f for f in facts if f.valid is not None]
    valid = sum(1 for f in inspected if f.valid)
    errors: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for f in inspected:
        for kind, n in f.error_counts:
            errors[kind] += n
            files[kind] += 1
    return TableSummary(
        files=len(facts),
        inspected=len(inspected),
        valid=valid,
        unreadable=len(facts) - len(inspected),
        partial=sum(1 for f in inspected if not f.complete),
        format_mismatch=sum(1 for f in facts if f.format_match is False),
        share_valid=round(valid / len(inspected), 4) if inspected else None,
        top_errors=tuple(errors.most_common(top)),
        files_with_error=tuple(files.most_common(top)),
    )


def by_publisher(
    facts: Iterable[tuple[str | None, InspectionFact]], top: int = 5
) -> dict[str | None, TableSummary]:
    """One summary per publisher key, from (publisher key, fact) pairs."""
    groups: dict[str | None, list[InspectionFact]] = {}
    for key, fact in facts:
        groups.setdefault(key, []).append(fact)
    return {key: summarise(group, top) for key, group in groups.items()}
