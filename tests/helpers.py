"""Helpers shared by the harvest tests: the real datos.gob.ar packages, settings, options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from govlens.config import Settings
from govlens.harvest._http import RetryPolicy
from govlens.harvest.base import Options

#: Fast retries for tests (no long sleeps).
FAST = RetryPolicy(attempts=4, backoff=0.01, max_backoff=0.05, max_retry_after=2.0)


def ar_packages(shared_data: Path) -> list[dict[str, Any]]:
    folder = shared_data / "ar-ckan-archivo" / "datos_argentina" / "metadata"
    return [orjson.loads(p.read_bytes()) for p in sorted(folder.glob("*.json"))]


def options(**kw: Any) -> Options:
    kw.setdefault("retry", FAST)
    return Options(**kw)


def settings(db_url: str, **kw: Any) -> Settings:
    return Settings(db_url=db_url, harvest_timeout=kw.pop("timeout", 10.0), **kw)
