"""What inspecting a tabular file found: a report shaped like Frictionless's.

``TableReport.to_dict()`` is the exact JSON that ``govlens inspect --json``
prints. Error types are Frictionless v5's (``blank-label``, ``duplicate-label``,
``extra-label``, ``missing-label``, ``incorrect-label``, ``blank-header``,
``blank-row``, ``extra-cell``, ``missing-cell``, ``type-error``,
``constraint-error``, ``encoding-error``, ``source-error``, ``format-error``),
and row numbers count records the way Frictionless does: the header is row 1
when it is the first record, and every record (blank or ragged) has a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Error types that concern the header row (their ``row_number`` is the header's).
HEADER_ERRORS = frozenset(
    {"blank-header", "blank-label", "duplicate-label", "extra-label", "missing-label",
     "incorrect-label"}
)
#: Error types that stop a file from being read at all or past some point.
FILE_ERRORS = frozenset({"encoding-error", "source-error", "format-error", "scheme-error"})


@dataclass(frozen=True, slots=True)
class TableError:
    """One problem, located by record number and field number (both 1-based)."""

    type: str
    row_number: int | None = None
    field_number: int | None = None
    note: str = ""
    cell: str | None = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "rowNumber": self.row_number,
            "fieldNumber": self.field_number,
            "note": self.note,
        }
        if self.cell is not None:
            out["cell"] = self.cell
        if self.sheet is not None:
            out["sheet"] = self.sheet
        return out


@dataclass(frozen=True, slots=True)
class Dialect:
    """How the records were read. ``header_row`` is 0 when there is no header."""

    delimiter: str | None = None
    quote_char: str | None = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    line_terminator: str | None = None
    header_row: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "delimiter": self.delimiter,
            "quoteChar": self.quote_char,
            "doubleQuote": self.double_quote,
            "escapeChar": self.escape_char,
            "skipInitialSpace": self.skip_initial_space,
            "lineTerminator": self.line_terminator,
            "header": self.header_row > 0,
            "headerRow": self.header_row,
        }


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A column: its label, its type, and where the type came from.

    ``source`` is ``schema`` (given with ``--schema``) or ``inferred``; for an
    inferred type, ``confidence`` is the share of the non-blank sample values
    that read as that type, and ``sample`` is how many values were looked at.
    """

    name: str
    type: str
    format: str = "default"
    source: str = "inferred"
    confidence: float | None = None
    sample: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "source": self.source,
            "confidence": self.confidence,
            "sample": self.sample,
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the file the checks saw.

    ``rows_total`` and ``bytes_total`` are ``None`` when the total is unknown
    (a download cut at ``--max-bytes`` from a server that sent no length);
    ``complete`` is true only when every byte and every record was checked.
    """

    rows_checked: int
    rows_total: int | None
    bytes_checked: int
    bytes_total: int | None
    complete: bool
    reason: str | None = None

    @property
    def fraction(self) -> float | None:
        if self.complete:
            return 1.0
        if self.bytes_total:
            return round(min(1.0, self.bytes_checked / self.bytes_total), 4)
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_checked": self.rows_checked,
            "rows_total": self.rows_total,
            "bytes_checked": self.bytes_checked,
            "bytes_total": self.bytes_total,
            "fraction": self.fraction,
            "complete": self.complete,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class SheetTask:
    """The result for one sheet of a workbook (or the one table of a CSV)."""

    name: str
    valid: bool
    rows: int
    fields: int
    errors: int
    error_counts: tuple[tuple[str, int], ...] = ()
    header_row: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "valid": self.valid,
            "rows": self.rows,
            "fields": self.fields,
            "errors": self.errors,
            "error_counts": dict(self.error_counts),
            "headerRow": self.header_row,
        }


@dataclass(frozen=True, slots=True)
class TableReport:
    """The inspection of one file.

    ``errors`` lists at most the cap asked for, in record order;
    ``errors_omitted`` says how many more were found, and ``error_counts``
    counts every error found by type, listed or not. ``rows`` counts the data
    records after the header (blank and ragged ones included), like
    Frictionless's ``stats.rows``.
    """

    valid: bool
    format: str | None
    encoding: str | None
    dialect: Dialect
    rows: int
    bytes: int
    fields: tuple[FieldInfo, ...]
    coverage: Coverage
    errors: tuple[TableError, ...] = ()
    errors_omitted: int = 0
    error_counts: tuple[tuple[str, int], ...] = ()
    source: str | None = None
    declared_format: str | None = None
    served_format: str | None = None
    media_type: str | None = None
    compression: str | None = None
    engine: str | None = None
    tasks: tuple[SheetTask, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    seconds: float = 0.0

    @property
    def error_total(self) -> int:
        return sum(n for _, n in self.error_counts)

    @property
    def format_matches(self) -> bool | None:
        """Whether the declared format is the one served (``None`` if nothing was declared)."""
        if not self.declared_format:
            return None
        return _same_format(self.declared_format, self.format)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "format": self.format,
            "encoding": self.encoding,
            "dialect": self.dialect.to_dict(),
            "stats": {
                "rows": self.rows,
                "bytes": self.bytes,
                "fields": len(self.fields),
                "errors": self.error_total,
                "coverage": self.coverage.to_dict(),
            },
            "errors": [e.to_dict() for e in self.errors],
            "errors_omitted": self.errors_omitted,
            "error_counts": dict(self.error_counts),
            "fields": [f.to_dict() for f in self.fields],
            "source": self.source,
            "declared_format": self.declared_format,
            "served_format": self.served_format,
            "format_matches": self.format_matches,
            "media_type": self.media_type,
            "compression": self.compression,
            "engine": self.engine,
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 4),
        }


#: Spellings of the same tabular format.
_FORMAT_ALIASES = {
    "csv": "csv", "text/csv": "csv", "tsv": "csv", "txt": "csv", "text/plain": "csv",
    "xlsx": "xlsx", "xls": "xls", "ods": "ods", "excel": "xls",
}


def _same_format(declared: str, served: str | None) -> bool:
    if served is None:
        return False
    d = declared.strip().lower().rsplit("/", 1)[-1]
    d = _FORMAT_ALIASES.get(d, d)
    s = _FORMAT_ALIASES.get(served.lower(), served.lower())
    if d == "excel" or (d in {"xls", "xlsx"} and s in {"xls", "xlsx"}):
        return s in {"xls", "xlsx"}
    return d == s


@dataclass(frozen=True, slots=True)
class InspectionFact:
    """What the scorers need to know about one inspected URL in one run.

    ``valid`` is MQA's syntaxValid (``None``: the file could not be fetched or
    read at all, see ``failure``); ``format_match`` is formatMatch (``None``
    when no format was declared); ``served_format`` feeds the content-based
    5-star score. ``complete`` and ``coverage`` say how much of the file the
    verdict rests on.
    """

    url: str
    valid: bool | None
    served_format: str | None = None
    declared_format: str | None = None
    format_match: bool | None = None
    encoding: str | None = None
    rows: int = 0
    errors: int = 0
    complete: bool = False
    coverage: float | None = None
    error_counts: tuple[tuple[str, int], ...] = ()
    failure: str | None = None
    inspected_at: str | None = None
