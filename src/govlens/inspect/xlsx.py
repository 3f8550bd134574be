"""XLSX sheets as rows of values, streamed: what openpyxl's read-only mode yields, faster.

openpyxl builds an element tree for every cell, parses each sheet twice when it
has no ``<dimension>``, and loads the whole style model to learn which styles
are dates. Here the sheet XML goes through expat with a handful of callbacks
per cell, and only the number formats are read from the styles; the values
follow openpyxl's ``WorkSheetParser.parse_cell`` and
``ReadOnlyWorksheet._cells_by_row`` rule for rule (number casting, dates by
number format and epoch, shared and inline strings, rows padded to the
sheet's dimension), using openpyxl's own helpers for the date formats and
conversions. A test holds the two to the same rows on every shared workbook.
Memory: the shared strings (as openpyxl) and one 64 KB chunk of sheet XML.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import fromstring, iterparse
from xml.parsers import expat

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_WORKBOOK_TYPES = {
    f"application/vnd.{kind}.main+xml" for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet",
        "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.template.macroEnabled")}
_SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CHUNK = 64 << 10
_C, _ROW, _V, _IS, _DIMENSION = (f"{MAIN}}}{t}" for t in ("c", "row", "v", "is", "dimension"))
Rows = Iterator[list[Any]]


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


class Book:
    """What the sheets need from the workbook: names, parts, strings, date styles, epoch."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        types = {o.get("PartName", "")[1:]: o.get("ContentType") for o in
                 fromstring(zf.read("[Content_Types].xml")).iter(_CT)}
        part = next((p for p, t in types.items() if t in _WORKBOOK_TYPES), "xl/workbook.xml")
        root = fromstring(zf.read(part))
        props = root.find(_q("workbookPr"))
        date1904 = props is not None and props.get("date1904", "").lower() in {"1", "true"}
        self.epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        rels = _relationships(zf, part)
        names = set(zf.namelist())
        self.sheets: list[tuple[str, str]] = []
        for sheet in root.iter(_q("sheet")):
            rel = rels.get(sheet.get(_REL, ""))
            if rel is None or rel[1] not in names or "chartsheet" in rel[0]:
                continue
            self.sheets.append((sheet.get("name", ""), rel[1]))
        strings = next((p for p, t in types.items() if t == _SHARED), None)
        self.strings = _shared_strings(zf, strings) if strings else []
        self.dates, self.timedeltas = _date_styles(zf)


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target path) of a part's relationships, resolved as openpyxl does."""
    folder, name = posixpath.split(part)
    try:
        root = fromstring(zf.read(posixpath.join(folder, "_rels", name + ".rels")))
    except KeyError:
        return {}
    out = {}
    for rel in root.iter(_PKG):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        target = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return out


def _shared_strings(zf: zipfile.ZipFile, part: str) -> list[str]:
    """Shared strings as openpyxl reads them: plain text then rich runs, phonetic runs left out."""
    out = []
    with zf.open(part) as fh:
        for _, node in iterparse(fh):
            if node.tag == _q("si"):
                out.append(_text(node).replace("x005F_", ""))
                node.clear()
    return out


def _text(node: Any) -> str:
    """openpyxl's ``Text.content``: children matched by local name, the last ``t`` winning."""
    plain, runs = None, []
    for child in node:
        local = child.tag.rsplit("}", 1)[-1]
        if local == "t":
            plain = child.text
        elif local == "r":
            t = None
            for grand in child:
                if grand.tag.rsplit("}", 1)[-1] == "t":
                    t = grand.text
            if t is not None:
                runs.append(t)
    return "".join(([plain] if plain is not None else []) + runs)


def _date_styles(zf: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """The cell styles whose number format is a date, and those that are a duration."""
    try:
        root = fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return set(), set()
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode")
              for f in root.iter(_q("numFmt"))}
    dates, timedeltas = set(), set()
    xfs = root.find(_q("cellXfs"))
    for idx, xf in enumerate(xfs.findall(_q("xf")) if xfs is not None else []):
        num = int(xf.get("numFmtId", "0"))
        fmt = custom[num] if num in custom else builtin_format_code(num)
        if is_date_format(fmt):
            dates.add(idx)
        if is_timedelta_format(fmt):
            timedeltas.add(idx)
    return dates, timedeltas


def xlsx_sheets(path: Any) -> Iterator[tuple[str, Rows]]:
    """Each sheet's name and rows (lists of values, as openpyxl's ``iter_rows(values_only)``)."""
    with zipfile.ZipFile(path) as zf:
        book = Book(zf)
        for name, part in book.sheets:
            yield name, _sheet_rows(zf, part, book)


def _sheet_rows(zf: zipfile.ZipFile, part: str, book: Book) -> Rows:
    """``ReadOnlyWorksheet._cells_by_row(1, 1, max_col, max_row, values_only=True)``."""
    parser = _SheetParser(book)
    max_col = max_row = None
    counter = idx = 1
    with zf.open(part) as fh:
        for idx, cells in parser.rows(fh):
            # the <dimension> comes before the rows: known from the first row on
            _, _, max_col, max_row = parser.dimension or (None, None, None, None)
            if max_row is not None and idx > max_row:
                break
            while counter < idx:
                counter += 1
                yield [None] * (max_col or 0)
            if counter <= idx:
                counter += 1
                yield _padded(cells, max_col)
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield [None] * (max_col or 0)


def _padded(cells: list[tuple[int, Any]], max_col: int | None) -> list[Any]:
    if not cells and not max_col:
        return []
    width = max_col or cells[-1][0]
    row = [None] * width
    for column, value in cells:
        if 1 <= column <= width:
            row[column - 1] = value
    return row


class _SheetParser:
    """expat callbacks that turn ``<row>``/``<c>`` elements into (row number, [(column, value)]).

    The common path (a ``<c>`` holding a ``<v>``) compares whole tag names and
    does nothing else; inline strings take the slower path.
    """

    def __init__(self, book: Book) -> None:
        self.book = book
        self.p = expat.ParserCreate(namespace_separator="}")
        self.p.buffer_text = True
        self.p.StartElementHandler = self.start
        self.p.EndElementHandler = self.end
        self.p.CharacterDataHandler = self.chars
        # openpyxl's range_boundaries: (min_col, min_row, max_col, max_row), None where a
        # range leaves a side open ("A:C" has no rows, "1:3" no columns)
        self.dimension: tuple[int | None, int | None, int | None, int | None] | None = None
        self.done: list[tuple[int, list[tuple[int, Any]]]] = []
        self.row_counter = self.col_counter = 0
        self.cells: list[tuple[int, Any]] = []
        self.depth = 0
        self.cell_depth = -1  # depth of the open <c>, -1 outside a cell
        self.attrs: dict[str, str] = {}
        self.value: str | None = None  # text of the cell's first <v>
        self.v_seen = False
        self.text: str | None = None  # the text being captured, if any
        self.capturing = False
        self.inline = 0  # the cell's first <is>: 0 not met, 1 inside, 2 read
        self.plain: str | None = None  # its last <t>
        self.runs: list[str] = []  # the last <t> of each of its <r>
        self.run: tuple[str | None] | None = None  # inside an <r>: its <t> so far

    def rows(self, fh: Any) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        while chunk := fh.read(_CHUNK):
            self.p.Parse(chunk, False)
            done, self.done = self.done, []
            yield from done
        self.p.Parse(b"", True)
        yield from self.done

    def chars(self, data: str) -> None:
        if self.capturing:
            self.text = data if self.text is None else self.text + data

    def _capture(self) -> None:
        self.capturing, self.text = True, None

    def _captured(self) -> str:
        text, self.capturing, self.text = self.text or "", False, None
        return text

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.cell_depth < 0:
            if tag == _C:
                self.cell_depth, self.attrs = self.depth, attrs
                self.value, self.v_seen, self.inline = None, False, 0
            elif tag == _ROW:
                self._row(attrs.get("r"))
            elif tag == _DIMENSION and self.dimension is None and not self.row_counter:
                self.dimension = range_boundaries(attrs.get("ref", ""))
            return
        level = self.depth - self.cell_depth
        if level == 1:
            if tag == _V and not self.v_seen:
                self.v_seen = True
                self._capture()
            elif tag == _IS and not self.inline:
                self.inline, self.plain, self.runs = 1, None, []
            return
        local = tag.rpartition("}")[2]  # Text.from_tree: children by local name
        if self.inline == 1 and level == 2:
            if local == "t":
                self._capture()
            elif local == "r":
                self.run = (None,)
        elif self.run is not None and level == 3 and local == "t":
            self._capture()

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        if self.cell_depth < 0:
            if tag == _ROW:
                self.done.append((self.row_counter, self.cells))
            return
        level = depth - self.cell_depth
        if level == 0:
            self._cell()
            self.cell_depth = -1
        elif level == 1:
            if tag == _V and self.capturing:
                self.value = self._captured()
            elif tag == _IS and self.inline == 1:
                self.inline = 2
        elif self.inline == 1:
            local = tag.rpartition("}")[2]
            if level == 2 and local == "t" and self.run is None and self.capturing:
                self.plain = self._captured()
            elif level == 2 and local == "r" and self.run is not None:
                if self.run[0] is not None:
                    self.runs.append(self.run[0])
                self.run = None
            elif level == 3 and local == "t" and self.run is not None and self.capturing:
                self.run = (self._captured(),)

    def _row(self, r: str | None) -> None:
        if r is not None:
            try:
                self.row_counter = int(r)
            except ValueError:
                value = float(r)
                if not value.is_integer():
                    raise ValueError(f"{r} is not a valid row number") from None
                self.row_counter = int(value)
        else:
            self.row_counter += 1
        self.col_counter = 0
        self.cells = []

    def _cell(self) -> None:
        attrs = self.attrs
        kind = attrs.get("t", "n")
        coordinate = attrs.get("r")
        if coordinate:
            column = _column(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            column = self.col_counter
        value: Any = None if kind == "inlineStr" else (self.value or None)
        if value is not None:
            if kind == "s":
                value = self.book.strings[int(value)]
            elif kind == "n":
                value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                style = attrs.get("s")
                if style and int(style) in self.book.dates:
                    try:
                        value = from_excel(value, self.book.epoch,
                                           timedelta=int(style) in self.book.timedeltas)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = from_ISO8601(value)  # type: ignore[no-untyped-call]  # unannotated in types-openpyxl
        elif kind == "inlineStr" and self.inline:
            value = "".join(([self.plain] if self.plain is not None else []) + self.runs)
        self.cells.append((column, value))


_COLUMNS: dict[str, int] = {}


def _column(coordinate: str) -> int:
    """The column of a cell reference such as ``AB12`` (``coordinate_to_tuple``'s, cached)."""
    letters = coordinate.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None or len(letters) == len(coordinate):
        column = coordinate_to_tuple(coordinate)[1]  # anything unusual: openpyxl decides
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = column
    return column
