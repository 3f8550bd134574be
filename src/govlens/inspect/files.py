"""One local file in, one report out: decide what the file is, then read it as that."""

from __future__ import annotations

import tempfile
import time
import zipfile
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govlens.errors import InspectError
from govlens.inspect import sniff, stream
from govlens.inspect.csvscan import inspect_csv
from govlens.inspect.report import not_a_table, with_source
from govlens.inspect.sheets import inspect_workbook
from govlens.inspect.stream import open_decompressed
from govlens.model import TableReport

if TYPE_CHECKING:
    from govlens.probe.guard import Guard

MAX_BYTES = 100 * 1024 * 1024
TIMEOUT = 120.0

NOT_TABLES = {"pdf", "image", "parquet", "html", "xml", "json", "binary"}


def served_format(path: Path, partial: bool = False) -> tuple[str, str | None, str | None]:
    """(format, compression, member) of a local file, from its content alone.

    ``partial``: the file is the first part of a longer one, so a ZIP file has
    lost its directory and is known by its first member's local header.
    """
    with open(path, "rb") as fh:
        head = fh.read(8192)
    magic = sniff.magic_format(head)
    if magic in sniff.COMPRESSIONS:
        with open_decompressed(path, magic, cut=partial) as (raw, _):
            inner = raw.read(8192)
        inner_magic = sniff.magic_format(inner)
        return (inner_magic or "csv"), magic, None
    if magic == "zip" and partial and not zipfile.is_zipfile(path):
        member = stream.zip_head_member(path)
        if member and Path(member).suffix.lower() in {".csv", ".tsv", ".txt"}:
            return "csv", "zip", member
        return "zip", None, member
    if magic == "zip":
        kind, member = sniff.zip_format(path)
        if kind != "zip":
            return kind, None, None
        if member and Path(member).suffix.lower() in {".csv", ".tsv", ".txt"}:
            return "csv", "zip", member
        return "zip", None, member
    return magic or "csv", None, None


def inspect_file(
    path: str | Path,
    *,
    schema: dict[str, Any] | None = None,
    declared_format: str | None = None,
    limit_errors: int = 1000,
    max_bytes: int | None = None,
    engine: str = "auto",
    source: str | None = None,
    media_type: str | None = None,
    total_bytes: int | None = None,
    partial: bool = False,
) -> TableReport:
    """Inspect one local file and say what it is and what is wrong with it.

    ``partial`` says the file is the first part of a longer one (a download
    cut at its size cap, of ``total_bytes`` if the server said).
    """
    started = time.perf_counter()
    p = Path(path)
    if not p.is_file():
        raise InspectError("no such file", path=str(p))
    try:
        fmt, compression, member = served_format(p, partial)
    except OSError as exc:
        raise InspectError("cannot read the file", path=str(p), cause=str(exc)) from exc
    size = p.stat().st_size
    if partial and fmt not in {"csv"}:
        report = not_a_table(fmt, size, f"only the first {size} bytes were downloaded (size cap); "
                             f"a cut {fmt.upper()} file cannot be read", error="source-error")
    elif fmt in {"xlsx", "xls", "ods"} and compression is None:
        report = inspect_workbook(p, fmt, schema=schema, limit_errors=limit_errors)
    elif fmt == "csv":
        tsv = p.suffix.lower() == ".tsv" or (declared_format or "").lower() == "tsv"
        report = inspect_csv(p, schema=schema, compression=compression, member=member,
                             limit_errors=limit_errors, max_bytes=max_bytes, engine=engine,
                             tsv=tsv, total_bytes=total_bytes, partial=partial)
    elif fmt == "zip":
        note = (f"a ZIP archive whose one table ({member}) is not CSV" if member
                else "a ZIP archive without exactly one table inside")
        report = not_a_table("zip", size, note, compression=None)
    elif compression:
        report = not_a_table(fmt, size, f"a {compression}-compressed {fmt.upper()} file",
                             compression=compression)
    else:
        report = not_a_table(fmt, size, f"the content is {fmt.upper()}, not a table")
    return with_source(report, source=source or str(p), declared_format=declared_format,
                       media_type=media_type, seconds=time.perf_counter() - started)


def inspect_url(
    url: str,
    *,
    schema: dict[str, Any] | None = None,
    declared_format: str | None = None,
    limit_errors: int = 1000,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    allow_hosts: Collection[str] = (),
    media_type: str | None = None,
    guard: Guard | None = None,
) -> TableReport:
    """Download ``url`` within the caps (through ``guard``, or one allowing ``allow_hosts``)
    and inspect what was served."""
    from govlens.inspect import fetch  # the HTTP stack: only when a URL comes

    with tempfile.TemporaryDirectory(prefix="govlens-inspect-") as tmp:
        got = fetch.download(url, Path(tmp) / "body", max_bytes=max_bytes, timeout=timeout,
                             allow_hosts=allow_hosts, guard=guard)
        total = got.content_length if got.truncated else got.bytes
        report = inspect_file(
            got.path, schema=schema, declared_format=declared_format, limit_errors=limit_errors,
            source=url, media_type=media_type or got.content_type, total_bytes=total,
            partial=got.truncated,
        )
    warnings = list(report.warnings)
    if got.final_url != url:
        warnings.append(f"redirected {got.redirects} time(s) to {got.final_url}")
    return replace(report, warnings=tuple(warnings), seconds=got.seconds + report.seconds)
