"""``govlens inspect``: validate one tabular file or URL, or a catalogue's tabular files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import orjson

from govlens.cli._common import db_option, echo_json, handle_errors, open_store
from govlens.errors import ConfigError
from govlens.model import TableReport


def _load_schema(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        schema = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError("cannot read the Table Schema", path=path, cause=str(exc)) from exc
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise ConfigError("a Table Schema is a JSON object with a 'fields' list", path=path)
    return schema


def _human(report: TableReport, shown: int = 20) -> str:
    cov = report.coverage
    lines = [
        f"{report.source}: {'valid' if report.valid else 'INVALID'}",
        f"  format {report.format}"
        + (f" (declared {report.declared_format})" if report.declared_format else "")
        + (f", {report.compression}-compressed" if report.compression else "")
        + (f", encoding {report.encoding}" if report.encoding else "")
        + (f", delimiter {report.dialect.delimiter!r}" if report.dialect.delimiter else ""),
        f"  {report.rows} rows, {len(report.fields)} fields, {report.bytes} bytes; checked "
        f"{cov.rows_checked} rows and {cov.bytes_checked} of {cov.bytes_total} bytes"
        + ("" if cov.complete else f" (partial: {cov.reason})"),
    ]
    for name, n in report.error_counts:
        lines.append(f"  {n:>8}  {name}")
    for e in report.errors[:shown]:
        where = f"row {e.row_number}" if e.row_number else "file"
        if e.field_number:
            where += f", field {e.field_number}"
        if e.sheet:
            where = f"sheet {e.sheet!r}, {where}"
        lines.append(f"  - {e.type} at {where}" + (f": {e.note}" if e.note else ""))
    more = report.error_total - min(shown, len(report.errors))
    if more > 0:
        lines.append(f"  ... and {more} more")
    return "\n".join(lines)


@click.command("inspect")
@click.argument("target", required=False)
@click.option("--schema", "schema_path", metavar="TABLE_SCHEMA.json", default=None,
              help="Check types against this Table Schema instead of inferring them.")
@click.option("--catalogue", metavar="NAME", default=None,
              help="Inspect the tabular distributions of this catalogue's latest run.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=100 * 1024 * 1024,
              show_default=True, help="Download at most this many bytes per file.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
              help="Seconds allowed per download.")
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="With --catalogue: inspect at most this many files.")
@click.option("--max-errors", type=click.IntRange(min=0), default=1000, show_default=True,
              help="List at most this many errors (all are counted).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST",
              help="Allow downloads from this host even if it is private or loopback.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for machines.")
@db_option
@handle_errors
def inspect_cmd(
    target: str | None,
    schema_path: str | None,
    catalogue: str | None,
    max_bytes: int,
    timeout: float,
    sample: int | None,
    max_errors: int,
    allow_hosts: tuple[str, ...],
    as_json: bool,
    db: str | None,
) -> None:
    """Validate a CSV, XLSX, XLS or ODS file (a path or a URL), or a catalogue's files.

    Errors use Frictionless's types and row numbers; the report states how
    much of the file was checked.
    """
    from govlens.inspect import inspect_file, inspect_url

    if (target is None) == (catalogue is None):
        raise ConfigError("give a FILE or URL, or --catalogue NAME (not both)")
    schema = _load_schema(schema_path)
    if catalogue is not None:
        from govlens.inspect.catalogue import inspect_catalogue

        with open_store(db) as store:
            summary = inspect_catalogue(
                store, catalogue, max_bytes=max_bytes, timeout=timeout, sample=sample,
                allow_hosts=allow_hosts, limit_errors=max_errors,
            )
        if as_json:
            echo_json(summary.to_dict())
        else:
            click.echo(summary.text())
        return
    assert target is not None
    if target.startswith(("http://", "https://")):
        report = inspect_url(target, schema=schema, limit_errors=max_errors, max_bytes=max_bytes,
                             timeout=timeout, allow_hosts=allow_hosts)
    else:
        report = inspect_file(target, schema=schema, limit_errors=max_errors,
                              declared_format=_extension(target))
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(_human(report))


def _extension(target: str) -> str | None:
    suffix = Path(target).suffix.lower().lstrip(".")
    return suffix if suffix in {"csv", "tsv", "xlsx", "xls", "ods"} else None


def register(group: click.Group) -> None:
    group.add_command(inspect_cmd)
