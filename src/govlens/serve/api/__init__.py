"""The REST API, mounted under ``/api``. Each module exposes ``router``."""

from govlens.serve.api import catalogues, docs, downloads, quality

API_MODULES = (catalogues, quality, downloads, docs)

__all__ = ["API_MODULES"]
