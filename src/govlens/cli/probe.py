"""Commands over link checks: ``probe`` (check the links) and ``links`` (list their states)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any

import click

from govlens import __version__
from govlens.cli._common import (
    catalogue_option,
    check_action_plan,
    db_option,
    echo_json,
    format_option,
    handle_errors,
    is_tty,
    json_option,
    open_store,
    settings,
    write_records,
)
from govlens.config import USER_AGENT

LINK_FIELDS = ("url", "outcome", "status", "final_url", "content_type", "content_length", "checked_at", "reason")


class _Bar:
    """A Rich progress bar on stderr, one task per probed run."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )
        self._task: Any = None

    def start(self, run: Any, total: int, done: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task(f"{run.catalogue} (run {run.id})", total=total, completed=done)

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)

    def stop(self) -> None:
        self._progress.stop()


@click.command()
@catalogue_option
@db_option
@click.option("--concurrency", type=click.IntRange(1, 10_000), default=64, show_default=True,
              help="Requests in flight at once, all hosts together.")
@click.option("--per-host", type=click.IntRange(1, 1000), default=4, show_default=True,
              help="Requests in flight at once to one host.")
@click.option("--min-interval", type=click.FloatRange(0), default=0.1, show_default=True, metavar="S",
              help="Seconds between two requests to the same host.")
@click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True, metavar="S",
              help="Seconds allowed for one request.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST",
              help="Let the checker reach HOST (name, *.suffix, address or network) although it is "
              "private or local. Repeatable; adds to GOVLENS_ALLOW_HOSTS.")
@click.option("--again", is_flag=True, help="Check again even if the latest run was already probed.")
@json_option
@handle_errors
def probe(
    catalogue: str | None, db: str | None, concurrency: int, per_host: int, min_interval: float,
    timeout: float, allow_hosts: tuple[str, ...], again: bool, as_json: bool,
) -> None:
    """Check every distinct distribution URL of the latest run of each catalogue.

    Each URL is checked once per harvest run; an interrupted probe resumes.
    See docs/links.md for outcomes, politeness and the SSRF guard.
    """
    from govlens.probe.policy import ProbeSettings
    from govlens.run.probe import probe as run_probe

    cfg = settings(db)
    ps = ProbeSettings(
        concurrency=concurrency,
        per_host=min(per_host, concurrency),
        min_interval=min_interval,
        timeout=timeout,
        connect_timeout=min(10.0, timeout),
        allow_hosts=(*cfg.allow_hosts, *allow_hosts),
        user_agent=USER_AGENT.format(version=__version__),
    )
    bar = _Bar() if is_tty() and not as_json else None
    with open_store(db) as store:
        try:
            infos = run_probe(store, ps, catalogue=catalogue, again=again, progress=bar)
        except KeyboardInterrupt:
            click.echo("govlens: interrupted; run `govlens probe` again to resume", err=True)
            sys.exit(130)
    check_action_plan(db, quiet=as_json)
    if as_json:
        echo_json({"probes": [asdict(i) for i in infos]})
        return
    if not infos:
        click.echo("no catalogue has a complete harvest run to probe")
    for i in infos:
        verb = "already probed" if i.requests == 0 and not i.resumed and i.status == "complete" else "checked"
        click.echo(
            f"{i.catalogue}: run {i.run}, {i.checked}/{i.urls} URLs {verb}: ok {i.ok}, broken {i.broken}, "
            f"failing {i.failing}, unknown {i.unknown} (refused {i.refused}); "
            f"newly broken {i.newly_broken}; {i.requests} requests in {i.seconds:.1f} s"
        )


@click.command()
@catalogue_option
@db_option
@format_option("jsonl", "csv")
@handle_errors
def links(catalogue: str | None, db: str | None, fmt: str) -> None:
    """One record per checked URL of the latest run of each catalogue, with its latest state."""
    from govlens.store import links as stored

    with open_store(db) as store:
        ids = [r.id for r in store.latest_runs(catalogue)]

        def gen() -> Any:
            for row in stored.iter_checks(store, ids):
                rec = {k: row[k] for k in LINK_FIELDS}
                rec["checked_at"] = row["checked_at"].isoformat() if row["checked_at"] else None
                yield rec

        write_records(gen(), fmt)


def register(group: click.Group) -> None:
    group.add_command(probe)
    group.add_command(links)
