"""Quality commands: ``assess``, ``scores``, ``publishers``, ``fixes`` and ``export --format dqv``."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from typing import Any

import click

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
    write_records,
)
from govlens.run.executors import KINDS


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None

    def report(catalogue: str, done: int, total: int | None) -> None:
        click.echo(f"\r{catalogue}: {done}/{total or '?'} datasets assessed", nl=False, err=True)

    return report


@click.command()
@catalogue_option
@db_option
@json_option
@click.option("--rescore", is_flag=True,
              help="Recompute scores from the stored measurements (after changing --weights); no re-assessment.")
@click.option("--weights", "weights_path", metavar="FILE", default=None,
              help="MQA points per metric (JSON or TOML: {\"knownLicence\": {\"true\": 10, \"false\": 0}}).")
@click.option("--no-shacl", is_flag=True, help="Skip DCAT-AP SHACL validation (dcatApCompliance not measured).")
@click.option("--executor", type=click.Choice(list(KINDS)), default="process", show_default=True,
              help="Where datasets are scored.")
@click.option("--workers", type=int, default=None, help="Worker count (default: one per core).")
@click.option("--dask-address", metavar="ADDRESS", default=None, help="Dask scheduler (with --executor dask).")
@handle_errors
def assess(catalogue: str | None, db: str | None, as_json: bool, rescore: bool, weights_path: str | None,
           no_shacl: bool, executor: str, workers: int | None, dask_address: str | None) -> None:
    """Measure metadata quality (EU MQA, udata, 5-star openness, DCAT-AP, POD) for the
    latest run of each catalogue, and store the measurements.

    Link states come from the link checker when it has run; URLs not checked
    yet score 0 and show as "not checked".
    """
    from govlens.assess.metrics import DEFAULT_WEIGHTS, Weights
    from govlens.run.assess import assess_catalogues, rescore_catalogues
    from govlens.run.executors import make_executor

    weights = Weights.from_file(weights_path) if weights_path else DEFAULT_WEIGHTS
    with open_store(db) as store:
        if rescore:
            infos = rescore_catalogues(store, catalogue, weights)
        else:
            with make_executor(executor, workers, dask_address) as ex:
                infos = assess_catalogues(store, catalogue, links_for=_links_for(), files_for=_files_for,
                                          executor=ex,
                                          shacl=not no_shacl, weights=weights,
                                          progress=_progress(is_tty() and not as_json))
            if is_tty() and not as_json:
                click.echo("", err=True)
    if as_json:
        echo_json({"catalogues": [asdict(i) for i in infos]})
        check_action_plan(db, quiet=True)
        return
    for i in infos:
        mean = f"{i.mqa_mean:.1f}" if i.mqa_mean is not None else "-"
        verb = "rescored" if i.rescored else "assessed"
        click.echo(f"{i.catalogue}: run {i.run} {verb}: {i.datasets} datasets, {i.distributions} distributions, "
                   f"MQA mean {mean} ({i.mqa_rating or '-'}), {i.links_checked} links checked, "
                   f"{i.seconds:.1f}s")
    check_action_plan(db, quiet=False)


def _links_for() -> Any:
    """The link checker's latest states for a run's URLs: ``store.links.link_states(store, run_id)``.

    Absent until the link checker's store module is installed; then every URL is "not checked".
    """
    try:
        from govlens.store import links as store_links
    except ImportError:
        return None
    fn = getattr(store_links, "link_states", None)
    return None if fn is None else (lambda store, run: fn(store, run.id))


def _files_for(store: Any, run: Any) -> Any:
    """The file inspector's latest facts for the run's URLs (formatMatch, syntaxValid, served format)."""
    from govlens.store.tables import inspection_facts

    return inspection_facts(store.engine, run.id)


@click.command()
@catalogue_option
@click.option("--publisher", metavar="KEY", default=None, help="Only this publisher (by key).")
@db_option
@format_option("jsonl", "csv")
@handle_errors
def scores(catalogue: str | None, publisher: str | None, db: str | None, fmt: str) -> None:
    """One record per dataset: MQA score, rating and dimensions, DCAT-AP compliance, udata score, stars."""
    from govlens.run.quality import score_records

    with open_store(db) as store:
        write_records(score_records(store, catalogue, publisher), fmt)


def publisher_record(p: Any) -> dict[str, Any]:
    from govlens.run.quality import summary_record

    return summary_record(p.catalogue, p.publisher, p.publisher_key, p.summary)


@click.command()
@catalogue_option
@db_option
@format_option("jsonl", "csv")
@handle_errors
def publishers(catalogue: str | None, db: str | None, fmt: str) -> None:
    """One record per publisher: datasets, mean MQA and band, udata mean, stars, share of "yes" per metric,
    and link health (shares of ok, broken, failing and unknown links; links newly broken since the last run)."""
    from govlens.aggregate.links import health_fields
    from govlens.model import LinkHealth
    from govlens.run.probe import publisher_link_health
    from govlens.run.quality import publisher_summaries

    with open_store(db) as store:
        links: dict[int, dict[str | None, LinkHealth]] = {}

        def records() -> Any:
            for p in publisher_summaries(store, catalogue):
                if p.run not in links:
                    links.clear()  # one run's publishers at a time
                    links[p.run] = publisher_link_health(store, p.run)
                yield {**publisher_record(p), **health_fields(links[p.run].get(p.publisher_key, LinkHealth()))}

        write_records(records(), fmt)


@click.command()
@catalogue_option
@click.option("--publisher", metavar="KEY", default=None, help="Only this publisher's fixes (by key).")
@db_option
@format_option("jsonl", "csv")
@handle_errors
def fixes(catalogue: str | None, publisher: str | None, db: str | None, fmt: str) -> None:
    """Ranked fix lists per publisher and for the whole catalogue (publisher null), best first.

    Each list gives its metadata fixes (kind "metadata", ranked by MQA points
    gained), then its coverage fixes (kind "coverage": priority datasets to
    publish or to open, anti-corruption first); rank counts within the kind.
    """
    from govlens.coverage.fixes import fix_text
    from govlens.coverage.taxonomy import builtin_taxonomy
    from govlens.run.quality import coverage_fix_record, fix_lists, metadata_fix_record

    tax = builtin_taxonomy()

    def records() -> Any:
        with open_store(db) as store:
            for fl in fix_lists(store, catalogue, publisher):
                group = {"catalogue": fl.catalogue, "publisher": fl.publisher, "publisher_key": fl.publisher_key}
                for rank, f in enumerate(fl.fixes, 1):
                    texts = {"text_en": f.text("en"), "text_es": f.text("es")}
                    yield {**group, **metadata_fix_record(rank, f, texts)}
                for rank, c in enumerate(fl.coverage, 1):
                    texts = {"text_en": fix_text(c, tax, "en"), "text_es": fix_text(c, tax, "es")}
                    yield {**group, **coverage_fix_record(rank, c, fl.group_datasets, texts)}

    write_records(records(), fmt)


@click.command()
@catalogue_option
@db_option
@click.option("--format", "fmt", type=click.Choice(["dqv"]), required=True, help="Export format.")
@click.option("--out", "out_path", metavar="PATH", default=None, help="Write to PATH (default: stdout).")
@handle_errors
def export(catalogue: str | None, db: str | None, fmt: str, out_path: str | None) -> None:
    """Export the latest assessed runs: DQV Turtle with piveau's metric URIs."""
    from govlens.run.quality import export_dqv

    with open_store(db) as store:
        if out_path is None:
            export_dqv(store, sys.stdout, catalogue)
            return
        tmp = out_path + ".part"
        with open(tmp, "w", encoding="utf-8") as fh:
            n = export_dqv(store, fh, catalogue)
        os.replace(tmp, out_path)
    click.echo(f"wrote {n} datasets' measurements to {out_path}", err=True)


def register(group: click.Group) -> None:
    for cmd in (assess, scores, publishers, fixes, export):
        group.add_command(cmd)
