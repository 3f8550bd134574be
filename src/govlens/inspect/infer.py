"""Inferring each column's type from a sample, with Frictionless's algorithm.

Frictionless offers every sample row to every candidate type in turn: a
non-blank value scores +1 for a type it reads as and -1 otherwise, a
candidate whose score falls below ``-0.1 * rows`` is dropped, and the first
candidate (in row order, then in candidate order) whose score reaches
``confidence`` of the column's non-blank values wins.

:func:`infer_fields` reaches the same choice with less work. Each
candidate's score depends only on its own readings, so candidates are
followed one at a time: a candidate is abandoned as soon as it can no
longer win (its score plus every remaining row could not reach the bar),
or can no longer win before the row at which an earlier candidate already
won. The answer is the same; most candidates are abandoned after a handful
of values instead of a dozen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govlens.inspect.types import INVALID, FieldSpec, Parser, make_parser

#: The candidate types in Frictionless's order (``settings.DEFAULT_FIELD_CANDIDATES``).
CANDIDATES = (
    "yearmonth", "geopoint", "duration", "geojson", "object", "array", "datetime", "time",
    "date", "integer", "number", "boolean", "year", "string",
)
SAMPLE_SIZE = 100
CONFIDENCE = 0.9
_PARSERS: list[tuple[str, Parser]] = [(c, make_parser(FieldSpec("shared", c))) for c in CANDIDATES]


def field_names(labels: Sequence[str], width: int) -> list[str]:
    """Field names from the header labels: blank ones named ``fieldN``, duplicates suffixed."""
    names = [(labels[i] if i < len(labels) else "") or f"field{i + 1}" for i in range(width)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}{seen[name]}")
        else:
            seen[name] = 1
            out.append(name)
    return out


def infer_fields(
    names: Sequence[str],
    fragment: Sequence[Sequence[Any]],
    *,
    missing_values: Sequence[str] = ("",),
    confidence: float = CONFIDENCE,
) -> list[FieldSpec]:
    """Infer each column's type from the sample rows (Frictionless's algorithm)."""
    missing = tuple(missing_values)
    if not fragment:
        return [FieldSpec(n, "any", confidence=None, missing_values=missing) for n in names]
    out = []
    for index, name in enumerate(names):
        values = [cells[index] if len(cells) > index else None for cells in fragment]
        kind, parse = _choose(values, missing, confidence)
        if kind is None:
            out.append(FieldSpec(name, "any", missing_values=missing))
            continue
        present = [v for v in values if v is not None and v not in missing]
        if not present:
            out.append(FieldSpec(name, kind, confidence=None, sample=0, missing_values=missing))
            continue
        share = sum(1 for v in present if parse(v) is not INVALID) / len(present)
        out.append(FieldSpec(name, kind, confidence=round(share, 4), sample=len(present),
                             missing_values=missing))
    return out


def _choose(values: list[Any], missing: tuple[str, ...], confidence: float) -> tuple[str | None, Any]:
    """The candidate Frictionless would choose for one column, and its parser."""
    n = len(values)
    is_missing = [v in missing for v in values]
    # max_score after each row: the rows minus the blank ones seen so far
    max_after = []
    left = n
    for m in is_missing:
        left -= m
        max_after.append(left)
    threshold = n * (confidence - 1)
    best_row = n
    best: tuple[str | None, Parser | None] = (None, None)
    for kind, parse in _PARSERS:
        score = 0
        for row in range(best_row):
            if score < threshold:
                break
            value = values[row]
            if not is_missing[row]:
                score += 1 if (value is None or parse(value) is not INVALID) else -1
            top = max_after[row]
            if top > 0 and score >= top * confidence:
                best_row, best = row, (kind, parse)
                break
            # even if every later row read as this type, the bar would stay out of reach
            if score + (n - row - 1) < top * confidence:
                break
    return best
