"""``govlens coverage``: which high-value and anti-corruption datasets exist, per institution."""

from __future__ import annotations

import click

from govlens.cli._common import (
    catalogue_option,
    db_option,
    format_option,
    handle_errors,
    open_store,
    write_records,
)
from govlens.errors import ConfigError


@click.command()
@catalogue_option
@db_option
@click.option("--publisher", metavar="KEY", default=None, help="Only this publisher (its key).")
@click.option(
    "--framework",
    type=click.Choice(["odc", "hvd", "g8"]),
    default=None,
    help="Only one framework: odc (anti-corruption), hvd (EU high-value), g8 (G8/OURdata).",
)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="Language of labels.")
@click.option("--missing", "only_missing", is_flag=True, help="Only the missing datasets.")
@click.option("--similar", "use_similar", is_flag=True,
              help="Also weigh the similarity to hand-labelled examples near the threshold "
                   "(needs the embed extra; about 100x slower).")
@click.option("--learned", "use_learned", is_flag=True,
              help="With --similar: decide with the learned per-category model instead "
                   "(embeds every dataset; not the default, see docs/coverage.md).")
@format_option("jsonl", "csv")
@handle_errors
def coverage(
    catalogue: str | None,
    db: str | None,
    publisher: str | None,
    framework: str | None,
    lang: str,
    only_missing: bool,
    use_similar: bool,
    use_learned: bool,
    fmt: str,
) -> None:
    """One record per priority dataset and publisher, from the latest run of each catalogue.

    Records: category, label, publisher, status (present|missing), datasets,
    confidence, quality. The whole government's rows come first, with
    publisher "*" and catalogue null. MQA mean and band come from the stored
    assessment; a catalogue not assessed yet is named on stderr and its MQA
    fields stay empty.
    """
    from govlens.coverage.embed import default_signal
    from govlens.coverage.service import coverage as compute

    if use_learned and not use_similar:
        raise ConfigError("--learned is a decision of the embedding signal: give --similar too")
    signal = default_signal(learned=use_learned) if use_similar else None
    if use_similar and signal is None:
        raise ConfigError("--similar needs the embed extra: pip install 'govlens[embed]'")
    with open_store(db) as store:
        cov = compute(store, catalogue=catalogue, publisher=publisher, framework=framework, similar=signal)
        for cat in cov.catalogues:
            if cat.mqa_source == "none":
                click.echo(f"govlens: note: {cat.catalogue}: run {cat.run} not assessed; "
                           "MQA mean and band left empty (run `govlens assess`)", err=True)
        recs = cov.records(lang)
        if only_missing:
            recs = (r for r in recs if r["status"] == "missing")
        write_records(recs, fmt)


def register(group: click.Group) -> None:
    group.add_command(coverage)
