"""The REST API, mounted under ``/api``. Each module exposes ``router``."""

from govlens.serve.api import catalogues, docs, downloads

API_MODULES = (catalogues, downloads, docs)

__all__ = ["API_MODULES"]
