"""``govlens harvest``: harvest one catalogue (CKAN API, DCAT-AP RDF or data.json)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

import click

from govlens.cli._common import (
    check_action_plan,
    db_option,
    echo_json,
    handle_errors,
    is_tty,
    json_option,
    settings,
)
from govlens.model import SOURCE_KINDS, HarvestInfo


def info_dict(info: HarvestInfo) -> dict[str, Any]:
    """The ``--json`` object: the contract keys first, then the rest of the summary."""
    d = asdict(info)
    errors = [{k: v for k, v in e.items() if v is not None} for e in d.pop("errors")]
    head = {k: d.pop(k) for k in ("run", "catalogue", "datasets", "distributions", "publishers", "warnings")}
    return {**head, "errors": errors, **d}


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Any]:
    """A Rich progress bar on a terminal; a no-op callback otherwise."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def print_summary(info: HarvestInfo) -> None:
    state = "harvested" if info.status == "complete" else "NOT harvested"
    click.echo(
        f"{info.catalogue}: {state} ({info.kind}) run {info.run}: {info.datasets} datasets, "
        f"{info.distributions} distributions, {info.publishers} publishers, "
        f"{info.warnings} warnings, {info.withdrawn} withdrawn"
        + (" (resumed)" if info.resumed else "") + f" in {info.seconds:.1f}s"
    )
    for e in info.errors:
        where = f" [page {e.page}]" if e.page else ""
        click.echo(f"govlens: {_level(info)}: {e.source}{where}: {e.error}: {e.message}", err=True)


def _level(info: HarvestInfo) -> str:
    """What the run's errors are to its user: the failure, or notes on a complete harvest."""
    return "error" if info.status != "complete" else "warning"


@click.command()
@click.argument("source")
@click.option("--kind", type=click.Choice(list(SOURCE_KINDS)), default=None,
              help="Kind of source (default: detected).")
@click.option("--catalogue", metavar="NAME", default=None,
              help="Name to store the catalogue under (default: the host or file name).")
@db_option
@json_option
@handle_errors
def harvest(source: str, kind: str | None, catalogue: str | None, db: str | None, as_json: bool) -> None:
    """Harvest SOURCE (a URL or a local file or folder) into the store.

    Exit status 0 when the catalogue was harvested (even with warnings), 1 when
    it could not be; what was stored before a failure stays, and the next
    harvest of the same source resumes it. Interrupted (Ctrl-C, SIGTERM), the
    run is marked failed, ``--json`` still prints its object, and the exit
    status is the interruption's (143 for SIGTERM).
    """
    from govlens.run.harvest import harvest as run_harvest

    def stopped(failed: HarvestInfo) -> None:  # interrupted: the run's object all the same
        if as_json:
            echo_json(info_dict(failed))

    with progress_bar(is_tty() and not as_json, "harvesting") as update:
        info = run_harvest(settings(db), source, kind, catalogue, update,  # type: ignore[arg-type]
                           interrupted=stopped)
    if as_json:
        echo_json(info_dict(info))
        for e in info.errors:
            click.echo(f"govlens: {_level(info)}: {e.source}: {e.message}", err=True)
    else:
        print_summary(info)
    if info.status != "complete":
        sys.exit(1)
    check_action_plan(db, as_json)


def register(group: click.Group) -> None:
    group.add_command(harvest)
