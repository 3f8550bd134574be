"""Persistence: SQLAlchemy Core over SQLite (default) or PostgreSQL, migrated by Alembic.

The names below are imported on first use, so that worker processes which only
encode records (``govlens.store.codec``, ``govlens.store.pages``) do not pay for
importing SQLAlchemy and Alembic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govlens.store.repository import (
        COMPLETE,
        FAILED,
        PRESENT,
        RUNNING,
        WITHDRAWN,
        Store,
        StoredDataset,
    )
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

_HOME = {name: "govlens.store.rows" for name in ("CatalogueRow", "OpenRun", "RunRow")}


def __getattr__(name: str) -> Any:
    if name in __all__:
        value = getattr(import_module(_HOME.get(name, "govlens.store.repository")), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'govlens.store' has no attribute {name!r}")
