"""Persistence: SQLAlchemy Core over SQLite (default) or PostgreSQL, migrated by Alembic."""

from govlens.store.repository import COMPLETE, FAILED, PRESENT, RUNNING, WITHDRAWN, Store, StoredDataset
from govlens.store.rows import CatalogueRow, OpenRun, RunRow

__all__ = [
    "COMPLETE",
    "FAILED",
    "PRESENT",
    "RUNNING",
    "WITHDRAWN",
    "CatalogueRow",
    "OpenRun",
    "RunRow",
    "Store",
    "StoredDataset",
]
