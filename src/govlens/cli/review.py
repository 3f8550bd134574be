"""``govlens review``: the main job. With no source, the embedded demo catalogue (no network)."""

from __future__ import annotations

import shlex
import sys
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import click

from govlens.cli._common import (
    db_option,
    echo_json,
    handle_errors,
    is_tty,
    json_option,
    settings,
    text_table,
)
from govlens.cli.harvest import info_dict, print_summary, progress_bar
from govlens.model import SOURCE_KINDS
from govlens.report.i18n import LANGUAGES


@click.command()
@click.argument("source", required=False)
@click.option("--kind", type=click.Choice(list(SOURCE_KINDS)), default=None,
              help="Kind of source (default: detected).")
@click.option("--catalogue", metavar="NAME", default=None, help="Name to store the catalogue under.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report file (.html or .pdf). Default: govlens-report-<catalogue>.html here.")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default=None,
              help="Report language (default: Spanish for Spanish-language or Mexican catalogues).")
@click.option("--sample", type=click.IntRange(0), default=None,
              help="Tabular files to download and validate (default: 60).")
@db_option
@json_option
@handle_errors
def review(source: str | None, kind: str | None, catalogue: str | None, out: Path | None,
           lang: str | None, sample: int | None, db: str | None, as_json: bool) -> None:
    """Review a catalogue: harvest SOURCE, check its links, inspect a sample of its
    files, and write a report; then say how to open the dashboard.

    Without SOURCE, the embedded demo catalogue (a Mexican-style CKAN portal
    served on 127.0.0.1) is reviewed: no network is needed.
    """
    from govlens.run.pipeline import review as run_review

    options: dict[str, Any] = {"report_path": out, "lang": lang}
    if sample is not None:
        options["inspect_sample"] = sample
    conf = settings(db)
    with progress_bar(is_tty() and not as_json, "harvesting") as update:
        state = run_review(conf, source, kind, catalogue, update, options=options)  # type: ignore[arg-type]
    info = state.harvest
    assert info is not None
    stages = {k: _stage_dict(state.extra.get(k)) for k in STAGES}
    if as_json:
        doc: dict[str, Any] = {"harvest": info_dict(info)}
        doc["findings"] = asdict(state.findings) if state.findings else None
        doc.update(stages)
        doc["dashboard"] = {"command": _serve_command(conf.db_url), "url": DASHBOARD_URL}
        echo_json(doc)
    else:
        print_summary(info)
        if state.findings is not None:
            _print_findings(state.findings)
        _print_stages(state.extra, conf.db_url)
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


STAGES = ("probe", "inspect", "assess", "report")
DASHBOARD_URL = "http://127.0.0.1:8000/"


def _stage_dict(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        d = asdict(value)
        if type(value).__name__ == "Skipped":
            d["skipped"] = True
        return d
    return value


def _serve_command(db_url: str) -> str:
    return f"govlens serve --db {shlex.quote(db_url)}"


def _print_stages(extra: dict[str, Any], db_url: str) -> None:
    click.echo("")
    for stage in STAGES:
        value = extra.get(stage)
        if value is None:
            continue
        if type(value).__name__ == "Skipped":
            click.echo(f"{stage}: not run ({value.reason})")
        elif stage == "probe":
            click.echo(f"links: {value.checked} of {value.urls} URLs checked: {value.ok} working, "
                       f"{value.broken} broken, {value.failing} failing, {value.unknown} unknown")
        elif stage == "inspect":
            click.echo(f"files: {value.text()}")
        elif stage == "assess":
            d = _stage_dict(value)
            mean = d.get("mqa_mean") if isinstance(d, dict) else None
            scored = d.get("datasets") if isinstance(d, dict) else None
            from govlens.assess.score import rating

            band = f" ({rating(mean)})" if mean is not None else ""
            click.echo(f"metadata: {scored} datasets scored" + (f", MQA mean {mean:.0f}{band}" if mean is not None else ""))
        elif stage == "report":
            click.echo(f"\nReport ({value['format']}, {value['lang']}): {value['path']}")
    click.echo(f"Dashboard: run  {_serve_command(db_url)}  and open {DASHBOARD_URL}")


def register(group: click.Group) -> None:
    group.add_command(review)
