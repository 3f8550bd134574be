"""The web dashboard and REST API (FastAPI, Jinja2, server-side SVG charts)."""

from govlens.serve.app import create_app

__all__ = ["create_app"]
