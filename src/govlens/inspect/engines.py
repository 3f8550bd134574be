"""The two CSV engines: columnar (Arrow) and record by record (the ``csv`` module).

Both number records the same way, run the same checks and produce the same
errors; the test suite holds them to it on every shared file. The columnar
engine parses with ``pyarrow.csv`` in bounded blocks and checks whole
columns at once; records of the wrong width are handed back by Arrow's
invalid-row handler and go through :class:`RowChecker` like any record of
the record-by-record engine. That engine is used when a dialect is beyond
Arrow (``skipinitialspace``) and after a runaway quote.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import IO, Any

from govlens.inspect.checks import (
    ErrorSink,
    RowChecker,
    bad_bytes_note,
    constraint_notes,
    short_cell,
)
from govlens.inspect.stream import MAX_FIELD_BYTES, Utf8Feed
from govlens.inspect.types import FieldSpec
from govlens.model import TableError

BLOCK = 1 << 20
_SURROGATE = re.compile("[\udc80-\udcff]")
#: C1 control characters: what a byte CP1252 leaves undefined becomes; never text.
_C1 = re.compile("[\u0080-\u009f]")
_C1_RE2 = "[\\x{80}-\\x{9f}]"
csv.field_size_limit(MAX_FIELD_BYTES)


@dataclass(slots=True)
class Scan:
    """What an engine needs: the fields, the header's record number, the dialect, the sink."""

    fields: list[FieldSpec]
    header_row: int
    dialect: csv.Dialect | type[csv.Dialect]
    sink: ErrorSink
    c1_check: bool = False  # single-byte encoding: C1 control characters are encoding errors
    records: int = 0  # records read, header and anything above it included
    stopped: str | None = None  # why reading stopped before the end, if it did

    @property
    def rows(self) -> int:
        return max(0, self.records - self.header_row)


def _cells(text: str, dialect: csv.Dialect | type[csv.Dialect]) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    return rows[0] if rows else []


def _bad_cells(cells: list[str], c1: bool) -> list[int]:
    bad = _C1 if c1 else _SURROGATE
    return [i for i, c in enumerate(cells) if not c.isascii() and bad.search(c)]


def run_python(stream: IO[str], scan: Scan) -> None:
    """Check every record with the ``csv`` module."""
    checker = RowChecker(scan.fields)
    reader = csv.reader(stream, scan.dialect)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number <= scan.header_row:
                continue
            bad = _bad_cells(cells, scan.c1_check)
            if bad and not scan.c1_check:
                cells = [c.encode("utf-8", "surrogateescape") if i in bad else c  # type: ignore[misc]
                         for i, c in enumerate(cells)]
            scan.sink.extend(checker.check(number, cells, bad))
    except csv.Error as exc:
        number += 1
        scan.stopped = f"record {number} cannot be parsed: {exc}"
        note = str(exc)
        if "field larger than field limit" in note:
            note = (f"a quoted field opened in or before record {number} never closes "
                    f"(a cell over {MAX_FIELD_BYTES >> 20} MB); the rest of the file was not read")
        scan.sink.add(TableError("source-error", number, None, note))
    scan.records = number


def run_arrow(feed: Utf8Feed, scan: Scan, *, binary: bool, block_size: int = BLOCK) -> None:
    """Check every record with Arrow's streaming CSV reader."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    width = len(scan.fields)
    names = [f"c{i}" for i in range(width)]
    invalid: list[tuple[int, str]] = []

    def on_invalid(row: Any) -> str:
        invalid.append((int(row.number), row.text))
        return "skip"

    d = scan.dialect
    reader = pacsv.open_csv(
        feed,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=block_size,
                                       column_names=names),
        parse_options=pacsv.ParseOptions(
            delimiter=d.delimiter, quote_char=d.quotechar or False, double_quote=True,
            escape_char=d.escapechar or False, newlines_in_values=True,
            ignore_empty_lines=False, invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.binary() if binary else pa.string() for n in names},
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    checker = RowChecker(scan.fields)
    next_record, done = 1, 0
    for batch in reader:
        n = batch.num_rows
        if not n:
            continue
        pending = np.fromiter((num for num, _ in invalid[done:]), dtype=np.int64)
        span = np.arange(next_record, next_record + n + len(pending), dtype=np.int64)
        numbers = span[~np.isin(span, pending)][:n]
        last = int(numbers[-1])
        errors = _batch_errors(batch, numbers, scan, checker, binary=binary,
                               check_utf8=feed.invalid_at is not None)
        while done < len(invalid) and invalid[done][0] <= last:
            errors.extend(_invalid_errors(*invalid[done], scan, checker))
            done += 1
        errors.sort(key=lambda e: (e.row_number or 0, e.field_number or 0))
        scan.sink.extend(errors)
        next_record = last + 1
    errors = []
    for num, text in invalid[done:]:
        errors.extend(_invalid_errors(num, text, scan, checker))
        next_record = max(next_record, num + 1)
    scan.sink.extend(errors)
    scan.records = next_record - 1


def _invalid_errors(number: int, text: str, scan: Scan, checker: RowChecker) -> list[TableError]:
    if number <= scan.header_row:
        return []
    return checker.check(number, _cells(text, scan.dialect))


def _batch_errors(
    batch: Any, numbers: Any, scan: Scan, checker: RowChecker, *, binary: bool, check_utf8: bool
) -> list[TableError]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from govlens.inspect import vector

    n = batch.num_rows
    live = numbers > scan.header_row
    if not live.any():
        return []
    all_blank = np.ones(n, dtype=bool)
    found: list[tuple[int, int, str, str, Any]] = []  # (row index, field no, type, note, cell)
    for i, spec in enumerate(scan.fields):
        arr = batch.column(i)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        bad_utf8: list[int] = vector.invalid_utf8(arr) if binary and check_utf8 else []
        if scan.c1_check:
            c1 = pc.fill_null(pc.match_substring_regex(arr, _C1_RE2), False)
            bad_utf8 = np.flatnonzero(c1.to_numpy(zero_copy_only=False)).tolist()
        if bad_utf8:
            raw = arr.take(pa.array(bad_utf8, pa.int64())).to_pylist()
            for idx, value in zip(bad_utf8, raw, strict=True):
                found.append((idx, i + 1, "encoding-error", "", value))
            keep = np.ones(n, dtype=bool)
            keep[bad_utf8] = False
            arr = pa.array(np.where(keep, arr.to_numpy(zero_copy_only=False), None), arr.type)
        if binary:
            arr = arr.view(pa.string())
        blank = vector.blank_mask(arr, spec)
        if bad_utf8:
            blank[bad_utf8] = False
        all_blank &= blank
        for idx, value in vector.type_errors(arr, spec, blank):
            found.append((idx, i + 1, "type-error", spec.note, value))
        for idx, value in vector.constraint_suspects(arr, spec, blank):
            for note in constraint_notes(spec, value, bool(blank[idx])):
                found.append((idx, i + 1, "constraint-error", note, value))
    out = []
    blank_rows = all_blank & live
    for idx in np.flatnonzero(blank_rows):
        out.append(TableError("blank-row", int(numbers[idx]), None, ""))
    for idx, field, kind, note, value in found:
        if not live[idx] or blank_rows[idx]:
            continue
        row = int(numbers[idx])
        if kind == "encoding-error":
            out.append(TableError("encoding-error", row, field, bad_bytes_note(value)))
        else:
            out.append(TableError(kind, row, field, note, short_cell(value)))
    return out


