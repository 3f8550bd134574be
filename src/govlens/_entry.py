"""The ``govlens`` console script's entry point, apart from :mod:`govlens.cli`.

Worker processes started with ``spawn`` (the harvest's encoding workers) run
the parent's main script again before their task. A script importing
:mod:`govlens.cli` would load click and every command module into each of
them; this one imports them only when the command runs.
"""

from __future__ import annotations


def main() -> None:
    import signal

    # SIGTERM (a service manager stopping govlens, ``timeout``) unwinds as Ctrl-C does: the
    # harvest's run is marked failed, its worker processes stop, its shared memory is freed;
    # the exit status is the shell's for that signal (143).
    signal.signal(signal.SIGTERM, _terminated)
    from govlens.cli import main as cli

    cli()


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)
