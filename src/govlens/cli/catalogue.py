"""Commands over harvested catalogues: ``catalogues`` and ``datasets``."""

from __future__ import annotations

from typing import Any

import click

from govlens.cli._common import (
    catalogue_option,
    db_option,
    format_option,
    handle_errors,
    open_store,
    write_records,
)


@click.command()
@db_option
@format_option("jsonl", "csv")
@handle_errors
def catalogues(db: str | None, fmt: str) -> None:
    """One record per catalogue: name, source, last run, counts."""
    with open_store(db) as store:
        latest = {r.catalogue: r for r in store.latest_runs()}
        recs = []
        for c in store.catalogues():
            run = latest.get(c.name)
            recs.append(
                {
                    "name": c.name,
                    "source": c.source,
                    "kind": c.kind,
                    "title": c.title,
                    "last_run": run.id if run else None,
                    "last_run_at": run.finished_at if run else None,
                    "runs": len(store.runs(c.name)),
                    "datasets": run.datasets if run else 0,
                    "distributions": run.distributions if run else 0,
                    "publishers": run.publishers if run else 0,
                    "warnings": run.warnings if run else 0,
                    "withdrawn": run.withdrawn if run else 0,
                }
            )
        write_records(recs, fmt)


@click.command()
@catalogue_option
@db_option
@click.option("--publisher", metavar="KEY", default=None, help="Only this publisher.")
@format_option("jsonl", "csv")
@handle_errors
def datasets(catalogue: str | None, db: str | None, publisher: str | None, fmt: str) -> None:
    """One record per dataset of the latest complete run of each catalogue."""
    with open_store(db) as store:
        runs = store.latest_runs(catalogue)
        done = {r.catalogue for r in runs}
        for c in store.catalogues() if catalogue is None else ():
            if c.name not in done:  # a harvest killed, failed or still running: said, not skipped in silence
                click.echo(f"govlens: note: {c.name}: no complete harvest run yet (harvest it again to"
                           " finish it); its datasets are not listed", err=True)

        def gen() -> Any:
            for run in runs:
                pubs = store.publishers(run.catalogue_id)
                for sd in store.iter_datasets(run.id, publisher=publisher):
                    ds = sd.dataset
                    pub = pubs.get(sd.publisher_key or "", {})
                    yield {
                        "catalogue": run.catalogue,
                        "run": run.id,
                        "dataset": ds.identifier,
                        "title": ds.title,
                        "publisher": pub.get("name") or sd.publisher_key,
                        "publisher_key": sd.publisher_key,
                        "distributions": len(ds.distributions),
                        "formats": sorted({d.format for d in ds.distributions if d.format}),
                        "licence": ds.licence,
                        "modified": ds.modified,
                        "keywords": len(ds.keywords),
                        "warnings": [w.code for w in ds.warnings],
                    }

        write_records(gen(), fmt)


def register(group: click.Group) -> None:
    group.add_command(catalogues)
    group.add_command(datasets)
