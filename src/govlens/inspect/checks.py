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

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from govlens.inspect.constraints import Unique, compile_checks
from govlens.inspect.types import INVALID, FieldSpec
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
    seen: dict[str, list[int]] = {}
    for n, (spec, label) in enumerate(zip(fields, labels, strict=False), start=1):
        if not label:
            out.append(TableError("blank-label", row, n, ""))
            continue
        earlier = seen.setdefault(label, [])
        if earlier:
            note = 'at position "{}"'.format(", ".join(map(str, earlier)))
            out.append(TableError("duplicate-label", row, n, note, label))
        elif schema and label != spec.name:
            out.append(TableError("incorrect-label", row, n, "", label))
        earlier.append(n)
    return sorted(out, key=lambda e: (e.field_number or 0))


class RowChecker:
    """Checks records against the fields, one at a time.

    ``uniques`` holds a :class:`~govlens.inspect.constraints.Unique` per
    field with a ``unique`` constraint. With ``defer_unique`` the values for
    them are kept in :attr:`unique_seen` for the caller to check in record
    order (the columnar engine meets ragged records apart from the others).
    """

    def __init__(
        self,
        fields: Sequence[FieldSpec],
        uniques: Sequence[Unique | None] = (),
        *,
        defer_unique: bool = False,
    ) -> None:
        self.fields = list(fields)
        self.width = len(self.fields)
        self.parsers = [None if f.type == "any" else f.parse for f in self.fields]
        # a text cell of a default string field reads as itself: no call needed
        self.text_parsed = [f.text_checked for f in self.fields]
        self.checks = [compile_checks(f) for f in self.fields]
        self.constrained = [bool(c.checks) for c in self.checks]
        self.missing = [frozenset(f.missing_values) for f in self.fields]
        self.uniques = list(uniques) or [None] * self.width
        self.any_unique = any(u is not None for u in self.uniques)
        self.defer_unique = defer_unique
        self.unique_seen: list[tuple[int, int, Any, Any]] = []  # (row, field index, value, cell)

    def is_blank(self, index: int, value: Any) -> bool:
        return value is None or (value if value.__class__ is str else str(value)) in self.missing[index]

    def check(
        self, row: int, cells: Sequence[Any], bad_encoding: Sequence[int] = ()
    ) -> list[TableError]:
        """The errors of one record; ``bad_encoding`` lists 0-based cells that did not decode."""
        width, n = self.width, len(cells)
        errors: list[TableError] = []
        blank = 0
        seen: list[tuple[int, int, Any, Any]] = []
        missing, parsers, text_parsed = self.missing, self.parsers, self.text_parsed
        for i in range(width):
            value = cells[i] if i < n else None
            if bad_encoding and i in bad_encoding:
                errors.append(TableError("encoding-error", row, i + 1, bad_bytes_note(value)))
                continue
            text = value.__class__ is str
            if value is None or (value if text else str(value)) in missing[i]:
                blank += 1
                read = None
            else:
                parse = parsers[i]
                read = value if parse is None or (text and not text_parsed[i]) else parse(value)
                if read is INVALID:
                    errors.append(TableError("type-error", row, i + 1, self.fields[i].note,
                                             short_cell(value)))
                    continue
                if self.any_unique and self.uniques[i] is not None:
                    seen.append((row, i, read, value))
            if self.constrained[i]:
                for note in self.checks[i].notes(read):
                    errors.append(TableError("constraint-error", row, i + 1, note,
                                             short_cell(value)))
        for k in range(width + 1, n + 1):
            errors.append(TableError("extra-cell", row, k, "", short_cell(cells[k - 1])))
        for k in range(n + 1, width + 1):
            errors.append(TableError("missing-cell", row, k, ""))
        if width and blank == width:
            return [TableError("blank-row", row, None, "")]
        if seen:
            if self.defer_unique:
                self.unique_seen.extend(seen)
            else:
                errors.extend(unique_errors(self.uniques, seen))
        if len(errors) > 1:
            errors.sort(key=lambda e: e.field_number or 0)
        return errors


def unique_errors(
    uniques: Sequence[Unique | None], seen: Iterable[tuple[int, int, Any, Any]]
) -> list[TableError]:
    """``unique-error`` for each (row, field index, value, cell) repeating an earlier value."""
    out = []
    for row, i, value, cell in seen:
        tracker = uniques[i]
        assert tracker is not None
        prev = tracker.see(row, value)
        if prev is not None:
            out.append(TableError("unique-error", row, i + 1,
                                  f"the same as in the row at position {prev}", short_cell(cell)))
    return out


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
