"""Inspecting one CSV (or TSV) file: detect, sample, infer, then stream every record."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from govlens.inspect import engines, sniff
from govlens.inspect.checks import ErrorSink, header_errors
from govlens.inspect.constraints import compile_checks, unique_trackers
from govlens.inspect.feed import Reencode, RunawayQuote, Utf8Feed, Utf8Watch
from govlens.inspect.infer import field_names, infer_fields
from govlens.inspect.quotes import open_quote
from govlens.inspect.report import build, not_a_table
from govlens.inspect.stream import Capped, CutStream, open_decompressed, text_stream
from govlens.inspect.types import FieldSpec, fields_from_schema
from govlens.model import Coverage, TableError, TableReport

ENGINES = ("auto", "arrow", "python")
#: Below this many records (estimated) the record-by-record engine is faster:
#: the columnar one pays a fixed cost per column and per block.
PYTHON_RECORDS = 1500
#: Records checked together by the columnar engine (in groups of 1-8 MB).
GROUP_RECORDS = 4096
SINGLE_BYTE = {"latin-1", "cp1252", "iso-8859-1"}


@dataclass(slots=True)
class _Read:
    """What reading the records produced."""

    scan: engines.Scan
    engine: str
    encoding: str
    consumed: int  # content bytes read (decompressed)
    file_bytes: int  # file bytes read
    truncated: bool  # stopped at the size cap


def _head(path: Path, compression: str | None, member: str | None, cut: bool) -> tuple[bytes, bool]:
    with open_decompressed(path, compression, member, cut=cut) as (raw, _):
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
    cut = partial and compression is not None
    head, at_eof = _head(path, compression, member, cut)
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
        if not labels:
            warnings.append("the file has no header row to match the schema's fields")
        for spec in fields:
            warnings.extend(f'field "{spec.name}": {note} (not checked)'
                            for note in compile_checks(spec).skipped)
    lines = head.count(b"\n") or 1
    records = lines if at_eof else (size * lines // len(head) if compression is None else None)
    use = _engine(engine, dialect, fields, records)
    group = min(8 << 20, max(engines.GROUP // 2, len(head) // lines * GROUP_RECORDS))

    def fresh_scan(encoding: str) -> engines.Scan:
        sink = ErrorSink(limit_errors)
        sink.extend(header_errors(labels, fields, header, schema=schema is not None))
        return engines.Scan(fields, header, dialect, sink, c1_check=encoding in SINGLE_BYTE,
                            uniques=unique_trackers(fields))

    got = _read_records(path, compression, member, cut, enc, use, fresh_scan, max_bytes,
                        group, warnings)
    scan = got.scan
    whole = got.file_bytes == size or compression == "zip"
    truncated = got.truncated or partial
    stopped = scan.stopped or (None if whole or truncated else
                               f"read {got.file_bytes} of the file's {size} bytes")
    if not truncated and stopped is None and (unclosed := open_quote(path, got.encoding, dialect,
                                                                     compression, member)):
        scan.sink.add(TableError("source-error", unclosed.record, None, unclosed.note()))
    partial_checks = [note for u in scan.uniques if u is not None and (note := u.note())]
    warnings.extend(partial_checks)
    complete = not truncated and stopped is None and not partial_checks
    reason = stopped or (f"stopped after {got.consumed} bytes (size cap)" if truncated else None)
    if reason is None and partial_checks:
        reason = "a unique constraint was checked in part (see warnings)"
    read_all = not truncated and stopped is None
    coverage = Coverage(
        rows_checked=scan.rows,
        rows_total=scan.rows if read_all else None,
        bytes_checked=size if whole and read_all else
        (got.file_bytes if compression else got.consumed),
        bytes_total=total_bytes if total_bytes is not None else size,
        complete=complete,
        reason=reason,
    )
    return build(
        sink=scan.sink, fmt="csv", encoding=got.encoding,
        dialect=replace(sniff.to_dialect(dialect, header), line_terminator=sniff.line_terminator(text)),
        rows=scan.rows, size=size, fields=fields, coverage=coverage, engine=got.engine,
        compression=compression, warnings=warnings,
    )


def _engine(engine: str, dialect: Any, fields: list[FieldSpec], records: int | None) -> str:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if dialect.skipinitialspace or not fields:
        return "python"  # Arrow has no skipinitialspace
    if engine != "auto":
        return engine
    return "python" if records is not None and records <= PYTHON_RECORDS else "arrow"


def _read_records(
    path: Path, compression: str | None, member: str | None, cut: bool, enc: sniff.Encoding,
    use: str, fresh_scan: Any, max_bytes: int | None, group: int, warnings: list[str],
) -> _Read:
    """Run an engine over the file, switching encoding or engine when the file demands it."""
    encoding = enc.name
    while True:
        scan = fresh_scan(encoding)
        try:
            if use == "arrow" and compression is None and max_bytes is None and \
                    encoding in {"utf-8", "utf-8-sig"}:
                return _read_native(path, scan, encoding, enc, group, warnings)
            with open_decompressed(path, compression, member, cut=cut) as (raw, counter):
                if use == "arrow":
                    feed = Utf8Feed(raw, encoding, quote=scan.dialect.quotechar, max_bytes=max_bytes)
                    engines.run_arrow(feed, scan, binary=encoding in {"utf-8", "utf-8-sig"},
                                      group=group)
                    consumed, truncated = feed.consumed, feed.truncated
                    if feed.invalid_at is not None and not enc.mixed:
                        warnings.append(f"bytes that are not valid UTF-8 from byte "
                                        f"{feed.invalid_at}; reported as encoding errors")
                else:
                    limited = Capped(raw, max_bytes)
                    engines.run_python(text_stream(limited, encoding), scan)  # type: ignore[arg-type]
                    consumed, truncated = limited.consumed, limited.truncated
                truncated = truncated or (isinstance(raw, CutStream) and raw.cut)
                return _Read(scan, use, encoding, consumed, counter.count, truncated)
        except Reencode as exc:
            encoding = "cp1252"
            warnings[0] = (f"encoding cp1252: the first non-ASCII bytes ({exc.where}) "
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


def _read_native(
    path: Path, scan: engines.Scan, encoding: str, enc: sniff.Encoding, group: int,
    warnings: list[str],
) -> _Read:
    """A plain UTF-8 file, read by Arrow itself (no Python between the disk and the parser).

    A quoted field that never closes needs no watch here: a record longer than
    a parse block stops Arrow, and the file is read record by record.
    """
    import pyarrow as pa

    watch = Utf8Watch(seen=not enc.reason.startswith("the first bytes are ASCII"))
    with pa.OSFile(str(path)) as source:
        engines.run_arrow(source, scan, binary=True, group=group, watch=watch)
        read = source.tell()
    if watch.first_bad is not None and not enc.mixed:
        warnings.append(f"bytes that are not valid UTF-8 from record {watch.first_bad}; "
                        "reported as encoding errors")
    return _Read(scan, "arrow", encoding, read, read, False)


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
