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
import queue
import re
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from govlens.inspect.checks import ErrorSink, RowChecker, bad_bytes_note, short_cell, unique_errors
from govlens.inspect.constraints import Unique
from govlens.inspect.feed import MAX_FIELD_BYTES, Utf8Feed, Utf8Watch
from govlens.inspect.types import FieldSpec
from govlens.model import TableError

#: Bytes Arrow parses at a time. Arrow reads up to 32 blocks ahead in the background,
#: so this bounds that buffer (8 MB); a record longer than a block is read record by record.
PARSE_BLOCK = 256 << 10
#: Bytes of parsed records checked together: the per-column cost is paid once per group.
GROUP = 2 << 20
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
    uniques: list[Unique | None] = field(default_factory=list)
    records: int = 0  # records read, header and anything above it included
    stopped: str | None = None  # why reading stopped before the end, if it did

    @property
    def rows(self) -> int:
        return max(0, self.records - self.header_row)


def _cells(text: str, dialect: csv.Dialect | type[csv.Dialect]) -> list[str]:
    """The cells of one record's text (line breaks only inside quotes)."""
    try:
        return next(csv.reader((text,), dialect), [])
    except csv.Error:  # a bare line break after all: read it as lines
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
        return rows[0] if rows else []


def _bad_cells(cells: list[str], c1: bool) -> list[int]:
    bad = _C1 if c1 else _SURROGATE
    return [i for i, c in enumerate(cells) if not c.isascii() and bad.search(c)]


def run_python(stream: IO[str], scan: Scan) -> None:
    """Check every record with the ``csv`` module."""
    checker = RowChecker(scan.fields, scan.uniques)
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


class _Invalid:
    """Records Arrow hands back (wrong width), kept only until their batch is checked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: deque[tuple[int, str]] = deque()

    def __call__(self, row: Any) -> str:
        with self.lock:
            self.rows.append((int(row.number), row.text))
        return "skip"

    def numbers(self) -> Any:
        import numpy as np

        with self.lock:
            return np.fromiter((num for num, _ in self.rows), dtype=np.int64, count=len(self.rows))

    def take(self, last: int | None = None) -> list[tuple[int, str]]:
        """The records up to number ``last`` (all of them if ``None``), removed from the queue."""
        out = []
        with self.lock:
            while self.rows and (last is None or self.rows[0][0] <= last):
                out.append(self.rows.popleft())
        return out


def _prefetch(reader: Any, group: int, depth: int = 2) -> Iterator[Any]:
    """The reader's batches joined into groups of about ``group`` bytes, parsed in a thread
    one or two groups ahead of the one being checked."""
    import pyarrow as pa

    q: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            batches: list[Any] = []
            size = 0
            for batch in reader:
                if not batch.num_rows:
                    continue
                batches.append(batch)
                size += batch.nbytes
                if size >= group:
                    if not put(pa.concat_batches(batches)):
                        return
                    batches, size = [], 0
            if batches:
                put(pa.concat_batches(batches))
            put(end)
        except BaseException as exc:  # noqa: BLE001 - handed to the consuming thread
            put(exc)

    thread = threading.Thread(target=work, name="govlens-csv-parse", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is end:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def run_arrow(
    source: Utf8Feed | Any, scan: Scan, *, binary: bool, group: int = GROUP,
    watch: Utf8Watch | None = None,
) -> None:
    """Check every record with Arrow's streaming CSV reader.

    ``source`` is a :class:`Utf8Feed`, or an Arrow file holding UTF-8 that
    Arrow reads by itself; then ``watch`` checks the UTF-8 on the cells.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(len(scan.fields))]
    invalid = _Invalid()
    d = scan.dialect
    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=PARSE_BLOCK,
                                       column_names=names),
        parse_options=pacsv.ParseOptions(
            delimiter=d.delimiter, quote_char=d.quotechar or False, double_quote=True,
            escape_char=d.escapechar or False, newlines_in_values=True,
            ignore_empty_lines=False, invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.binary() if binary else pa.string() for n in names},
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    checker = RowChecker(scan.fields, scan.uniques, defer_unique=True)
    next_record = 1
    for batch in _prefetch(reader, group):
        n = batch.num_rows
        pending = invalid.numbers()
        span = np.arange(next_record, next_record + n + len(pending), dtype=np.int64)
        numbers = span[~np.isin(span, pending)][:n]
        last = int(numbers[-1])
        if watch is not None:
            watch.check(batch, numbers)
        check_utf8 = watch is not None or source.invalid_at is not None
        errors, seen = _batch_errors(batch, numbers, scan, checker, binary=binary,
                                     check_utf8=check_utf8, watch=watch)
        for num, text in invalid.take(last):
            errors.extend(_invalid_errors(num, text, scan, checker))
        errors.extend(_unique_errors(checker, seen))
        errors.sort(key=lambda e: (e.row_number or 0, e.field_number or 0))
        scan.sink.extend(errors)
        next_record = last + 1
    errors = []
    for num, text in invalid.take():
        errors.extend(_invalid_errors(num, text, scan, checker))
        next_record = max(next_record, num + 1)
    errors.extend(_unique_errors(checker, []))
    scan.sink.extend(errors)
    scan.records = next_record - 1


def _unique_errors(checker: RowChecker, seen: list[tuple[int, int, Any, Any]]) -> list[TableError]:
    """Check the batch's unique values and the ragged records' together, in record order."""
    if not checker.any_unique:
        return []
    seen = seen + checker.unique_seen
    checker.unique_seen.clear()
    seen.sort(key=lambda s: (s[0], s[1]))
    return unique_errors(checker.uniques, seen)


def _invalid_errors(number: int, text: str, scan: Scan, checker: RowChecker) -> list[TableError]:
    if number <= scan.header_row:
        return []
    return checker.check(number, _cells(text, scan.dialect))


def _batch_errors(
    batch: Any, numbers: Any, scan: Scan, checker: RowChecker, *, binary: bool, check_utf8: bool,
    watch: Utf8Watch | None = None,
) -> tuple[list[TableError], list[tuple[int, int, Any, Any]]]:
    """The errors of one batch, and its values for ``unique`` fields (row, field, value, cell)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from govlens.inspect import vector

    n = batch.num_rows
    live = numbers > scan.header_row
    if not live.any():
        return [], []
    maybe_blank = live.copy()  # rows whose every cell so far is blank
    found: list[tuple[int, int, str, str, Any]] = []  # (row index, field no, type, note, cell)
    seen: list[tuple[int, int, Any, Any]] = []
    for i, spec in enumerate(scan.fields):
        arr = batch.column(i)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        bad: list[int] = vector.invalid_utf8(arr) if binary and check_utf8 else []
        if scan.c1_check:
            c1 = pc.fill_null(pc.match_substring_regex(arr, _C1_RE2), False)
            bad = np.flatnonzero(c1.to_numpy(zero_copy_only=False)).tolist()
        if bad:
            if watch is not None:
                watch.bad(int(numbers[bad[0]]))
            raw = arr.take(pa.array(bad, pa.int64())).to_pylist()
            for idx, value in zip(bad, raw, strict=True):
                found.append((idx, i + 1, "encoding-error", "", value))
            keep = np.ones(n, dtype=bool)
            keep[bad] = False
            arr = pa.array(np.where(keep, arr.to_numpy(zero_copy_only=False), None), arr.type)
        if binary:
            arr = arr.view(pa.string())
        checks = checker.checks[i]
        unique = checker.uniques[i]
        if not (spec.text_checked or checks.checks or unique is not None or bad):
            _narrow_blank_rows(maybe_blank, arr, spec)
            continue
        blank = vector.blank_mask(arr, spec)
        if bad:
            blank[bad] = False
        maybe_blank &= blank
        wrong = np.zeros(n, dtype=bool)
        wrong[bad] = True
        for idx, value in vector.type_errors(arr, spec, blank):
            found.append((idx, i + 1, "type-error", spec.note, value))
            wrong[idx] = True
        if checks.checks:
            suspects = vector.constraint_suspects(arr, spec, blank, checks.names())
            suspects = suspects[~wrong[suspects]]
            values = arr.take(pa.array(suspects, pa.int64())).to_pylist() if len(suspects) else []
            for k, value in zip(suspects.tolist(), values, strict=True):
                read = None if blank[k] else spec.parse(value)
                for note in checks.notes(read):
                    found.append((k, i + 1, "constraint-error", note, value))
        if unique is not None:
            kept = np.flatnonzero(live & ~blank & ~wrong)
            values = arr.take(pa.array(kept, pa.int64())).to_pylist() if len(kept) else []
            parse = None if spec.type == "string" else spec.parse
            for k, value in zip(kept.tolist(), values, strict=True):
                seen.append((int(numbers[k]), i, value if parse is None else parse(value), value))
    out = []
    for blank_row in np.flatnonzero(maybe_blank):
        out.append(TableError("blank-row", int(numbers[blank_row]), None, ""))
    for idx, column, kind, note, value in found:
        if not live[idx] or maybe_blank[idx]:
            continue
        row = int(numbers[idx])
        if kind == "encoding-error":
            out.append(TableError("encoding-error", row, column, bad_bytes_note(value)))
        else:
            out.append(TableError(kind, row, column, note, short_cell(value)))
    return out, seen


def _narrow_blank_rows(maybe_blank: Any, arr: Any, spec: FieldSpec) -> None:
    """Clear the rows where this column's cell is not blank (only looking where it matters)."""
    import numpy as np
    import pyarrow as pa

    from govlens.inspect import vector

    idx = np.flatnonzero(maybe_blank)
    if not len(idx):
        return
    if len(idx) * 8 < len(maybe_blank):
        blank = vector.blank_mask(arr.take(pa.array(idx, pa.int64())), spec)
        maybe_blank[idx[~blank]] = False
    else:
        maybe_blank &= vector.blank_mask(arr, spec)
