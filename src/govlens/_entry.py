"""The ``govlens`` console script's entry point, apart from :mod:`govlens.cli`.

Worker processes started with ``spawn`` (the harvest's encoding workers) run
the parent's main script again before their task. A script importing
:mod:`govlens.cli` would load click and every command module into each of
them; this one imports them only when the command runs.
"""

from __future__ import annotations


def main() -> None:
    from govlens.cli import main as cli

    cli()
