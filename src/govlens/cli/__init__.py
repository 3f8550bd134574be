"""The ``govlens`` command line. Thin: every command calls the library and prints."""

from __future__ import annotations

import click

from govlens import __version__
from govlens.cli import accounts as _accounts
from govlens.cli import assess as _assess
from govlens.cli import catalogue as _catalogue
from govlens.cli import coverage as _coverage
from govlens.cli import harvest as _harvest
from govlens.cli import inspect as _inspect
from govlens.cli import maturity as _maturity
from govlens.cli import probe as _probe
from govlens.cli import report as _report
from govlens.cli import review as _review
from govlens.cli import serve as _serve

COMMAND_MODULES = (_catalogue, _coverage, _harvest, _report, _serve, _maturity, _accounts, _inspect, _probe,
                   _review, _assess)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="govlens")
def main() -> None:
    """govlens: a digital government observatory.

    Harvest open-data catalogues, score their metadata, check their links and
    files, and follow every institution over time.
    """


for _module in COMMAND_MODULES:
    _module.register(main)
