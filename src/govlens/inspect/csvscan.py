"""Inspecting one CSV (or TSV) file: detect, sample, infer, then stream every record."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

from govlens.inspect import engines, sniff
from govlens.inspect.checks import ErrorSink, header_errors
from govlens.inspect.report import build, not_a_table
from govlens.inspect.stream import Reencode, RunawayQuote, Utf8Feed, open_decompressed, text_stream
from govlens.inspect.types import FieldSpec, field_names, fields_from_schema, infer_fields
from govlens.model import Coverage, TableReport

ENGINES = ("auto", "arrow", "python")


def _head(path: Path, compression: str | None, member: str | None) -> tuple[bytes, bool]:
    with open_decompressed(path, compression, member) as (raw, _):
        head = raw.read(sniff.HEAD_BYTES)
        at_eof = len(head) < sniff.HEAD_BYTES or not raw.read(1)
    return head, at_eof


def inspect_csv(
    path: Path,
    *,
    schema: dict[str, Any] | None = None,
    compression: str | None = None,
    member: str | None = None,
    limit_errors: int = 1000,
    max_bytes: int | None = None,
    engine: str = "auto",
    tsv: bool = False,
    total_bytes: int | None = None,
    partial: bool = False,
) -> TableReport:
    """Inspect a delimited text file (``compression`` names how it is packed, if it is)."""
    size = path.stat().st_size
    if partial and compression is None:
        max_bytes = size if max_bytes is None else min(max_bytes, size)
    head, at_eof = _head(path, compression, member)
    if not head:
        return not_a_table("csv", size, "the file is empty", error="source-error",
                           compression=compression)
    enc = sniff.detect_encoding(head, at_eof)
    served = sniff.text_format(head, enc.name)
    if served != "csv":
        return not_a_table(served, size, f"the content is {served.upper()}, not a table",
                           encoding=enc.name, compression=compression)
    text = sniff.decode_head(head, enc.name, at_eof)
    dialect = sniff.sniff_dialect(text, tsv=tsv)
    sample = sniff.read_records(text, dialect, at_eof)
    header = sniff.header_row(sample) if sample else 1
    labels = sniff.labels_of(sample[header - 1]) if sample else []
    fields = _fields(labels, sample[header:], schema)
    warnings = [f"encoding {enc.name}: {enc.reason}"]
    if schema is not None:
        missing = {f.name for f in fields} - set(labels)
        if missing and not labels:
            warnings.append("the file has no header row to match the schema's fields")

    def fresh_scan() -> engines.Scan:
        sink = ErrorSink(limit_errors)
        sink.extend(header_errors(labels, fields, header, schema=schema is not None))
        single_byte = encoding in {"latin-1", "cp1252", "iso-8859-1"}
        return engines.Scan(fields, header, dialect, sink, c1_check=single_byte)

    use = engine
    if engine == "auto" or dialect.skipinitialspace or not fields:
        # Arrow has no skipinitialspace; such files are read record by record.
        use = "python" if dialect.skipinitialspace or not fields else "arrow"
    encoding = enc.name
    consumed = truncated = 0
    while True:
        scan = fresh_scan()
        try:
            with open_decompressed(path, compression, member) as (raw, counter):
                if use == "arrow":
                    feed = Utf8Feed(raw, encoding, quote=dialect.quotechar, max_bytes=max_bytes)
                    engines.run_arrow(feed, scan, binary=encoding in {"utf-8", "utf-8-sig"})
                    consumed, truncated = feed.consumed, feed.truncated
                    if feed.invalid_at is not None and not enc.mixed:
                        warnings.append(f"bytes that are not valid UTF-8 from byte "
                                        f"{feed.invalid_at}; reported as encoding errors")
                else:
                    limited = _Limited(raw, max_bytes)
                    engines.run_python(text_stream(limited, encoding), scan)  # type: ignore[arg-type]
                    consumed, truncated = limited.consumed, limited.truncated
                read_bytes = counter.count
            break
        except Reencode as exc:
            encoding = "cp1252"
            warnings[0] = (f"encoding cp1252: the first non-ASCII bytes (at byte {exc.offset}) "
                           "are not UTF-8")
        except RunawayQuote as exc:
            use = "python"
            warnings.append(f"a quoted field is still open {exc.offset} bytes in; "
                            "read record by record")
        except _arrow_errors() as exc:
            if use == "python":
                raise
            use = "python"
            warnings.append(f"the columnar reader failed ({exc}); read record by record")
    total = total_bytes if total_bytes is not None else size
    truncated = truncated or partial
    complete = not truncated and scan.stopped is None
    reason = scan.stopped or (f"stopped after {consumed} bytes (size cap)" if truncated else None)
    coverage = Coverage(
        rows_checked=scan.rows,
        rows_total=scan.rows if complete else None,
        bytes_checked=size if complete else (read_bytes if compression else consumed),
        bytes_total=total,
        complete=complete,
        reason=reason,
    )
    report = build(
        sink=scan.sink, fmt="csv", encoding=encoding,
        dialect=replace(sniff.to_dialect(dialect, header), line_terminator=sniff.line_terminator(text)),
        rows=scan.rows, size=size, fields=fields, coverage=coverage, engine=use,
        compression=compression, warnings=warnings,
    )
    return report


def _fields(
    labels: list[str], fragment: list[list[str]], schema: dict[str, Any] | None
) -> list[FieldSpec]:
    if schema is not None:
        return fields_from_schema(schema)
    return infer_fields(field_names(labels, len(labels)), fragment)


def _arrow_errors() -> tuple[type[BaseException], ...]:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return (csv.Error,)
    return (pa.ArrowException,)


class _Limited:
    """A binary stream cut after ``limit`` bytes, at the last line end before the cut."""

    def __init__(self, raw: Any, limit: int | None) -> None:
        self.raw = raw
        self.limit = limit
        self.consumed = 0
        self.truncated = False
        self.closed = False

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def read(self, size: int = -1) -> bytes:
        size = 1 << 20 if size is None or size < 0 else size
        if self.limit is not None:
            size = min(size, self.limit - self.consumed)
            if size <= 0:
                self.truncated = self.truncated or bool(self.raw.read(1))
                return b""
        data = self.raw.read(size)
        self.consumed += len(data)
        if self.limit is not None and self.consumed >= self.limit and b"\n" in data:
            data = data[: data.rfind(b"\n") + 1]
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.closed = True

    def flush(self) -> None:
        pass
