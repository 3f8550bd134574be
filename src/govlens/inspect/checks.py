"""The checks, one record at a time: the reference path every engine must agree with.

:class:`RowChecker` reads one record the way Frictionless's ``Row`` does:
cells past the last field are ``extra-cell`` errors, fields past the last
cell are ``missing-cell`` errors, a non-blank cell that does not read as its
field's type is a ``type-error``, and a record whose every field is blank is
one ``blank-row`` error instead of all the others.

:class:`ErrorSink` keeps the first ``limit`` errors and counts all of them,
so a report can say exactly how many it did not list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from govlens.inspect.types import FieldSpec
from govlens.model import TableError


class ErrorSink:
    """Collects errors in record order: lists the first ``limit``, counts every one."""

    def __init__(self, limit: int = 1000, sheet: str | None = None) -> None:
        self.limit = limit
        self.sheet = sheet
        self.listed: list[TableError] = []
        self.counts: Counter[str] = Counter()

    def add(self, error: TableError) -> None:
        self.counts[error.type] += 1
        if len(self.listed) < self.limit:
            if self.sheet is not None and error.sheet is None:
                error = TableError(error.type, error.row_number, error.field_number,
                                   error.note, error.cell, self.sheet)
            self.listed.append(error)

    def extend(self, errors: Iterable[TableError]) -> None:
        for e in errors:
            self.add(e)

    def count(self, kind: str, n: int) -> None:
        """Count ``n`` errors of ``kind`` that are not listed (the cap is already reached)."""
        self.counts[kind] += n

    @property
    def full(self) -> bool:
        return len(self.listed) >= self.limit

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def omitted(self) -> int:
        return self.total - len(self.listed)


def header_errors(
    labels: Sequence[str], fields: Sequence[FieldSpec], row: int, *, schema: bool
) -> list[TableError]:
    """Errors of the header row: blank, duplicate, extra, missing and incorrect labels."""
    if not labels:
        return [TableError("blank-header", row, None, "")]
    out: list[TableError] = []
    if schema:
        for n in range(len(fields) + 1, len(labels) + 1):
            out.append(TableError("extra-label", row, n, "", labels[n - 1]))
        for n in range(len(labels) + 1, len(fields) + 1):
            out.append(TableError("missing-label", row, n, "", fields[n - 1].name))
    for n, (spec, label) in enumerate(zip(fields, labels, strict=False), start=1):
        if not label:
            out.append(TableError("blank-label", row, n, ""))
            continue
        seen = [i for i, prev in enumerate(labels[: n - 1], start=1) if prev == label]
        if seen:
            note = 'at position "{}"'.format(", ".join(map(str, seen)))
            out.append(TableError("duplicate-label", row, n, note, label))
        elif schema and label != spec.name:
            out.append(TableError("incorrect-label", row, n, "", label))
    return sorted(out, key=lambda e: (e.field_number or 0))


def constraint_notes(spec: FieldSpec, value: Any, blank: bool) -> list[str]:
    """Notes for the constraints ``value`` breaks (required, enum, pattern, lengths)."""
    notes = []
    for name, want in spec.constraints:
        if name == "required":
            if want and blank:
                notes.append('constraint "required" is "True"')
            continue
        if blank:
            continue
        text = value if isinstance(value, str) else str(value)
        bad = (
            (name == "enum" and text not in {str(x) for x in want})
            or (name == "pattern" and re.fullmatch(str(want), text) is None)
            or (name == "minLength" and len(text) < int(want))
            or (name == "maxLength" and len(text) > int(want))
        )
        if bad:
            notes.append(f'constraint "{name}" is "{want}"')
    return notes


class RowChecker:
    """Checks records against the fields, one at a time."""

    def __init__(self, fields: Sequence[FieldSpec]) -> None:
        self.fields = list(fields)
        self.readers = [f.reader for f in self.fields]
        self.checked = [f.type not in {"any"} for f in self.fields]
        self.constrained = [bool(f.constraints) for f in self.fields]
        self.missing = [frozenset(f.missing_values) for f in self.fields]

    def is_blank(self, index: int, value: Any) -> bool:
        return value is None or str(value) in self.missing[index]

    def check(
        self, row: int, cells: Sequence[Any], bad_encoding: Sequence[int] = ()
    ) -> list[TableError]:
        """The errors of one record; ``bad_encoding`` lists 0-based cells that did not decode."""
        width = len(self.fields)
        errors: list[TableError] = []
        blank = 0
        for i in range(width):
            value = cells[i] if i < len(cells) else None
            if i in bad_encoding:
                errors.append(TableError("encoding-error", row, i + 1, bad_bytes_note(value)))
                continue
            is_blank = self.is_blank(i, value)
            if is_blank:
                blank += 1
            elif self.checked[i] and not self.readers[i](value):
                errors.append(TableError("type-error", row, i + 1, self.fields[i].note,
                                         short_cell(value)))
                continue
            if self.constrained[i]:
                for note in constraint_notes(self.fields[i], value, is_blank):
                    errors.append(TableError("constraint-error", row, i + 1, note,
                                             short_cell(value)))
        for n in range(width + 1, len(cells) + 1):
            errors.append(TableError("extra-cell", row, n, "", short_cell(cells[n - 1])))
        for n in range(len(cells) + 1, width + 1):
            errors.append(TableError("missing-cell", row, n, ""))
        if width and blank == width:
            return [TableError("blank-row", row, None, "")]
        errors.sort(key=lambda e: e.field_number or 0)
        return errors


def short_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def bad_bytes_note(value: Any) -> str:
    if isinstance(value, bytes):
        shown = value.decode("cp1252", "backslashreplace")
        return f"not valid UTF-8: {shown[:120]!r} (read as CP1252)"
    if isinstance(value, str):
        codes = sorted({f"0x{ord(c):02X}" for c in value if 0x80 <= ord(c) <= 0x9F})
        if codes:
            return (f"byte(s) {', '.join(codes)}: undefined in CP1252, control codes in Latin-1; "
                    "the text is not in the encoding the rest of the file uses")
    return "not valid in the file's encoding"
