"""``govlens report``: a self-contained HTML file or a PDF, for the whole government or one institution."""

from __future__ import annotations

from pathlib import Path

import click

from govlens.cli._common import catalogue_option, db_option, handle_errors, settings
from govlens.report.i18n import LANGUAGES


@click.command()
@click.option("--kind", type=click.Choice(["observatory", "review"]), default="observatory", show_default=True,
              help="observatory: open data across government; review: the digital-government review "
              "(maturity, benchmarks, recommendations, action plan).")
@click.option("--country", metavar="ISO3", default="MEX", show_default=True,
              help="The country benchmarked in a review.")
@catalogue_option
@click.option("--publisher", metavar="KEY", default=None, help="One institution's report (its key).")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html", show_default=True,
              help="HTML (one self-contained file) or PDF.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default=None,
              help="Language (default: Spanish for Spanish-language or Mexican catalogues).")
@db_option
@handle_errors
def report(kind: str, country: str, catalogue: str | None, publisher: str | None, fmt: str, out: Path,
           lang: str | None, db: str | None) -> None:
    """Write a report with its charts: the whole government, or one institution (--publisher),
    or the digital-government review (--kind review)."""
    if kind == "review":
        from govlens.run.review import write_review

        path, language = write_review(settings(db), out, fmt=fmt, lang=lang, country=country)  # type: ignore[arg-type]
        click.echo(f"review ({fmt}, {language}): {path.resolve()}")
        return
    from govlens.run.report import write_report

    path, language = write_report(settings(db), out, fmt=fmt, catalogue=catalogue,  # type: ignore[arg-type]
                                  publisher=publisher, lang=lang)
    click.echo(f"report ({fmt}, {language}): {path.resolve()}")


def register(group: click.Group) -> None:
    group.add_command(report)
