"""``govlens serve``: the web dashboard and REST API."""

from __future__ import annotations

import click

from govlens.cli._common import db_option, handle_errors, settings


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@handle_errors
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the dashboard and the REST API (read-only public views) with uvicorn."""
    import uvicorn

    from govlens.serve import create_app

    app = create_app(settings(db))
    click.echo(f"govlens: dashboard at http://{host}:{port}/  (API docs at /api/docs); Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def register(group: click.Group) -> None:
    group.add_command(serve)
