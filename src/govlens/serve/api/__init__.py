"""The REST API, mounted under ``/api``. Each module exposes ``router``."""

from govlens.serve.api import catalogues, docs

API_MODULES = (catalogues, docs)

__all__ = ["API_MODULES"]
