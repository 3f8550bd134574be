"""Spreadsheets: XLSX, XLS and ODS, read sheet by sheet, with the same checks per sheet.

* XLSX: the sheet XML streamed through expat (:mod:`govlens.inspect.xlsx`),
  giving the values openpyxl's read-only mode gives (the reader Frictionless
  uses, so cell values and types agree); openpyxl itself when that fails.
* XLS: xlrd, sheet by sheet (``on_demand``); an XLS sheet holds at most
  65,536 rows, which bounds its memory.
* ODS: ``content.xml`` parsed as a stream of rows (``iterparse``), so a
  large sheet is never held whole; repeated empty rows are expanded only
  when a non-empty row follows them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from govlens.errors import InspectError
from govlens.inspect import sniff
from govlens.inspect.checks import ErrorSink, RowChecker, header_errors
from govlens.inspect.constraints import unique_trackers
from govlens.inspect.infer import field_names, infer_fields
from govlens.inspect.report import build, not_a_table
from govlens.inspect.types import FieldSpec, fields_from_schema
from govlens.model import Coverage, Dialect, SheetTask, TableReport

Rows = Iterator[list[Any]]
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_P = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"


def xlsx_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    from govlens.inspect import xlsx  # imports openpyxl's helpers: only when a workbook comes

    return xlsx.xlsx_sheets(path)


def openpyxl_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    """XLSX through openpyxl's read-only mode: the reference, and the fallback."""
    import openpyxl

    with open(path, "rb") as fh:  # a handle: openpyxl refuses names not ending in .xlsx
        book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                yield ws.title, (list(r) for r in ws.iter_rows(values_only=True))
        finally:
            book.close()


def xls_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    import xlrd

    try:  # formatting_info keeps formatted empty rows and columns, as Frictionless does
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True,
                                  logfile=_Quiet())
    except NotImplementedError:
        book = xlrd.open_workbook(str(path), on_demand=True, logfile=_Quiet())
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, _xls_rows(book, sheet)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_rows(book: Any, sheet: Any) -> Rows:
    import xlrd

    for x in range(sheet.nrows):
        cells = []
        for ctype, value in zip(sheet.row_types(x), sheet.row_values(x), strict=True):
            if ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif ctype == xlrd.XL_CELL_NUMBER and value == value // 1:
                value = int(value)
            elif ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except (ValueError, OverflowError):
                    pass
            cells.append(value)
        yield cells


class _Quiet:
    def write(self, _text: str) -> None:
        pass


def ods_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        events = iterparse(fh, events=("start", "end"))
        for event, el in events:
            if event == "start" and el.tag == f"{_T}table":
                yield el.get(f"{_T}name") or "", _ods_rows(events)


def _ods_rows(events: Any) -> Rows:
    """Rows as written; runs of repeated empty cells or rows count only when data follows."""
    pending_blank = 0
    row: list[Any] = []
    real = 0  # length of the row up to its last written (non-padding) cell
    for event, el in events:
        tag = el.tag
        if event == "start" and tag == f"{_T}table-row":
            row, real = [], 0
        elif event == "end" and tag in {f"{_T}table-cell", f"{_T}covered-table-cell"}:
            value = _ods_value(el)
            repeat = min(int(el.get(f"{_T}number-columns-repeated", "1")), 16384)
            row.extend([value] * repeat)
            if value is not None or repeat == 1:
                real = len(row)
            el.clear()
        elif event == "end" and tag == f"{_T}table-row":
            del row[real:]
            repeat = int(el.get(f"{_T}number-rows-repeated", "1"))
            el.clear()
            if all(v is None for v in row) and repeat > 1:
                pending_blank += repeat
                continue
            for _ in range(pending_blank):
                yield []
            pending_blank = 0
            for _ in range(repeat):
                yield list(row)
        elif event == "end" and tag == f"{_T}table":
            el.clear()
            return


def _ods_value(el: Any) -> Any:
    kind = el.get(f"{_O}value-type")
    if kind in {"float", "percentage", "currency"}:
        number = float(el.get(f"{_O}value"))
        return int(number) if number == number // 1 else number
    if kind == "boolean":
        return el.get(f"{_O}boolean-value") == "true"
    if kind == "date":
        text = el.get(f"{_O}date-value") or ""
        try:
            if len(text) == 10:
                return datetime.strptime(text, "%Y-%m-%d").date()
            return datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return text
    paragraphs = [("".join(p.itertext())) for p in el.iter(_TEXT_P)]
    if kind is None and not paragraphs:
        return None
    return "\n".join(paragraphs)


READERS = {"xlsx": xlsx_sheets, "xls": xls_sheets, "ods": ods_sheets}
#: When the streaming XLSX reader fails, openpyxl gets the last word on whether the file reads.
FALLBACK = {"xlsx": openpyxl_sheets}


def inspect_workbook(
    path: Path,
    fmt: str,
    *,
    schema: dict[str, Any] | None = None,
    limit_errors: int = 1000,
    reader: Any = None,
) -> TableReport:
    """Check every sheet of a workbook; errors carry their sheet's name."""
    read = reader or READERS[fmt]
    size = path.stat().st_size
    sink = ErrorSink(limit_errors)
    tasks: list[SheetTask] = []
    first_fields: list[FieldSpec] = []
    first_header = 1
    rows_total = 0
    partial: list[str] = []
    try:
        for name, rows in read(path):
            before = dict(sink.counts)
            sink.sheet = name
            n_rows, fields, header, notes = _check_sheet(rows, sink, schema, pad=fmt == "ods")
            partial.extend(f"sheet {name}: {note}" for note in notes)
            if not tasks:
                first_fields, first_header = fields, header
            found = {k: v - before.get(k, 0) for k, v in sink.counts.items()
                     if v - before.get(k, 0)}
            tasks.append(SheetTask(name, not found, n_rows, len(fields), sum(found.values()),
                                   tuple(sorted(found.items())), header))
            rows_total += n_rows
    except InspectError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means "not a readable workbook"
        if reader is None and fmt in FALLBACK:
            return inspect_workbook(path, fmt, schema=schema, limit_errors=limit_errors,
                                    reader=FALLBACK[fmt])
        return not_a_table(fmt, size, f"cannot read the {fmt.upper()} workbook: {exc}")
    if not tasks:
        return not_a_table(fmt, size, "the workbook has no sheets", error="source-error")
    return build(
        sink=sink, fmt=fmt, encoding=None, dialect=Dialect(None, None, header_row=first_header),
        rows=rows_total, size=size, fields=first_fields, engine="python", tasks=tasks,
        coverage=Coverage(rows_total, rows_total, size, size, not partial,
                          "a unique constraint was checked in part (see warnings)" if partial
                          else None),
        warnings=partial,
    )


def _check_sheet(
    rows: Rows, sink: ErrorSink, schema: dict[str, Any] | None, *, pad: bool
) -> tuple[int, list[FieldSpec], int, list[str]]:
    """Check one sheet: (data rows, fields, header row, notes on checks done in part)."""
    sample = list(islice(rows, sniff.SAMPLE_ROWS))
    if not sample:
        return 0, [], 1, []
    header = sniff.header_row(sample)
    labels = sniff.labels_of(sample[header - 1])
    if pad:
        width = len(labels)
        sample = [r + [None] * (width - len(r)) for r in sample]
    if schema is not None:
        fields = fields_from_schema(schema)
    else:
        fields = infer_fields(field_names(labels, len(labels)), sample[header:])
    sink.extend(header_errors(labels, fields, header, schema=schema is not None))
    uniques = unique_trackers(fields)
    checker = RowChecker(fields, uniques)
    width = len(fields)
    number = 0
    for number, cells in enumerate(chain(sample, rows), start=1):
        if number <= header:
            continue
        if pad and len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        sink.extend(checker.check(number, cells))
    notes = [note for u in uniques if u is not None and (note := u.note())]
    return max(0, number - header), fields, header, notes
