"""``govlens review``: the main job. With no source, the embedded demo catalogue (no network)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any

import click

from govlens.cli._common import db_option, echo_json, handle_errors, is_tty, json_option, settings, text_table
from govlens.cli.harvest import info_dict, print_summary, progress_bar
from govlens.model import SOURCE_KINDS


@click.command()
@click.argument("source", required=False)
@click.option("--kind", type=click.Choice(list(SOURCE_KINDS)), default=None,
              help="Kind of source (default: detected).")
@click.option("--catalogue", metavar="NAME", default=None, help="Name to store the catalogue under.")
@db_option
@json_option
@handle_errors
def review(source: str | None, kind: str | None, catalogue: str | None, db: str | None,
           as_json: bool) -> None:
    """Review a catalogue: harvest SOURCE and report what was found.

    Without SOURCE, the embedded demo catalogue (a Mexican-style CKAN portal
    served on 127.0.0.1) is reviewed: no network is needed.
    """
    from govlens.run.pipeline import review as run_review

    with progress_bar(is_tty() and not as_json, "harvesting") as update:
        state = run_review(settings(db), source, kind, catalogue, update)  # type: ignore[arg-type]
    info = state.harvest
    assert info is not None
    if as_json:
        out: dict[str, Any] = {"harvest": info_dict(info)}
        out["findings"] = asdict(state.findings) if state.findings else None
        echo_json(out)
    else:
        print_summary(info)
        if state.findings is not None:
            _print_findings(state.findings)
    if info.status != "complete":
        sys.exit(1)


def _print_findings(f: Any) -> None:
    click.echo("\nInstitutions")
    rows = [["publisher", "datasets", "distributions", "warnings"]]
    rows += [[p.name, str(p.datasets), str(p.distributions), str(p.warnings)] for p in f.publishers]
    click.echo(text_table(rows), nl=False)
    click.echo(f"\nDatasets without a licence: {f.without_licence}; without a contact e-mail: "
               f"{f.without_contact}; without a description: {f.without_description}")
    click.echo("Licences as declared: " + ", ".join(f"{k} ({n})" for k, n in f.licences[:8]))
    click.echo("Formats as declared: " + ", ".join(f"{k} ({n})" for k, n in f.formats[:10]))
    if f.warnings:
        click.echo("Normalisation warnings: " + ", ".join(f"{k} ({n})" for k, n in f.warnings))


def register(group: click.Group) -> None:
    group.add_command(review)
