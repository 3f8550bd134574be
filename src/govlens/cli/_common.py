"""Helpers shared by the CLI commands: options, store access, output, error handling."""

from __future__ import annotations

import csv
import functools
import io
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import click
import orjson

from govlens.config import Settings
from govlens.errors import GovlensError

F = TypeVar("F", bound=Callable[..., Any])

db_option = click.option(
    "--db",
    "db",
    metavar="URL",
    envvar="GOVLENS_DB",
    default=None,
    help="Database URL (sqlite:///PATH or postgresql+psycopg://...). Default: GOVLENS_DB, "
    "else a SQLite file in the user's data directory.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object for machines.")
catalogue_option = click.option("--catalogue", "catalogue", metavar="NAME", default=None,
                                help="Only this catalogue (default: every catalogue).")


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )


def settings(db: str | None) -> Settings:
    return Settings.from_env(db)


def open_store(db: str | None) -> Any:
    from govlens.store import Store

    return Store.open(settings(db).db_url)


def dumps(obj: Any) -> str:
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS, default=_default).decode()


def _default(obj: Any) -> Any:
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(type(obj).__name__)


def echo_json(obj: Any) -> None:
    click.echo(dumps(obj))


def write_records(records: Iterable[Mapping[str, Any]], fmt: str, out: Any = None) -> int:
    """Write records as JSON lines or CSV to ``out`` (stdout by default). Returns the count."""
    stream = out or sys.stdout
    n = 0
    if fmt == "jsonl":
        for rec in records:
            stream.write(dumps(rec) + "\n")
            n += 1
        return n
    writer: csv.DictWriter[str] | None = None
    for rec in records:
        row = {k: _csv_cell(v) for k, v in rec.items()}
        if writer is None:
            writer = csv.DictWriter(stream, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(row)
        n += 1
    return n


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (list, tuple, dict)):
        return dumps(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def handle_errors(fn: F) -> F:
    """Turn govlens errors into a clear message on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except GovlensError as exc:
            click.echo(f"govlens: error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def check_action_plan(db: str | None, quiet: bool) -> None:
    """What every pipeline command ends with: check the action plan's targets against the
    new results (nothing happens when no action was adopted)."""
    from govlens.run.maturity import after_run

    checks = after_run(settings(db))
    if checks and not quiet:
        click.echo(f"action plan: checked {len(checks)} targets")


def is_tty() -> bool:
    return sys.stderr.isatty()


def text_table(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))] if rows else []
    for r in rows:
        buf.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
    return buf.getvalue()
