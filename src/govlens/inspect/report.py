"""Assembling a :class:`TableReport` from what the detection and the engines found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from govlens.inspect.checks import ErrorSink
from govlens.inspect.types import FieldSpec
from govlens.model import Coverage, Dialect, SheetTask, TableError, TableReport


def counts(sink: ErrorSink) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(sink.counts.items()))


def build(
    *,
    sink: ErrorSink,
    fmt: str,
    encoding: str | None,
    dialect: Dialect,
    rows: int,
    size: int,
    fields: Sequence[FieldSpec],
    coverage: Coverage,
    engine: str | None,
    compression: str | None = None,
    tasks: Sequence[SheetTask] = (),
    warnings: Sequence[str] = (),
) -> TableReport:
    return TableReport(
        valid=sink.total == 0,
        format=fmt,
        encoding=encoding,
        dialect=dialect,
        rows=rows,
        bytes=size,
        fields=tuple(f.info() for f in fields),
        coverage=coverage,
        errors=tuple(sink.listed),
        errors_omitted=sink.omitted,
        error_counts=counts(sink),
        engine=engine,
        compression=compression,
        tasks=tuple(tasks),
        warnings=tuple(warnings),
    )


def not_a_table(
    fmt: str, size: int, note: str, *, error: str = "format-error", encoding: str | None = None,
    compression: str | None = None,
) -> TableReport:
    """The report for a file that could not be read as a table at all."""
    sink = ErrorSink()
    sink.add(TableError(error, None, None, note))
    return build(
        sink=sink, fmt=fmt, encoding=encoding, dialect=Dialect(header_row=0), rows=0, size=size,
        fields=(), engine=None, compression=compression,
        coverage=Coverage(0, None, 0, size, False, note),
    )


def with_source(
    report: TableReport,
    *,
    source: str | None = None,
    declared_format: str | None = None,
    media_type: str | None = None,
    seconds: float | None = None,
) -> TableReport:
    """The same report, with where it came from and what was declared."""
    return replace(
        report,
        source=source if source is not None else report.source,
        declared_format=declared_format or report.declared_format,
        served_format=report.format,
        media_type=media_type or report.media_type,
        seconds=seconds if seconds is not None else report.seconds,
    )
